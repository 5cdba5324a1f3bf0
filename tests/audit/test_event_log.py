"""GET /audit/events: the whole log in pages, and each filter against the same filter in Python."""

import base64
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.bootstrap import Services
from api.http.main import create_app
from infrastructure.auth_store import Role
from tests.api.http import assert_problem, bearer, event_count
from tests.audit.audit_fixtures import (
    DEMO_ACTOR,
    SECOND_ACTOR,
    AuditDemo,
    audit_demo,
    chain_rows,
    log_positions,
)
from tests.audit.demo_store import BACKENDS

Event = dict[str, Any]


@pytest.fixture(scope="module", params=BACKENDS)
def demo(request: pytest.FixtureRequest) -> Iterator[AuditDemo]:
    with audit_demo(request) as store:
        yield store


@pytest.fixture(scope="module")
def everything(demo: AuditDemo) -> list[Event]:
    """The whole log as the API pages it, in the largest pages it allows."""
    return walk(demo.client, demo.auditor, limit=1000)


def walk(client: TestClient, headers: dict[str, str], **params: Any) -> list[Event]:
    """Every page of the answer, following `next_cursor` to the end."""
    events: list[Event] = []
    cursor = None
    for _ in range(10_000):
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = client.get("/audit/events", params=query, headers=headers)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= params.get("limit", 50)
        events += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return events
        assert page["items"], "a page with a next cursor must hold items"
    raise AssertionError("the pages never ended")


def positions(events: list[Event]) -> list[int]:
    return [e["position"] for e in events]


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_paging_walks_every_event_once_in_position_order(demo, everything):
    logged = log_positions(demo.services)
    paged = walk(demo.client, demo.auditor, limit=7)

    assert positions(paged) == sorted(logged.values())
    assert len(paged) == event_count(demo.services) == len(set(positions(paged)))
    assert paged == everything
    assert {(uuid.UUID(e["aggregate_id"]), e["version"]): e["position"] for e in paged} == logged


def test_each_event_is_its_stream_record_with_its_chain_hash(demo, everything):
    rows = chain_rows(demo.services)
    for event in everything:
        assert (event["content_hash"], event["hash"]) == rows[event["position"]]
    stream = demo.client.get(f"/audit/streams/{demo.ids.viandes_call}", headers=demo.auditor)
    recorded = [version["event"] for version in stream.json()["versions"]]
    assert [e for e in everything if e["aggregate_id"] == str(demo.ids.viandes_call)] == recorded


def test_the_log_holds_the_contract_fields(everything):
    first = everything[0]
    for field in (
        "position",
        "aggregate_id",
        "aggregate_type",
        "version",
        "type",
        "effective_on",
        "recorded_at",
        "recorded_by",
        "correlation_id",
        "causation_id",
        "data",
        "hash",
    ):
        assert field in first, field
    caused = [e for e in everything if e["causation_id"]]
    assert caused, "the Viandes projects are caused by their selections"
    assert all(e["type"] == "Project.Proposed" for e in caused)


def viandes_scope(demo: AuditDemo, everything: list[Event]) -> Callable[[Event], bool]:
    """The Viandes filière's events and its calls', projects' and fundings', found in Python."""
    filiere = str(demo.ids.filieres["viandes"])
    mine = {filiere}
    for event in everything:  # creations come before what they are about, in log order
        data = event["data"]
        if data.get("filiere_id") == filiere and event["version"] == 1:
            mine.add(event["aggregate_id"])
        if event["type"] == "Funding.Granted" and data["project_id"] in mine:
            mine.add(event["aggregate_id"])
    return lambda e: e["aggregate_id"] in mine


FILTERS: dict[str, Callable[[AuditDemo, list[Event]], tuple[dict[str, Any], Any]]] = {
    "one aggregate": lambda demo, _: (
        {"aggregate_id": demo.ids.viandes_call},
        lambda e: e["aggregate_id"] == str(demo.ids.viandes_call),
    ),
    "an event type": lambda demo, _: (
        {"type": "Call.CandidacySelected"},
        lambda e: e["type"] == "Call.CandidacySelected",
    ),
    "an aggregate type": lambda demo, _: (
        {"type": "Call"},
        lambda e: e["aggregate_type"] == "Call",
    ),
    "the fundings": lambda demo, _: (
        {"type": "Funding"},
        lambda e: e["aggregate_type"] == "Funding",
    ),
    "a filière": lambda demo, everything: (
        {"filiere_id": demo.ids.filieres["viandes"]},
        viandes_scope(demo, everything),
    ),
    "the second actor": lambda demo, _: (
        {"actor": SECOND_ACTOR},
        lambda e: e["recorded_by"] == SECOND_ACTOR,
    ),
    "the demo's actor": lambda demo, _: (
        {"actor": DEMO_ACTOR},
        lambda e: e["recorded_by"] == DEMO_ACTOR,
    ),
    "effective days, inclusive": lambda demo, _: (
        {"effective_from": "2011-12-01", "effective_to": "2011-12-07"},
        lambda e: "2011-12-01" <= e["effective_on"] <= "2011-12-07",
    ),
    "from an effective day": lambda demo, _: (
        {"effective_from": "2012-01-20"},
        lambda e: e["effective_on"] >= "2012-01-20",
    ),
    "to an effective day": lambda demo, _: (
        {"effective_to": "2009-01-15"},
        lambda e: e["effective_on"] <= "2009-01-15",
    ),
    "recorded instants, inclusive": lambda demo, everything: (
        {
            "recorded_from": everything[20]["recorded_at"],
            "recorded_to": everything[40]["recorded_at"],
        },
        lambda e: (
            instant(everything[20]["recorded_at"])
            <= instant(e["recorded_at"])
            <= instant(everything[40]["recorded_at"])
        ),
    ),
    "recorded instants with another offset": lambda demo, everything: (
        {
            "recorded_from": instant(everything[30]["recorded_at"])
            .astimezone(datetime.fromisoformat("2000-01-01T00:00:00+02:00").tzinfo)
            .isoformat()
        },
        lambda e: instant(e["recorded_at"]) >= instant(everything[30]["recorded_at"]),
    ),
    "combined": lambda demo, everything: (
        {
            "filiere_id": demo.ids.filieres["viandes"],
            "type": "Call.CandidacyRejected",
            "actor": DEMO_ACTOR,
            "effective_to": "2012-01-20",
        },
        lambda e: (
            viandes_scope(demo, everything)(e)
            and e["type"] == "Call.CandidacyRejected"
            and e["recorded_by"] == DEMO_ACTOR
            and e["effective_on"] <= "2012-01-20"
        ),
    ),
}


@pytest.mark.parametrize("name", FILTERS)
def test_each_filter_returns_exactly_the_matching_events(demo, everything, name):
    params, matches = FILTERS[name](demo, everything)
    expected = [e for e in everything if matches(e)]
    assert expected, f"the demo has no event for {name}: the test would prove nothing"
    assert len(expected) < len(everything), f"{name} filters nothing out"

    assert walk(demo.client, demo.auditor, limit=1000, **params) == expected
    assert positions(walk(demo.client, demo.auditor, limit=3, **params)) == positions(expected)


def test_the_viandes_filter_holds_its_call_projects_and_fundings(demo, everything):
    ids = demo.ids
    found = walk(demo.client, demo.auditor, limit=1000, filiere_id=ids.filieres["viandes"])
    aggregates = {uuid.UUID(e["aggregate_id"]) for e in found}
    assert {
        ids.filieres["viandes"],
        ids.viandes_call,
        *ids.viandes_projects,
        demo.viandes_funding,
    } == aggregates
    assert len([e for e in found if e["aggregate_id"] == str(ids.viandes_call)]) == 17
    assert ids.organisations["candidat_viandes_1"] not in aggregates  # organisations: no filière
    assert ids.state_funding not in aggregates


def test_bounds_are_inclusive(demo, everything):
    event = everything[50]
    for params in (
        {"recorded_from": event["recorded_at"], "recorded_to": event["recorded_at"]},
        {"effective_from": event["effective_on"], "effective_to": event["effective_on"]},
    ):
        found = walk(demo.client, demo.auditor, limit=1000, **params)
        assert event["position"] in positions(found), params


def test_a_filter_that_matches_nothing_answers_an_empty_page(demo):
    for params in (
        {"aggregate_id": uuid.uuid4()},
        {"actor": "Nobody"},
        {"type": "Call.Nothing"},
        {"effective_to": "1999-12-31"},
    ):
        response = demo.client.get("/audit/events", params=params, headers=demo.auditor)
        assert response.status_code == 200, response.text
        assert response.json() == {"items": [], "next_cursor": None}


def other_lists_cursor() -> str:
    return base64.urlsafe_b64encode(f"2011-01-01|{uuid.uuid4()}".encode()).decode()


@pytest.mark.parametrize(
    "params",
    [
        {"cursor": "not a cursor"},
        {"cursor": "bG9nfA=="},  # "log|" with no position
        {"cursor": base64.urlsafe_b64encode(b"log|-3").decode()},
        {"cursor": base64.urlsafe_b64encode(b"log|" + b"9" * 40).decode()},
        {"cursor": other_lists_cursor()},
        {"limit": 0},
        {"limit": 1001},
        {"limit": "many"},
        {"effective_from": "2011-13-01"},
        {"effective_to": "yesterday"},
        {"recorded_from": "2012-01-01T00:00:00"},  # no offset: which time zone?
        {"recorded_to": "not an instant"},
        {"effective_from": "2012-01-02", "effective_to": "2012-01-01"},
        {"recorded_from": "2026-01-02T00:00:00Z", "recorded_to": "2026-01-01T00:00:00Z"},
        {"aggregate_id": "not-a-uuid"},
        {"filiere_id": "42"},
        {"type": "Call; DROP TABLE"},
        {"actor": "x" * 201},
        {"actor": "nul\x00byte"},
    ],
)
def test_malformed_questions_are_422(demo, params):
    before = event_count(demo.services)
    response = demo.client.get("/audit/events", params=params, headers=demo.auditor)
    assert_problem(response, 422)
    assert event_count(demo.services) == before


def test_only_auditors_and_admins_read_the_log(demo):
    assert demo.client.get("/audit/events", headers=demo.admin).status_code == 200
    assert_problem(demo.client.get("/audit/events", headers=demo.reader), 403, "reader")
    assert_problem(demo.client.get("/audit/events", headers=demo.recorder), 403)
    assert_problem(demo.client.get("/audit/events"), 401)


def test_a_command_shows_in_the_log_as_soon_as_it_is_answered(services: Services):
    """Read-your-writes: the log's page waits for the event index like every read."""
    with TestClient(create_app(services), raise_server_exceptions=False) as client:
        recorder = bearer(services.tokens.issue("Rita Recorder", Role.RECORDER))
        auditor = bearer(services.tokens.issue("Aude Auditor", Role.AUDITOR))
        created = client.post(
            "/organisations",
            json={"name": "Abattoir du Roannais", "kind": "company"},
            headers=recorder,
        )
        assert created.status_code == 201, created.text

        found = client.get(
            "/audit/events", params={"aggregate_id": created.json()["id"]}, headers=auditor
        ).json()["items"]

    assert [(e["type"], e["recorded_by"], e["position"]) for e in found] == [
        ("Organisation.Registered", "Rita Recorder", created.json()["position"])
    ]
