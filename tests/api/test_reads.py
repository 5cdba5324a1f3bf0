"""Reads: read-your-writes across workers, 503 when the views lag, paging, CSV, health."""

import csv
import io
from collections.abc import Iterator
from contextlib import AbstractContextManager
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from api.bootstrap import Services, build
from api.http.routers.decision_csv import COLUMNS
from application.call_commands import CloseSubmissions, DecideCandidacy, LaunchCall, SubmitCandidacy
from application.context import CommandContext
from application.filiere_commands import ChangeLeadPartner, LaunchFiliere
from application.funding_commands import GrantFunding
from infrastructure.settings import Settings
from tests.api.http import assert_problem, client_on
from tests.application.refusals import CLOSED_ON, DECIDED_ON, OPENS, a_project, open_call
from tests.world import PRESIDENTS, World

SETUP = CommandContext(actor="setup")


def client_of(services: Services) -> AbstractContextManager[TestClient]:
    return client_on(services, raise_server_exceptions=False)


def decision(
    world: World, decided_on: str, by: tuple[str, ...] = PRESIDENTS, **extra: Any
) -> dict[str, Any]:
    return {
        "body_id": str(world.bureau),
        "decided_on": decided_on,
        "decided_by": list(by),
        "sitting_not_published": True,
        "rationale": "décidé en bureau",
        **extra,
    }


def launch_call_body(world: World, title: str = "Appel Viandes") -> dict[str, Any]:
    return {
        "filiere_id": str(world.filiere),
        "title": title,
        "kind": "call_for_projects",
        "issuer_id": str(world.association),
        "opens_on": OPENS.isoformat(),
        "closes_on": "2011-06-30",
        "decision": decision(world, "2011-02-01"),
    }


def ok(response) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    result: dict[str, Any] = response.json()
    return result


# Read-your-writes, on the same worker and on another one
@pytest.fixture(params=["same-worker", "other-worker", "other-worker-writer-not-following"])
def worker_pair(
    request, database_url: str, services: Services, world: World
) -> Iterator[tuple[TestClient, TestClient]]:
    """A client that writes and one that reads: the same app, or apps on separate services."""
    built: list[Services] = []
    if request.param == "same-worker":
        writer_services = reader_services = services
    else:
        follows = request.param == "other-worker"
        writer_services = build(database_url=database_url, follow_in_process=follows)
        reader_services = build(database_url=database_url)
        built = [writer_services, reader_services]
    try:
        with client_of(writer_services) as writer, client_of(reader_services) as reader:
            yield writer, reader
    finally:
        for each in built:
            each.close()


def test_a_read_after_a_command_reflects_it(worker_pair, world, recorder, reader) -> None:
    writer, read = worker_pair

    launched = ok(writer.post("/calls", json=launch_call_body(world), headers=recorder))
    call = launched["id"]
    assert read.get(f"/calls/{call}", headers=reader).json()["version"] == 1
    overview = ok(read.get(f"/filieres/{world.filiere}", headers=reader))
    assert call in [c["id"] for c in overview["calls"]]
    register = ok(read.get("/decisions", params={"filiere_id": str(world.filiere)}, headers=reader))
    assert launched["position"] in [d["position"] for d in register["items"]]

    submitted = ok(
        writer.post(
            f"/calls/{call}/candidacies",
            json={
                "candidate_id": str(world.company),
                "project_title": "Abattoir mobile",
                "submitted_on": "2011-03-15",
            },
            headers=recorder,
        )
    )
    details = ok(read.get(f"/calls/{call}", headers=reader))
    assert [c["id"] for c in details["candidacies"]] == [submitted["candidacy_id"]]
    assert details["version"] == submitted["version"] == 2
    overview = ok(read.get(f"/filieres/{world.filiere}", headers=reader))
    assert overview["candidacies"]["submitted"] == 1

    project = ok(
        writer.post(
            "/projects",
            json={
                "filiere_id": str(world.filiere),
                "title": "Abattoir mobile",
                "proposed_on": "2011-10-01",
                "partners": [{"organisation_id": str(world.company), "role": "porteur"}],
            },
            headers=recorder,
        )
    )["id"]
    assert ok(read.get(f"/projects/{project}", headers=reader))["status"] == "proposed"
    overview = ok(read.get(f"/filieres/{world.filiere}", headers=reader))
    assert overview["projects_by_status"].get("proposed") == 1

    funding = ok(
        writer.post(
            "/fundings",
            json={
                "project_id": project,
                "funder_id": str(world.association),
                "kind": "grant",
                "amount": "5000.00",
                "decision": decision(world, "2012-01-10"),
            },
            headers=recorder,
        )
    )["id"]
    assert ok(read.get(f"/fundings/{funding}", headers=reader))["amount"] == "5000.00"
    ok(
        writer.post(
            f"/fundings/{funding}/disbursements",
            json={"amount": "1200.00", "paid_on": "2012-02-01"},
            headers=recorder,
        )
    )
    assert ok(read.get(f"/fundings/{funding}", headers=reader))["disbursed"] == "1200.00"
    overview = ok(read.get(f"/filieres/{world.filiere}", headers=reader))
    assert overview["funding"]["granted"] == "5000.00"
    assert overview["funding"]["disbursed"] == "1200.00"

    changed = ok(
        writer.post(
            f"/filieres/{world.filiere}/lead-partner",
            json={
                "lead_partner_id": str(world.partner_b),
                "decision": decision(world, "2012-06-01"),
            },
            headers=recorder,
        )
    )
    overview = ok(read.get(f"/filieres/{world.filiere}", headers=reader))
    assert overview["lead_partner"]["id"] == str(world.partner_b)
    assert overview["last_decision"]["position"] == changed["position"]
    register = ok(read.get("/decisions", params={"from": "2012-06-01"}, headers=reader))
    assert [d["position"] for d in register["items"]] == [changed["position"]]


# When nobody keeps the views current
@pytest.fixture
def lagging(database_url: str, services: Services, world: World) -> Iterator[TestClient]:
    """A worker whose views nobody updates, that waits 0.3 s for them on each read."""
    built = build(
        settings=Settings(read_wait_seconds=0.3), database_url=database_url, follow_in_process=False
    )
    try:
        with client_of(built) as client:
            yield client
    finally:
        built.close()


@pytest.mark.parametrize(
    "path",
    [
        "/calls/{call}",
        "/filieres/{filiere}",
        "/filieres",
        "/decisions",
        "/calls?filiere_id={filiere}",
    ],
)
def test_a_read_answers_503_while_the_views_do_not_catch_up(
    lagging, services, world, recorder, reader, path
) -> None:
    launched = ok(lagging.post("/calls", json=launch_call_body(world), headers=recorder))

    response = lagging.get(path.format(call=launched["id"], filiere=world.filiere), headers=reader)

    assert_problem(response, 503, "views")
    assert int(response.headers["Retry-After"]) >= 1
    services.views.catch_up()  # another process brings the views up to date: answers again
    ok(lagging.get(path.format(call=launched["id"], filiere=world.filiere), headers=reader))
    assert ok(lagging.get(f"/calls/{launched['id']}", headers=reader))["id"] == launched["id"]


def test_health_shows_the_lag_while_the_views_do_not_catch_up(lagging, services, world, recorder):
    ok(lagging.post("/calls", json=launch_call_body(world), headers=recorder))

    health = ok(lagging.get("/health"))

    assert health["status"] == "ok"
    assert any(view["lag"] > 0 for view in health["projections"])


# Paging
def walk(client: TestClient, path: str, headers: dict[str, str], **params: Any) -> list[dict]:
    """Every item of a paged list, following next_cursor to the end."""
    items: list[dict] = []
    cursor = None
    for _ in range(1000):
        query = {**params, **({"cursor": cursor} if cursor else {})}
        page = ok(client.get(path, params=query, headers=headers))
        assert len(page["items"]) <= params["limit"]
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return items
        assert page["items"], "a page that leads on holds something"
    raise AssertionError("next_cursor never ended")


def test_the_filieres_list_pages_through_every_filiere_once(
    client, services, world, recorder, reader
) -> None:
    launched = [world.filiere]
    for n, launched_on in enumerate(["2010-01-01", "2010-01-01", "2009-06-01", "2012-12-31"]):
        body = {
            "name": f"Filière {n}",
            "kind": "axis" if n % 2 else "filiere",
            "lead_partner_id": str(world.partner_a),
            "launched_on": launched_on,
            "decision": decision(world, "2009-05-01"),
        }
        launched.append(UUID(ok(client.post("/filieres", json=body, headers=recorder))["id"]))

    items = walk(client, "/filieres", reader, limit=1)

    ids = [UUID(item["id"]) for item in items]
    assert len(ids) == len(set(ids)) == 5
    assert set(ids) == set(launched)
    keys = [(item["launched_on"], item["id"]) for item in items]
    assert keys == sorted(keys)
    assert walk(client, "/filieres", reader, limit=2) == items
    assert ok(client.get("/filieres", params={"limit": 1000}, headers=reader))["items"] == items


def decision_positions(services: Services) -> list[int]:
    """The log positions of every event that carries a decision, read from the log itself."""
    app = services.app
    notifications = app.recorder.select_notifications(start=None, limit=100_000)
    return [
        n.id
        for n in notifications
        if getattr(app.mapper.to_domain_event(n), "decision", None) is not None
    ]


@pytest.fixture
def second_filiere(services: Services, world: World) -> UUID:
    """Decisions over two filières, two deciding bodies, several persons and dates."""
    app = services.app
    second = app.launch_filiere(
        SETUP,
        LaunchFiliere(
            name="Bois",
            kind="filiere",
            lead_partner_id=world.partner_b,
            decision=world.decision(date(2010, 5, 1), by=PRESIDENTS[1:]),
        ),
    ).id
    call = open_call(app, SETUP, world, max_selected=2)
    app.launch_call(
        SETUP,
        LaunchCall(
            filiere_id=second,
            title="Appel de l'État",
            kind="call_for_projects",
            issuer_id=world.state,
            opens_on=OPENS,
            closes_on=date(2011, 6, 30),
            decision=world.decision(date(2011, 2, 1), body=world.state_body, by=()),
        ),
    )
    candidacies = [
        app.submit_candidacy(
            SETUP,
            SubmitCandidacy(
                call_id=call,
                candidate_id=world.company,
                project_title=f"Projet {n}",
                submitted_on=OPENS,
            ),
        ).candidacy_id
        for n in range(4)
    ]
    app.close_submissions(SETUP, CloseSubmissions(call_id=call, closed_on=CLOSED_ON))
    for n, candidacy in enumerate(candidacies):
        outcome = "selected" if n < 2 else "rejected"
        by = (PRESIDENTS[n % 2],)
        app.decide_candidacy(
            SETUP,
            DecideCandidacy(
                call_id=call,
                candidacy_id=candidacy,
                outcome=outcome,
                decision=world.decision(DECIDED_ON, by=by),
            ),
        )
    project = a_project(app, SETUP, world)
    app.grant_funding(
        SETUP,
        GrantFunding(
            project_id=project,
            funder_id=world.association,
            kind="grant",
            decision=world.decision(date(2012, 1, 10)),
            amount="900.00",
        ),
    )
    app.grant_funding(
        SETUP,
        GrantFunding(
            project_id=project,
            funder_id=world.state,
            kind="loan",
            decision=world.decision(date(2012, 1, 10), body=world.state_body, by=()),
        ),
    )
    app.change_lead_partner(
        SETUP,
        ChangeLeadPartner(
            filiere_id=second,
            lead_partner_id=world.partner_a,
            decision=world.decision(date(2012, 3, 1)),
        ),
    )
    return second


def test_the_register_holds_every_decision_of_the_log_in_date_order(
    client, services, world, second_filiere, reader
) -> None:
    everything = ok(client.get("/decisions", params={"limit": 1000}, headers=reader))

    assert everything["next_cursor"] is None
    items = everything["items"]
    assert sorted(d["position"] for d in items) == decision_positions(services)
    assert len(items) == 11
    keys = [(d["decided_on"], d["position"]) for d in items]
    assert keys == sorted(keys)


def _matches(entry: dict[str, Any], where: dict[str, str]) -> bool:
    return (
        ("filiere_id" not in where or entry["filiere_id"] == where["filiere_id"])
        and ("body_id" not in where or entry["body_id"] == where["body_id"])
        and ("person" not in where or where["person"] in entry["decided_by"])
        and ("from" not in where or entry["decided_on"] >= where["from"])
        and ("to" not in where or entry["decided_on"] <= where["to"])
    )


FILTERS = {
    "none": {},
    "filiere": {"filiere_id": "{filiere}"},
    "second-filiere": {"filiere_id": "{second}"},
    "bureau": {"body_id": "{bureau}"},
    "state-body": {"body_id": "{state_body}"},
    "person-a": {"person": PRESIDENTS[0]},
    "person-b": {"person": PRESIDENTS[1]},
    "from": {"from": "2011-09-15"},
    "to": {"to": "2011-09-15"},
    "one-day": {"from": "2011-09-15", "to": "2011-09-15"},
    "combined": {"filiere_id": "{filiere}", "person": PRESIDENTS[0], "from": "2011-01-01"},
}


def query_of(name: str, world: World, second_filiere: UUID) -> dict[str, str]:
    """The query parameters of the filter `name`, with the world's ids filled in."""
    ids = {
        "filiere": world.filiere,
        "second": second_filiere,
        "bureau": world.bureau,
        "state_body": world.state_body,
    }
    return {key: value.format(**ids) for key, value in FILTERS[name].items()}


@pytest.mark.parametrize("name", FILTERS)
def test_the_register_pages_by_two_without_duplicates_or_gaps(
    client, world, second_filiere, reader, name
) -> None:
    where = query_of(name, world, second_filiere)
    everything = ok(client.get("/decisions", params={"limit": 1000}, headers=reader))["items"]
    expected = [d["position"] for d in everything if _matches(d, where)]
    assert expected, "the filter matches some decisions"

    items = walk(client, "/decisions", reader, limit=2, **where)

    assert [d["position"] for d in items] == expected
    assert all(_matches(d, where) for d in items)


def test_the_calls_projects_and_fundings_lists_hold_what_was_created(
    client, world, recorder, reader
) -> None:
    calls = [
        ok(client.post("/calls", json=launch_call_body(world, f"Appel {n}"), headers=recorder))[
            "id"
        ]
        for n in range(3)
    ]
    projects = [
        ok(
            client.post(
                "/projects",
                json={
                    "filiere_id": str(world.filiere),
                    "title": f"Projet {n}",
                    "proposed_on": f"2011-1{n}-01",
                },
                headers=recorder,
            )
        )["id"]
        for n in range(3)
    ]
    fundings = [
        ok(
            client.post(
                "/fundings",
                json={
                    "project_id": projects[0],
                    "funder_id": str(world.association),
                    "kind": kind,
                    "amount": "100.00",
                    "decision": decision(world, "2012-01-10"),
                },
                headers=recorder,
            )
        )["id"]
        for kind in ("grant", "study")
    ]

    listed_calls = walk(client, "/calls", reader, limit=1, filiere_id=str(world.filiere))
    listed_projects = walk(client, "/projects", reader, limit=2, filiere_id=str(world.filiere))
    listed_fundings = walk(client, "/fundings", reader, limit=1, project_id=projects[0])

    assert sorted(c["id"] for c in listed_calls) == sorted(calls)
    assert sorted(p["id"] for p in listed_projects) == sorted(projects)
    assert sorted(f["id"] for f in listed_fundings) == sorted(fundings)
    assert ok(client.get("/fundings", params={"project_id": projects[1]}, headers=reader)) == {
        "items": [],
        "next_cursor": None,
    }


@pytest.mark.parametrize(
    ("path", "param"),
    [("/calls", "filiere_id"), ("/projects", "filiere_id"), ("/fundings", "project_id")],
)
def test_a_list_of_an_unknown_parent_is_not_found(client, world, reader, path, param) -> None:
    assert_problem(client.get(path, params={param: str(UUID(int=9))}, headers=reader), 404)


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 1001}, {"limit": "x"}, {"cursor": "x" * 501}],
    ids=["zero", "too-many", "not-a-number", "too-long"],
)
@pytest.mark.parametrize("path", ["/decisions", "/filieres"])
def test_a_bad_limit_or_cursor_is_refused(client, world, reader, params, path) -> None:
    assert_problem(client.get(path, params=params, headers=reader), 422)


@pytest.mark.parametrize("cursor", ["%%%", "bm9wZQ==", "MjAxMS0wMS0wMXx4"])
def test_a_register_cursor_the_api_did_not_give_is_refused(client, world, reader, cursor) -> None:
    assert_problem(
        client.get("/decisions", params={"cursor": cursor}, headers=reader), 422, "cursor"
    )


# CSV
def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.text)))


@pytest.mark.parametrize("name", ["none", "filiere", "state-body", "person-a"])
def test_the_csv_register_has_the_rows_of_the_json_register_in_order(
    client, world, second_filiere, reader, name
) -> None:
    where = query_of(name, world, second_filiere)
    entries = ok(client.get("/decisions", params={"limit": 1000, **where}, headers=reader))["items"]

    rows = read_csv(
        client.get("/decisions", params=where, headers={**reader, "Accept": "text/csv"})
    )

    assert rows[0] == list(COLUMNS)
    assert len(rows) == 1 + len(entries)
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [int(r["position"]) for r in records] == [e["position"] for e in entries]
    for record, entry in zip(records, entries, strict=True):
        assert record["decided_on"] == entry["decided_on"]
        assert record["body_id"] == entry["body_id"]
        assert record["body_name"] == entry["body_name"]
        assert record["filiere_id"] == (entry["filiere_id"] or "")
        assert record["decided_by"] == "; ".join(entry["decided_by"])
        assert record["event"] == entry["event"]
        assert record["aggregate_id"] == entry["aggregate_id"]
        assert record["rationale"] == entry["rationale"]
        assert record["amount"] == (entry["amount"] or "")
        assert record["recorded_by"] == entry["recorded_by"]


def test_a_csv_cell_that_would_run_as_a_formula_is_neutralised(
    client, world, recorder, reader
) -> None:
    formula = '=HYPERLINK("http://example.invalid","x")'
    body = {
        "name": formula,
        "kind": "filiere",
        "lead_partner_id": str(world.partner_a),
        "launched_on": "2010-01-01",
        "decision": decision(world, "2010-01-01", rationale="+1+1"),
    }
    filiere = ok(client.post("/filieres", json=body, headers=recorder))["id"]
    entry = ok(client.get("/decisions", params={"filiere_id": filiere}, headers=reader))["items"][0]
    assert entry["filiere_name"] == formula

    rows = read_csv(
        client.get(
            "/decisions", params={"filiere_id": filiere}, headers={**reader, "Accept": "text/csv"}
        )
    )

    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["filiere_name"] == "'" + formula
    assert record["rationale"] == "'+1+1"
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


# Health
def test_health_answers_without_a_token_with_no_lag_once_caught_up(
    client, services, world, recorder, reader
) -> None:
    ok(client.post("/calls", json=launch_call_body(world), headers=recorder))
    ok(client.get("/filieres", headers=reader))

    response = client.get("/health")

    health = ok(response)
    assert health["status"] == "ok"
    assert health["events"] == services.app.event_count()
    assert health["projections"]
    assert all(view["lag"] == 0 for view in health["projections"])
    last = services.app.recorder.max_notification_id()
    assert all(view["position"] <= last for view in health["projections"])
