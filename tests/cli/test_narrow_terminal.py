"""Every table the CLI prints, read in an 80-column terminal: no word a reader needs is cut.

And every table also comes as JSON a script can read: the API's own JSON where it has one.
"""

import json
import re

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from api.cli.app import app as cli
from api.cli.markdown import markdown_cell
from api.cli.report import DECISION_HEADER
from api.http.main import create_app
from application.projections.records import DecisionEntry, RegisterFilter
from infrastructure.auth_store import Role
from tests.api.http import bearer
from tests.audit.demo_store import DemoStore

runner = CliRunner()
NARROW = 80
OUTCOMES = ("Call.CandidacySelected", "Call.CandidacyRejected", "Call.Launched")


def filieres(demo: DemoStore, *args: str, columns: int = NARROW) -> Result:
    result = runner.invoke(cli, [*args, "--database-url", demo.url], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result


def assert_fits(output: str, width: int = NARROW) -> None:
    """Every line within the terminal, nothing cut to an ellipsis."""
    assert "…" not in output
    too_wide = [line for line in output.splitlines() if len(line) > width]
    assert not too_wide, too_wide


def record_texts(output: str) -> list[str]:
    """The records of a table printed as records, each as its values' words in one line."""
    records, current = [], []
    for line in output.splitlines():
        if line.startswith(("├", "└")):
            records.append(" ".join(current))
            current = []
        elif line.startswith("│"):
            current.extend(line.strip("│").split("│", 1)[1].split())
    return records


def viandes_register(demo: DemoStore) -> list[DecisionEntry]:
    where = RegisterFilter(filiere_id=demo.ids.filieres["viandes"])
    page = demo.services.read_models.decisions(where, limit=1000)
    assert page.next_cursor is None
    return page.items


@pytest.fixture(scope="module")
def api(demo: DemoStore):
    """The API on the demo store, and a reader's headers."""
    headers = bearer(demo.services.tokens.issue("Narrow Reader", Role.READER))
    with TestClient(create_app(demo.services)) as client:
        yield client, headers


def test_the_decision_report_at_80_columns_shows_outcomes_and_rationales_whole(demo):
    output = filieres(demo, "report", "decisions", "--filiere", "Viandes").stdout
    assert_fits(output)

    expected = viandes_register(demo)
    records = record_texts(output)
    assert len(records) == len(expected)
    for record, entry in zip(records, expected, strict=True):
        assert record.startswith(f"{entry.position} {entry.decided_on}")
        assert entry.event in record.split()
        assert " ".join(entry.rationale.split()) in record
    for outcome in OUTCOMES:
        assert outcome in output


def test_the_viandes_selections_at_80_columns_say_bureau_unpublished_sitting_and_assumptions(demo):
    """The issue's check: decided by the bureau, in a sitting never published, unverified,
    with what the recorder assumed."""
    output = filieres(demo, "report", "decisions", "--filiere", "Viandes").stdout
    assert_fits(output)

    selections = [
        (record, entry)
        for record, entry in zip(record_texts(output), viandes_register(demo), strict=True)
        if entry.event == "Call.CandidacySelected"
    ]
    assert len(selections) == 4
    for record, entry in selections:
        assert entry.body_name.startswith("Bureau") and entry.verified is False
        assert entry.decided_by == [] and entry.assumptions
        assert f"{entry.body_name} Call.CandidacySelected" in record
        assert record.endswith("not published (unverified)")
        for assumption in entry.assumptions:
            assert " ".join(assumption.split()) in record
    unverified = filieres(demo, "report", "decisions", "--filiere", "Viandes", "--unverified")
    assert_fits(unverified.stdout)
    assert record_texts(unverified.stdout) == record_texts(output)


def test_the_markdown_report_carries_the_rationale_and_reference(demo):
    lines = filieres(demo, "report", "decisions", "--filiere", "Viandes", "--format", "md")
    header, _, *rows = lines.stdout.strip().splitlines()
    last_columns = ["rationale", "reference", "source", "assumptions", "sitting |"]
    assert header.split(" | ")[-5:] == last_columns
    rationale = DECISION_HEADER.index("rationale")
    for row, entry in zip(rows, viandes_register(demo), strict=True):
        assert f"| {markdown_cell(entry.rationale)} |" in row
        assert row.count(" | ") >= rationale
        if entry.event == "Call.CandidacySelected":  # the sheet publishes no sitting
            assert row.endswith("| not published (unverified) |"), row


def test_a_wide_terminal_gets_the_register_as_columns(demo):
    output = filieres(demo, "report", "decisions", "--filiere", "Viandes", columns=400).stdout
    assert_fits(output, 400)
    positions = [int(p) for p in re.findall(r"^│\s+(\d+) │", output, re.MULTILINE)]
    assert positions == [e.position for e in viandes_register(demo)]


@pytest.mark.parametrize(
    "command, words",
    [
        (["summary"], ("Agglomération", "Déconstruction", "approved", "proposed", "rejected")),
        (["report", "seats"], ("participant", "voting", "Agglomération", "Directeur(trice)")),
        (["projections", "status"], ("decision_register", "filiere_overview", "event_index")),
        (["token", "list"], ("tok_", "reader", "Narrow")),
        (["audit", "overview", "Viandes"], ("concluded", "approved", "Agglomération")),
    ],
    ids=["summary", "report seats", "projections status", "token list", "audit overview"],
)
def test_every_table_fits_80_columns_with_its_words_whole(demo, api, command, words):
    output = filieres(demo, *command).stdout
    assert_fits(output)
    for word in words:
        assert re.search(rf"(?<!\S){re.escape(word)}", output), word


def test_an_aggregate_history_at_80_columns_keeps_each_event_type(demo):
    output = filieres(demo, "audit", "history", str(demo.ids.viandes_call)).stdout
    assert_fits(output)
    assert output.count("Call.CandidacySelected") == 4
    assert output.count("Call.CandidacyRejected") == 3


def test_the_json_of_each_table_is_what_the_api_answers(demo, api):
    client, headers = api
    summary = json.loads(filieres(demo, "summary", "--format", "json").stdout)
    assert summary["events"] == client.get("/health").json()["events"]
    assert summary["filieres"] == client.get("/filieres", headers=headers).json()["items"]
    assert summary["partners_without_active_filiere"] == []

    decisions = filieres(demo, "report", "decisions", "--format", "json").stdout
    answer = client.get("/decisions", params={"limit": 1000}, headers=headers).json()
    assert json.loads(decisions) == answer["items"]

    seats = filieres(demo, "report", "seats", "--format", "json").stdout
    assert json.loads(seats) == client.get("/reports/seats", headers=headers).json()

    status = json.loads(filieres(demo, "projections", "status", "--format", "json").stdout)
    health = client.get("/health").json()
    assert status["log_end"] == health["events"]
    assert [(v["name"], v["position"], v["lag"]) for v in status["views"]] == [
        (v["name"], v["position"], v["lag"]) for v in health["projections"]
    ]
    assert all(v["version"] >= 1 for v in status["views"])
