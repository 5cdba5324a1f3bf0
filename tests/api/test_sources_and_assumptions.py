"""Sources and assumptions: every command may cite where its fact is written and what its
recorder supposed; both stay in the events' metadata and show in the audit log, the
register, provenance and `GET /audit/assumptions`."""

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.bootstrap import Services
from infrastructure.auth_store import Role
from tests.api.http import assert_problem, bearer, event_count
from tests.world import World

SHEET = "Fiche « Roanne Territoire », avril 2013"
SOURCE = {"document": SHEET, "locator": "Résultats obtenus, Filière Viandes"}
GUESS = "The sheet names no day: the first of the month is assumed."


@pytest.fixture
def auditor(tokens: dict[Role, str]) -> dict[str, str]:
    return bearer(tokens[Role.AUDITOR])


def _launch_call(
    client: TestClient, world: World, recorder: dict[str, str], **cited: Any
) -> dict[str, Any]:
    body = {
        "filiere_id": str(world.filiere),
        "title": "Appel à projets Viandes",
        "kind": "call_for_projects",
        "issuer_id": str(world.association),
        "opens_on": "2011-09-01",
        "closes_on": "2011-12-15",
        "decision": {
            "body_id": str(world.bureau),
            "decided_on": "2011-06-01",
            "decided_by": ["Présidente A", "Président B"],
            "sitting_not_published": True,
            "rationale": "Déceler les démarches innovantes",
        },
        **cited,
    }
    answer = client.post("/calls", json=body, headers=recorder)
    assert answer.status_code == 201, answer.text
    result: dict[str, Any] = answer.json()
    return result


def test_a_cited_command_keeps_its_source_and_assumptions_in_the_events_metadata(
    client, recorder, auditor
):
    created = client.post(
        "/organisations",
        json={
            "name": "Grand Roanne Agglomération",
            "kind": "partner",
            "source": SOURCE,
            "assumptions": [GUESS],
        },
        headers=recorder,
    )
    assert created.status_code == 201, created.text
    plain = client.post(
        "/organisations", json={"name": "CCI du Roannais", "kind": "partner"}, headers=recorder
    )
    assert plain.status_code == 201, plain.text

    events = client.get("/audit/events", params={"type": "Organisation"}, headers=auditor)

    by_id = {e["aggregate_id"]: e for e in events.json()["items"]}
    cited = by_id[created.json()["id"]]["metadata"]
    assert cited["source"] == SOURCE
    assert cited["assumptions"] == [GUESS]
    # An event recorded without them is stored as before they existed: no empty keys.
    uncited = by_id[plain.json()["id"]]["metadata"]
    assert "source" not in uncited and "assumptions" not in uncited
    # Kept in the metadata, not in what the event says happened.
    assert "source" not in by_id[created.json()["id"]]["data"]


def test_audit_assumptions_lists_only_the_events_resting_on_an_assumption_a_page_at_a_time(
    client, recorder, auditor
):
    for number in range(3):
        client.post(
            "/organisations",
            json={"name": f"Entreprise {number}", "kind": "company", "assumptions": [GUESS]},
            headers=recorder,
        )
    client.post("/organisations", json={"name": "Sourced", "kind": "company"}, headers=recorder)

    first = client.get("/audit/assumptions", params={"limit": 2}, headers=auditor)
    assert first.status_code == 200, first.text
    second = client.get(
        "/audit/assumptions",
        params={"limit": 2, "cursor": first.json()["next_cursor"]},
        headers=auditor,
    )

    listed = [*first.json()["items"], *second.json()["items"]]
    assert [e["data"]["name"] for e in listed] == ["Entreprise 0", "Entreprise 1", "Entreprise 2"]
    assert all(e["metadata"]["assumptions"] == [GUESS] for e in listed)
    assert second.json()["next_cursor"] is None
    none_assumed = client.get("/audit/events", params={"assumed": "false"}, headers=auditor)
    assert "Sourced" in [e["data"].get("name") for e in none_assumed.json()["items"]]
    assert "Entreprise 0" not in [e["data"].get("name") for e in none_assumed.json()["items"]]
    # Auditors' reading, like the rest of /audit.
    assert client.get("/audit/assumptions", headers=recorder).status_code == 403


@pytest.mark.parametrize(
    ("cited", "words"),
    [
        ({"source": {"locator": "Contexte"}}, ("source.document",)),
        ({"source": {"document": "  "}}, ("source.document",)),
        ({"source": {"document": SHEET, "page": 3}}, ("source.page",)),
        ({"source": "the sheet"}, ("source",)),
        ({"assumptions": [""]}, ("assumptions.0",)),
        ({"assumptions": [GUESS, GUESS]}, ("same assumption twice",)),
        ({"assumptions": GUESS}, ("assumptions",)),
        ({"assumptions": ["x" * 1001]}, ("assumptions.0",)),
        ({"assumptions": ["une hypothèse\u202e"]}, ("assumptions", "bidirectional")),
    ],
)
def test_a_malformed_source_or_assumption_is_refused_and_nothing_is_written(
    client, recorder, services: Services, cited, words
):
    before = event_count(services)

    answer = client.post(
        "/organisations",
        json={"name": "Bartin Recycling", "kind": "company", **cited},
        headers=recorder,
    )

    assert_problem(answer, 422, *words)
    assert event_count(services) == before


def test_the_register_shows_each_decisions_source_and_filters_on_assumptions(
    client, recorder, reader, world
):
    assumed = _launch_call(client, world, recorder, source=SOURCE, assumptions=[GUESS])
    sourced = _launch_call(client, world, recorder, source=SOURCE)

    every = client.get("/decisions", params={"filiere_id": str(world.filiere)}, headers=reader)
    only_assumed = client.get(
        "/decisions", params={"filiere_id": str(world.filiere), "assumed": "true"}, headers=reader
    )
    none_assumed = client.get(
        "/decisions", params={"filiere_id": str(world.filiere), "assumed": "false"}, headers=reader
    )

    rows = {row["position"]: row for row in every.json()["items"]}
    assert rows[assumed["position"]]["source"] == SOURCE
    assert rows[assumed["position"]]["assumptions"] == [GUESS]
    assert rows[sourced["position"]]["assumptions"] == []
    assert [r["position"] for r in only_assumed.json()["items"]] == [assumed["position"]]
    assert assumed["position"] not in [r["position"] for r in none_assumed.json()["items"]]
    assert sourced["position"] in [r["position"] for r in none_assumed.json()["items"]]
    # The register as of a day, computed again from the events, shows them as well.
    as_of = client.get(
        "/decisions",
        params={"filiere_id": str(world.filiere), "assumed": "true", "as_of": "2011-12-31"},
        headers=reader,
    )
    assert as_of.status_code == 200, as_of.text
    (then,) = as_of.json()["items"]
    assert (then["position"], then["source"], then["assumptions"]) == (
        assumed["position"],
        SOURCE,
        [GUESS],
    )
    as_csv = client.get(
        "/decisions",
        params={"filiere_id": str(world.filiere), "assumed": "true"},
        headers={**reader, "Accept": "text/csv"},
    )
    (line,) = csv.DictReader(io.StringIO(as_csv.text))
    assert (line["source_document"], line["source_locator"], line["assumptions"]) == (
        SHEET,
        SOURCE["locator"],
        GUESS,
    )


def test_provenance_shows_the_source_and_assumptions_of_each_step(client, recorder, auditor, world):
    project = client.post(
        "/projects",
        json={
            "filiere_id": str(world.filiere),
            "title": "Centre de compétences CIDER",
            "proposed_on": "2011-05-01",
            "source": {"document": SHEET, "locator": "Filière Déconstruction"},
            "assumptions": ["The sheet gives no day: 2011 is read as May 2011."],
        },
        headers=recorder,
    )
    assert project.status_code == 201, project.text

    chain = client.get(f"/audit/provenance/{project.json()['id']}", headers=auditor)

    assert chain.status_code == 200, chain.text
    proposed = next(s for s in chain.json()["steps"] if s["event_type"] == "Project.Proposed")
    assert proposed["source"] == {"document": SHEET, "locator": "Filière Déconstruction"}
    assert proposed["assumptions"] == ["The sheet gives no day: 2011 is read as May 2011."]
    launched = next(s for s in chain.json()["steps"] if s["event_type"] == "Filiere.Launched")
    assert (launched["source"], launched["assumptions"]) == (None, [])


def test_an_idempotent_retry_with_other_assumptions_is_another_request(client, recorder):
    key = {**recorder, "Idempotency-Key": "org-1"}
    body = {"name": "APRRES", "kind": "company"}
    assert client.post("/organisations", json=body, headers=key).status_code == 201

    replay = client.post("/organisations", json=body, headers=key)
    other = client.post("/organisations", json={**body, "assumptions": [GUESS]}, headers=key)

    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert_problem(other, 422, "Idempotency-Key")


def test_a_fact_about_an_organisation_is_stated_with_its_source_and_read_back(
    client, recorder, reader, auditor
):
    created = client.post(
        "/organisations",
        json={"name": "Roanne Territoire", "kind": "association"},
        headers=recorder,
    )
    path = created.headers["location"]

    stated = client.post(
        f"{path}/facts",
        json={
            "topic": "périmètre",
            "statement": "5 communautés de communes et 1 communauté d'agglomération",
            "stated_on": "2013-04-01",
            "source": {"document": SHEET, "locator": "Contexte"},
        },
        headers=recorder,
    )

    assert stated.status_code == 200, stated.text
    read = client.get(path, headers=reader).json()
    assert read["facts"] == [
        {
            "topic": "périmètre",
            "statement": "5 communautés de communes et 1 communauté d'agglomération",
            "stated_on": "2013-04-01",
        }
    ]
    assert read["version"] == 2
    (event,) = client.get(
        "/audit/events", params={"type": "Organisation.FactStated"}, headers=auditor
    ).json()["items"]
    assert event["effective_on"] == "2013-04-01"
    assert event["metadata"]["source"] == {"document": SHEET, "locator": "Contexte"}


@pytest.mark.parametrize(
    ("fact", "status", "words"),
    [
        ({"topic": "", "statement": "x", "stated_on": "2013-04-01"}, 422, ("topic",)),
        ({"topic": "t", "statement": "  ", "stated_on": "2013-04-01"}, 422, ("statement",)),
        ({"topic": "t", "statement": "x"}, 422, ("stated_on",)),
        ({"topic": "t", "statement": "x" * 2001, "stated_on": "2013-04-01"}, 422, ("statement",)),
    ],
)
def test_a_malformed_fact_is_refused_and_nothing_is_written(
    client, recorder, services: Services, fact, status, words
):
    path = client.post(
        "/organisations",
        json={"name": "Roanne Territoire", "kind": "association"},
        headers=recorder,
    ).headers["location"]
    before = event_count(services)

    assert_problem(client.post(f"{path}/facts", json=fact, headers=recorder), status, *words)
    assert event_count(services) == before


def test_a_fact_about_no_organisation_is_a_404_and_nothing_is_written(
    client, recorder, services: Services
):
    before = event_count(services)
    unknown = "/organisations/00000000-0000-4000-8000-000000000000/facts"

    answer = client.post(
        unknown, json={"topic": "t", "statement": "x", "stated_on": "2013-04-01"}, headers=recorder
    )

    assert_problem(answer, 404, "no organisation")
    assert event_count(services) == before
