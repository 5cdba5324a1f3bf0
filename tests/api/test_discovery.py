"""A client finds every id through the API: organisations, bodies, candidacies (issue 17)."""

from typing import Any
from uuid import UUID

import httpx
import pytest

from tests.api.http import assert_problem, event_count
from tests.world import FOUNDED


def items(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["items"]
    return found


# --- Organisations and bodies ---------------------------------------------------------------


def in_list_order(*entries: tuple[str, UUID]) -> list[str]:
    """Lists are ordered as the other lists are: by their day, then by id."""
    return [str(i) for _, i in sorted(entries, key=lambda e: (e[0], str(e[1])))]


def test_a_reader_lists_every_organisation_with_its_kind(client, reader, world) -> None:
    found = items(client.get("/organisations", headers=reader))

    founded = FOUNDED.isoformat()
    assert [o["id"] for o in found] == in_list_order(
        ("2005-01-01", world.association),
        *(
            (founded, i)
            for i in (world.partner_a, world.partner_b, world.company, world.state, world.region)
        ),
    )
    association = found[0]
    assert association["name"] == "Association" and association["kind"] == "association"
    assert association["registered_on"] == "2005-01-01" and association["archived_on"] is None
    assert association["version"] == 1


def test_organisations_filter_by_kind_and_by_part_of_the_name(client, reader, world) -> None:
    partners = items(client.get("/organisations", params={"kind": "partner"}, headers=reader))
    assert {o["id"] for o in partners} == {str(world.partner_a), str(world.partner_b)}

    named = items(client.get("/organisations", params={"name": "partner b"}, headers=reader))
    assert [o["id"] for o in named] == [str(world.partner_b)]

    both = {"kind": "public_body", "name": "rég"}
    assert [
        o["name"] for o in items(client.get("/organisations", params=both, headers=reader))
    ] == ["Région"]
    assert items(client.get("/organisations", params={"name": "nobody"}, headers=reader)) == []


def test_a_rename_and_an_archive_show_in_the_list(client, reader, recorder, world) -> None:
    path = f"/organisations/{world.company}"
    renamed = client.post(
        f"{path}/rename",
        json={"name": "Abattoir du Roannais", "effective_on": "2011-01-01"},
        headers=recorder,
    )
    assert renamed.status_code == 200, renamed.text
    archived = client.post(f"{path}/archive", json={"effective_on": "2012-01-01"}, headers=recorder)
    assert archived.status_code == 200, archived.text

    (company,) = items(client.get("/organisations", params={"name": "abattoir"}, headers=reader))
    assert company["id"] == str(world.company)
    assert company["archived_on"] == "2012-01-01"
    assert company["version"] == archived.json()["version"] == 3


def test_organisations_come_in_pages_with_a_cursor(client, reader, world) -> None:
    first = client.get("/organisations", params={"limit": 4}, headers=reader).json()
    assert len(first["items"]) == 4 and first["next_cursor"]
    second = client.get(
        "/organisations", params={"limit": 4, "cursor": first["next_cursor"]}, headers=reader
    ).json()
    assert second["next_cursor"] is None
    whole = items(client.get("/organisations", headers=reader))
    assert first["items"] + second["items"] == whole and len(whole) == 6


def test_a_reader_lists_the_bodies_and_filters_them(client, reader, world) -> None:
    found = items(client.get("/bodies", headers=reader))
    assert [b["id"] for b in found] == in_list_order(
        *(
            (FOUNDED.isoformat(), i)
            for i in (world.bureau, world.directoire, world.council, world.state_body)
        )
    )
    (bureau,) = (b for b in found if b["id"] == str(world.bureau))
    assert bureau["name"] == "Bureau" and bureau["kind"] == "bureau"
    # Constituted, then three members seated: the version a command's If-Match would use.
    assert bureau["version"] == 4 and bureau["organisation_id"] == str(world.association)

    external = items(client.get("/bodies", params={"kind": "external"}, headers=reader))
    assert [(b["id"], b["organisation_id"]) for b in external] == [
        (str(world.state_body), str(world.state))
    ]
    named = items(client.get("/bodies", params={"name": "CONSEIL"}, headers=reader))
    assert [b["id"] for b in named] == [str(world.council)]


def test_a_list_is_current_right_after_a_command(client, reader, recorder, world) -> None:
    created = client.post(
        "/bodies",
        json={
            "name": "Comité de suivi",
            "kind": "advisory_council",
            "constituted_on": "2010-01-01",
        },
        headers=recorder,
    )
    assert created.status_code == 201, created.text

    found = items(client.get("/bodies", params={"name": "suivi"}, headers=reader))
    assert [b["id"] for b in found] == [created.json()["id"]]


@pytest.mark.parametrize("path", ["/organisations", "/bodies"])
def test_a_list_needs_a_token_and_refuses_an_unknown_kind(client, reader, world, path) -> None:
    assert_problem(client.get(path), 401)
    problem = assert_problem(client.get(path, params={"kind": "guild"}, headers=reader), 422)
    assert problem["errors"][0]["loc"] == ["query", "kind"]
    assert_problem(client.get(path, params={"cursor": "nope"}, headers=reader), 422, "cursor")


# --- A candidacy -----------------------------------------------------------------------------


def test_a_submission_locates_its_candidacy_which_a_reader_can_get(
    client, reader, recorder, world, call
) -> None:
    submitted = client.post(
        f"/calls/{call}/candidacies",
        json={
            "candidate_id": str(world.company),
            "project_title": "Abattoir mobile",
            "submitted_on": "2011-03-15",
            "requested_amount": "12000.00",
        },
        headers=recorder,
    )
    assert submitted.status_code == 201, submitted.text
    candidacy = submitted.json()["candidacy_id"]
    location = submitted.headers["Location"]
    assert location == f"/calls/{call}/candidacies/{candidacy}"

    read = client.get(location, headers=reader)

    assert read.status_code == 200, read.text
    assert read.json()["id"] == candidacy
    assert read.json()["candidate_id"] == str(world.company)
    assert read.json()["requested_amount"] == "12000.00"
    assert read.json()["status"] == "submitted"
    assert read.headers["ETag"] == f'"{submitted.json()["version"]}"'


def test_an_unknown_candidacy_is_a_404_naming_the_call(client, reader, world, call) -> None:
    unknown = "00000000-0000-0000-0000-000000000001"
    response = client.get(f"/calls/{call}/candidacies/{unknown}", headers=reader)
    assert_problem(response, 404, "Appel Viandes", str(call), unknown)


# --- A body that is not JSON -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", '{"name": "Scierie", "kind": "company", "registered_on": "2010-01-01"}'),
        ("application/x-www-form-urlencoded", "name=Scierie&kind=company"),
    ],
)
def test_a_body_declared_as_another_type_is_refused_with_415(
    client, services, recorder, world, content_type, body
) -> None:
    before = event_count(services)

    response = client.post(
        "/organisations", content=body, headers={**recorder, "Content-Type": content_type}
    )

    problem = assert_problem(response, 415, "application/json", content_type)
    assert problem["title"] == "Unsupported Media Type"
    assert event_count(services) == before


def test_a_body_without_a_content_type_is_refused_with_415(
    client, services, recorder, world
) -> None:
    body = b'{"name": "Scierie", "kind": "company", "registered_on": "2010-01-01"}'
    request = client.build_request("POST", "/organisations", content=body, headers=recorder)
    assert "content-type" not in request.headers
    before = event_count(services)

    response = client.send(request)

    assert_problem(response, 415, "application/json", "no content-type")
    assert event_count(services) == before


def test_json_with_a_charset_or_a_json_subtype_is_json(client, recorder, world) -> None:
    body = '{"name": "Scierie", "kind": "company", "registered_on": "2010-01-01"}'
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        response = client.post(
            "/organisations", content=body, headers={**recorder, "Content-Type": content_type}
        )
        assert response.status_code == 201, response.text
        body = body.replace("Scierie", "Scierie bis")
