"""`filieres report assumptions` and the register's `--assumed`: what the demo's facts rest on.

Every event of the demo cites the sheet and its section; most rest on an
assumption (a day the sheet does not give, a decider it does not name). The
report lists exactly the events whose metadata holds assumptions, and the
README's section on sources says the same.
"""

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from api.cli.app import app as cli
from application.roannais_history.facts import BUREAU_DECIDERS_UNKNOWN, SHEET
from tests.audit.demo_store import DemoStore

runner = CliRunner()
WIDE = {"COLUMNS": "400"}
README = Path(__file__).parents[2] / "README.md"


def run(demo: DemoStore, *args: str) -> str:
    result = runner.invoke(cli, [*args, "--database-url", demo.url], env=WIDE)
    assert result.exit_code == 0, result.output
    return result.stdout


def exported(demo: DemoStore) -> list[dict]:
    return [json.loads(line) for line in run(demo, "audit", "export").splitlines()]


def test_the_report_lists_every_event_resting_on_an_assumption_and_only_those(demo):
    rows = list(csv.DictReader(io.StringIO(run(demo, "report", "assumptions", "--format", "csv"))))

    log = exported(demo)
    assumed = [e for e in log if (e["metadata"] or {}).get("assumptions")]
    assert [int(r["position"]) for r in rows] == [e["position"] for e in assumed]
    for row, event in zip(rows, assumed, strict=True):
        assert row["assumptions"] == " | ".join(event["metadata"]["assumptions"])
        assert row["source_document"] == SHEET
        assert row["source_locator"] == event["metadata"]["source"]["locator"]
    # Every event of the demo cites the sheet, whether or not it rests on an assumption.
    assert all(e["metadata"]["source"]["document"] == SHEET for e in log)


def test_the_report_shows_the_viandes_selections_with_what_they_rest_on(demo):
    listed = json.loads(run(demo, "report", "assumptions", "--format", "json"))
    selections = [e for e in listed if e["type"] == "Call.CandidacySelected"]
    assert len(selections) == 4
    for event in selections:
        assert BUREAU_DECIDERS_UNKNOWN in event["metadata"]["assumptions"]
        assert any("arbitraire" in a for a in event["metadata"]["assumptions"])
    table = run(demo, "report", "assumptions")
    assert f"Events resting on an assumption — {len(listed)}" in table


def test_the_register_filters_to_the_decisions_resting_on_an_assumption(demo):
    every = run(demo, "report", "decisions", "--format", "csv")
    assumed = run(demo, "report", "decisions", "--assumed", "--format", "csv")
    not_assumed = run(demo, "report", "decisions", "--not-assumed", "--format", "csv")

    def positions(text: str) -> set[str]:
        return {r["position"] for r in csv.DictReader(io.StringIO(text))}

    assert positions(assumed) | positions(not_assumed) == positions(every)
    assert not positions(assumed) & positions(not_assumed)
    # Each bureau decision rests at least on the sheet's silence about its deciders.
    for row in csv.DictReader(io.StringIO(assumed)):
        assert row["source_document"] == SHEET and row["assumptions"]
        if row["body_name"] == "Bureau de Roanne Territoire":
            assert BUREAU_DECIDERS_UNKNOWN in row["assumptions"]


def test_the_readme_lists_what_the_report_prints(demo):
    """The README's section on sources names each assumption the demo rests on."""
    listed = json.loads(run(demo, "report", "assumptions", "--format", "json"))
    distinct = {a for e in listed for a in e["metadata"]["assumptions"]}
    readme = README.read_text(encoding="utf-8")
    missing = [a for a in sorted(distinct) if a not in readme]
    assert not missing, missing
