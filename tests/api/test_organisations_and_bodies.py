"""Organisations and bodies over HTTP: what a client reads back, and the dates it may omit."""

from datetime import UTC, datetime

from tests.api.http import assert_problem


def test_an_organisation_registered_without_a_date_is_registered_on_the_day_and_reads_back(
    client, recorder, reader
):
    created = client.post(
        "/organisations",
        json={"name": "Scierie du Roannais", "kind": "company", "siren": "732829320"},
        headers=recorder,
    )
    assert created.status_code == 201, created.text
    location = created.headers["location"]

    read = client.get(location, headers=reader)

    assert read.status_code == 200
    assert read.json() == {
        "id": created.json()["id"],
        "name": "Scierie du Roannais",
        "kind": "company",
        "registered_on": datetime.now(UTC).date().isoformat(),
        "siren": "732829320",
        "siret": None,
        "rna": None,
        "territory": None,
        "archived_on": None,
        "facts": [],
        "version": 1,
    }
    renamed = client.post(
        f"{location}/rename",
        json={"name": "Scierie Roannaise", "effective_on": "2012-01-01"},
        headers={**recorder, "If-Match": read.headers["etag"]},
    )
    assert renamed.status_code == 200, renamed.text
    client.post(f"{location}/archive", json={"effective_on": "2013-01-01"}, headers=recorder)
    after = client.get(location, headers=reader).json()
    assert (after["name"], after["archived_on"], after["version"]) == (
        "Scierie Roannaise",
        "2013-01-01",
        3,
    )


def test_a_body_without_a_constitution_date_seats_members_from_any_date_and_lists_them(
    client, recorder, reader
):
    partner = client.post(
        "/organisations", json={"name": "Partenaire", "kind": "partner"}, headers=recorder
    ).json()["id"]
    body = client.post("/bodies", json={"name": "Bureau", "kind": "bureau"}, headers=recorder)
    assert body.status_code == 201, body.text
    path = body.headers["location"]
    seat = {"person": "Georges Bernat", "organisation_id": partner, "role": "voting"}

    seated = client.post(f"{path}/members", json={**seat, "from": "2005-03-01"}, headers=recorder)
    assert seated.status_code == 200, seated.text
    client.post(
        f"{path}/members/unseat",
        json={"person": "Georges Bernat", "until": "2013-12-31"},
        headers=recorder,
    )
    twice = client.post(f"{path}/members", json={**seat, "from": "2010-01-01"}, headers=recorder)

    assert_problem(twice, 409, "already sits")
    read = client.get(path, headers=reader).json()
    assert read["constituted_on"] is None
    assert read["seats"] == [
        {
            "person": "Georges Bernat",
            "organisation_id": partner,
            "role": "voting",
            "from": "2005-03-01",
            "until": "2013-12-31",
        }
    ]
    assert read["version"] == 3


def test_a_body_with_a_constitution_date_refuses_seats_before_it(client, recorder):
    partner = client.post(
        "/organisations", json={"name": "Partenaire", "kind": "partner"}, headers=recorder
    ).json()["id"]
    path = client.post(
        "/bodies",
        json={"name": "Bureau", "kind": "bureau", "constituted_on": "2009-01-15"},
        headers=recorder,
    ).headers["location"]

    early = client.post(
        f"{path}/members",
        json={
            "person": "Georges Bernat",
            "organisation_id": partner,
            "role": "voting",
            "from": "2008-12-31",
        },
        headers=recorder,
    )

    problem = assert_problem(early, 409, "constituted on 2009-01-15")
    assert problem["code"] == "ChronologyError"
