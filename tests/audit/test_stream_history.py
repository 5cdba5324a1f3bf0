"""The history of one aggregate: every version, its event with its chain hashes, the state after."""

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli.app import app as cli
from application.audit.event_record import GENESIS_HASH, chain_hash
from application.audit.stream_history import aggregate_state, stream_history
from domain.call import Call
from domain.errors import NotFoundError
from infrastructure.audit_event_query import AuditEventQuery
from tests.api.http import assert_problem
from tests.audit.audit_fixtures import AuditDemo, audit_demo, chain_rows, log_positions
from tests.audit.demo_store import BACKENDS

runner = CliRunner()
WIDE = {"COLUMNS": "400"}
DECIDED = "2012-01-20"


@pytest.fixture(scope="module", params=BACKENDS)
def demo(request: pytest.FixtureRequest) -> Iterator[AuditDemo]:
    with audit_demo(request) as store:
        yield store


def history(demo: AuditDemo, aggregate_id: uuid.UUID) -> dict[str, Any]:
    response = demo.client.get(f"/audit/streams/{aggregate_id}", headers=demo.auditor)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_the_viandes_call_has_every_version_in_order(demo):
    call = demo.ids.viandes_call
    answer = history(demo, call)

    stored = demo.services.app.recorder.select_events(call)
    positions = log_positions(demo.services)
    versions = answer["versions"]
    assert answer["aggregate_id"] == str(call)
    assert answer["aggregate_type"] == "Call"
    assert len(versions) == len(stored) == 17  # launch, 7 submitted, closed, 7 decided, concluded
    assert [v["event"]["version"] for v in versions] == list(range(1, len(stored) + 1))
    assert [v["event"]["position"] for v in versions] == [
        positions[call, s.originator_version] for s in stored
    ]
    assert [v["event"]["topic"] for v in versions] == [s.topic for s in stored]
    assert versions[0]["event"]["type"] == "Call.Launched"
    assert versions[-1]["event"]["type"] == "Call.Concluded"
    for version in versions:
        assert version["state"]["id"] == str(call)
        assert version["state"]["version"] == version["event"]["version"]
        assert version["event"]["aggregate_id"] == str(call)
        assert version["event"]["recorded_by"] == "filieres demo"
    assert versions[-1]["state"]["status"] == "concluded"


def test_the_state_after_a_selection_shows_that_candidacy_selected(demo):
    versions = history(demo, demo.ids.viandes_call)["versions"]
    decided = {
        v["event"]["data"]["candidacy_id"]: index
        for index, v in enumerate(versions)
        if v["event"]["type"] in ("Call.CandidacySelected", "Call.CandidacyRejected")
    }
    outcomes = [(c, "selected") for c in demo.ids.viandes_selected] + [
        (c, "rejected") for c in demo.ids.viandes_rejected
    ]
    assert len(decided) == len(outcomes) == 7
    for candidacy, outcome in outcomes:
        index = decided[str(candidacy)]
        after = versions[index]["state"]["candidacies"][str(candidacy)]
        before = versions[index - 1]["state"]["candidacies"][str(candidacy)]
        assert versions[index]["event"]["type"] == f"Call.Candidacy{outcome.title()}"
        assert after["status"] == outcome
        assert after["decided_on"] == DECIDED
        assert after["decision_version"] == versions[index]["event"]["version"]
        assert before["status"] == "submitted"
        assert before["decided_on"] is None


def test_the_last_state_is_the_aggregate_the_application_loads(demo):
    """The replay goes through the library, so it ends where the repository does."""
    app = demo.services.app
    versions = history(demo, demo.ids.viandes_call)["versions"]
    assert versions[-1]["state"] == aggregate_state(app.load(Call, demo.ids.viandes_call))


def test_each_event_carries_its_row_of_the_chain(demo):
    rows = chain_rows(demo.services)
    ordered = sorted(rows)
    previous_of = dict(zip(ordered[1:], ordered, strict=False))
    for aggregate_id in (demo.ids.viandes_call, demo.viandes_funding, demo.ids.bureau):
        for version in history(demo, aggregate_id)["versions"]:
            event = version["event"]
            content, chained = rows[event["position"]]
            before = previous_of.get(event["position"])
            expected_previous = rows[before][1] if before is not None else GENESIS_HASH
            assert event["content_hash"] == content
            assert event["hash"] == chained
            assert event["previous_hash"] == expected_previous
            assert chain_hash(event["previous_hash"], event["content_hash"]) == event["hash"]


def test_amounts_render_with_two_places_and_unknown_ones_as_null(demo):
    ids = demo.ids
    project = history(demo, ids.deconstruction_global_project)["versions"]
    assert project[0]["state"]["estimated_budget"] == "18000000.00"
    # Proposed, approved, under way at the sheet's date with its two actions engaged.
    assert [v["state"]["status"] for v in project] == [
        "proposed",
        "approved",
        "in_progress",
        "in_progress",
        "in_progress",
    ]
    assert project[0]["state"]["proposed_on"] == "2011-06-01"
    partners = project[0]["state"]["partners"]
    assert {p["organisation_id"] for p in partners} == {
        str(ids.organisations[key]) for key in ("cider", "aprres", "bartin")
    }

    (state_support,) = history(demo, ids.state_funding)["versions"]
    assert state_support["state"]["amount"] is None
    assert state_support["state"]["funder_id"] == str(ids.organisations["etat"])

    revised = history(demo, demo.viandes_funding)["versions"]
    assert [v["state"]["amount"] for v in revised] == ["15000.00", "12000.00"]
    assert [v["event"]["recorded_by"] for v in revised] == ["Jeanne Saisie"] * 2


def test_the_application_refuses_an_unknown_id(demo):
    app = demo.services.app
    with pytest.raises(NotFoundError, match="no aggregate"):
        stream_history(app.mapper, AuditEventQuery.of(app), uuid.uuid4())


def test_http_answers_404_for_an_unknown_id_and_422_for_a_malformed_one(demo):
    unknown = demo.client.get(f"/audit/streams/{uuid.uuid4()}", headers=demo.auditor)
    assert_problem(unknown, 404, "no aggregate")
    malformed = demo.client.get("/audit/streams/not-a-uuid", headers=demo.auditor)
    assert_problem(malformed, 422)


def test_only_auditors_and_admins_read_a_history(demo):
    path = f"/audit/streams/{demo.ids.viandes_call}"
    assert demo.client.get(path, headers=demo.admin).status_code == 200
    for headers in (demo.reader, demo.recorder):
        assert_problem(demo.client.get(path, headers=headers), 403)
    assert_problem(demo.client.get(path), 401)


def test_the_cli_prints_every_version_as_a_table(demo):
    call = demo.ids.viandes_call
    result = runner.invoke(
        cli, ["audit", "history", str(call), "--database-url", demo.url], env=WIDE
    )
    assert result.exit_code == 0, result.output
    assert f"Call {call} — 17 versions" in result.output
    lines = [line for line in result.output.splitlines() if "filieres demo" in line]
    assert len(lines) == 17
    assert [line.split("│")[3].strip() for line in lines] == [
        v["event"]["type"] for v in history(demo, call)["versions"]
    ]
    assert result.output.count("Call.CandidacySelected") == 4
    assert result.output.count("Call.CandidacyRejected") == 3


def test_the_cli_json_is_the_http_answer(demo):
    aggregate = demo.ids.viandes_call
    result = runner.invoke(
        cli,
        ["audit", "history", str(aggregate), "--format", "json", "--database-url", demo.url],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == history(demo, aggregate)


def test_the_cli_refuses_an_unknown_id(demo):
    unknown = uuid.uuid4()
    result = runner.invoke(cli, ["audit", "history", str(unknown), "--database-url", demo.url])
    assert result.exit_code == 2  # the argument names nothing: could not answer
    assert "not found" in result.output and str(unknown) in result.output
