"""`filieres report decisions`: who decided what, from the register, as CSV, Markdown or a table."""

import csv
import io
import re
from datetime import date
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from api.bootstrap import Services
from api.cli.app import app as cli
from api.cli.report import DECISION_HEADER, all_decisions, markdown_cell
from api.http.main import create_app
from application.context import CommandContext
from application.filiere_commands import LaunchFiliere
from application.projections.records import DecisionEntry, RegisterFilter
from domain.filiere import FiliereKind
from infrastructure.auth_store import Role
from tests.audit.demo_store import DemoStore
from tests.world import make_world

runner = CliRunner()
WIDE = {"COLUMNS": "400"}
"""Rich tables are as wide as the terminal; wide enough here that short cells do not wrap."""
BUREAU = "Bureau de Roanne Territoire"
DECIDED = "2012-01-20"
"""The day the demo's bureau decided the Viandes candidacies."""


def report(url: str, *args: str, output: str = "csv") -> Result:
    result = runner.invoke(
        cli,
        ["report", "decisions", *args, "--format", output, "--database-url", url],
        env=WIDE,
    )
    assert result.exit_code == 0, result.output
    return result


def csv_report(demo: DemoStore, *args: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(report(demo.url, *args).stdout)))


def register(demo: DemoStore, **where: object) -> list[DecisionEntry]:
    """What the register itself answers, in one page (the demo holds far fewer than 1000)."""
    page = demo.services.read_models.decisions(RegisterFilter(**where), limit=1000)  # type: ignore[arg-type]
    assert page.next_cursor is None
    return page.items


def md_cells(line: str) -> list[str]:
    """The cells of a Markdown table row, split on unescaped pipes, escapes kept."""
    assert line.startswith("|") and line.endswith("|"), line
    cells, cell, escaped = [], "", False
    for char in line[1:-1]:
        if escaped or char == "\\":
            cell += char
            escaped = not escaped and char == "\\"
        elif char == "|":
            cells.append(cell.strip())
            cell = ""
        else:
            cell += char
    return [*cells, cell.strip()]


# --- CSV ------------------------------------------------------------------------------------


def test_the_viandes_report_lists_its_selections_and_rejections_with_who_decided(demo):
    ids = demo.ids
    rows = csv_report(demo, "--filiere", str(ids.filieres["viandes"]))

    assert [int(r["position"]) for r in rows] == [
        e.position for e in register(demo, filiere_id=ids.filieres["viandes"])
    ]
    assert {r["filiere_name"] for r in rows} == {"Viandes"}
    selected = [r for r in rows if r["event"] == "Call.CandidacySelected"]
    rejected = [r for r in rows if r["event"] == "Call.CandidacyRejected"]
    assert [UUID(r["candidacy_id"]) for r in selected] == list(ids.viandes_selected)
    assert [UUID(r["candidacy_id"]) for r in rejected] == list(ids.viandes_rejected)
    assert [r["subject"] for r in selected + rejected] == [
        f"Démarche innovante du candidat {n} (intitulé non publié)" for n in range(1, 8)
    ]
    for row in selected + rejected:
        assert row["decided_on"] == DECIDED
        assert row["body_name"] == BUREAU and UUID(row["body_id"]) == ids.bureau
        # The sheet publishes no sitting and names no one who decided.
        assert row["decided_by"] == ""
        assert row["recorded_by"] == "filieres demo"
    # One row known by hand: the call itself, launched by the bureau in September 2011.
    (launch,) = (r for r in rows if r["event"] == "Call.Launched")
    assert launch["decided_on"] == "2011-09-15"
    assert launch["subject"].startswith("Appel à projets Filière Viandes")
    assert UUID(launch["aggregate_id"]) == ids.viandes_call


@pytest.mark.parametrize(
    "args, where",
    [
        pytest.param(("--body", "bureau"), {"body_id": "bureau"}, id="body"),
        pytest.param(("--person", "Georges Bernat"), {"person": "Georges Bernat"}, id="person"),
        pytest.param(("--person", "Nobody At All"), {"person": "Nobody At All"}, id="no one"),
        pytest.param(
            ("--from", "2012-01-01", "--to", "2012-12-31"),
            {"date_from": date(2012, 1, 1), "date_to": date(2012, 12, 31)},
            id="date range",
        ),
        pytest.param(
            ("--from", DECIDED, "--to", DECIDED, "--filiere", "viandes", "--body", "bureau"),
            {
                "date_from": date(2012, 1, 20),
                "date_to": date(2012, 1, 20),
                "filiere_id": "viandes",
                "body_id": "bureau",
            },
            id="all combined",
        ),
    ],
)
def test_each_filter_gives_exactly_the_rows_of_the_register(demo, args, where):
    keys: dict[object, object] = {
        "bureau": demo.ids.bureau,
        "viandes": demo.ids.filieres["viandes"],
    }

    def resolve(value: object) -> object:
        """Short keys of the demo's ids to ids."""
        return keys.get(value, value)

    rows = csv_report(demo, *(str(resolve(a)) for a in args))

    expected = register(demo, **{k: resolve(v) for k, v in where.items()})
    assert [int(r["position"]) for r in rows] == [e.position for e in expected]


def test_rows_known_from_the_demo(demo):
    ids = demo.ids
    # The State decided one thing, with no amount and no named person.
    (state,) = csv_report(demo, "--body", str(ids.state_body))
    assert (state["event"], state["decided_on"], state["decided_by"], state["amount"]) == (
        "Funding.Granted",
        "2013-04-01",
        "",
        "",
    )
    assert UUID(state["aggregate_id"]) == ids.state_funding
    # The five filières were launched in 2009, nothing else was decided that year.
    launched = csv_report(demo, "--to", "2009-12-31")
    assert {r["event"] for r in launched} == {"Filiere.Launched"}
    assert {r["subject"] for r in launched} == {
        "Numérique",
        "Déconstruction",
        "Bois",
        "Viandes",
        "Écologie industrielle",
    }
    # The sheet names Georges Bernat as a contact, not as a decider of anything.
    assert csv_report(demo, "--person", "Georges Bernat") == []
    assert csv_report(demo, "--body", str(ids.bureau))


def test_the_csv_is_the_one_get_decisions_gives_for_the_same_filters(demo):
    services: Services = demo.services
    token = services.tokens.issue("Report Reader", Role.READER)
    viandes = str(demo.ids.filieres["viandes"])
    with TestClient(create_app(services), raise_server_exceptions=False) as client:
        for args, params in (
            (("--filiere", viandes), {"filiere_id": viandes}),
            (
                ("--from", "2011-01-01", "--to", "2012-06-30"),
                {"from": "2011-01-01", "to": "2012-06-30"},
            ),
            (("--person", "Georges Bernat"), {"person": "Georges Bernat"}),
        ):
            response = client.get(
                "/decisions",
                params=params,
                headers={"Authorization": f"Bearer {token}", "Accept": "text/csv"},
            )
            assert response.status_code == 200, response.text
            # Byte for byte: `Result.stdout` would turn the CSV's \r\n into \n.
            assert report(demo.url, *args).stdout_bytes.decode() == response.text


# --- Markdown -------------------------------------------------------------------------------


def test_the_markdown_report_is_a_table_with_one_line_per_decision(demo):
    viandes = demo.ids.filieres["viandes"]
    lines = report(demo.url, "--filiere", str(viandes), output="md").stdout.strip().splitlines()

    header, separator, *rows = lines
    assert md_cells(header) == list(DECISION_HEADER)
    assert md_cells(separator) == ["---"] * len(DECISION_HEADER)
    expected = register(demo, filiere_id=viandes)
    assert len(rows) == len(expected)
    for line, entry in zip(rows, expected, strict=True):
        cells = md_cells(line)
        assert len(cells) == len(DECISION_HEADER), line
        assert cells[0] == str(entry.position)
        assert cells[1] == entry.decided_on.isoformat()
        assert cells[5] == "—"  # no one named: the sheet publishes no sitting


def test_the_markdown_report_escapes_pipes_and_newlines(services: Services, database_url: str):
    """A name holding `|` must not add a column: a filière is launched with one in its name."""
    world = make_world(services.app, CommandContext(actor="setup"))
    services.app.launch_filiere(
        CommandContext(actor="setup"),
        LaunchFiliere(
            name="Bois | Forêt",
            kind=FiliereKind.FILIERE,
            lead_partner_id=world.partner_a,
            decision=world.decision(date(2009, 4, 1)),
        ),
    )
    lines = report(database_url, "--from", "2009-04-01", output="md").stdout.strip().splitlines()

    assert len(lines) == 3, lines
    cells = md_cells(lines[2])
    assert len(cells) == len(DECISION_HEADER), lines[2]
    assert cells[2] == "Bois \\| Forêt"
    assert cells[4] == "Filiere.Launched<br>Bois \\| Forêt"
    assert markdown_cell("a|b\nc\\|d <b>") == "a\\|b<br>c\\\\\\|d &lt;b>"


# --- Table ----------------------------------------------------------------------------------


def test_the_table_report_shows_every_decision_with_its_date_and_deciders(demo):
    viandes = demo.ids.filieres["viandes"]
    output = report(demo.url, "--filiere", str(viandes), output="table").stdout

    expected = register(demo, filiere_id=viandes)
    # The title names the filière by its name, not its id.
    assert f"Decisions — {len(expected)} (filière Viandes)" in output
    assert str(viandes) not in output
    # Each row starts with the decision's position, in register order.
    positions = [int(p) for p in re.findall(r"^│\s+(\d+) │", output, re.MULTILINE)]
    assert positions == [e.position for e in expected]
    # The day in its own column (rationales may name it too).
    decided = re.findall(rf"^│\s+\d+ │ {DECIDED} │", output, re.MULTILINE)
    assert len(decided) == sum(1 for e in expected if e.decided_on == date(2012, 1, 20))
    assert "Georges Bernat" not in output  # a contact at the sheet's date, not a decider
    assert "Call.CandidacyRejected" in output and "Call.CandidacySelected" in output


# --- Refusals and paging --------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, named",
    [
        (("--from", "2012-13-01"), "--from"),
        (("--to", "yesterday"), "--to"),
        (("--from", "2013-01-01", "--to", "2012-01-01"), "--from"),
        (("--format", "pdf"), "--format"),
        (("--body", "not-a-uuid"), "--body"),
    ],
)
def test_malformed_options_are_usage_errors(sqlite_url, args, named):
    result = runner.invoke(cli, ["report", "decisions", *args, "--database-url", sqlite_url])
    assert result.exit_code == 2, result.output
    assert named in result.output


def test_every_page_of_the_register_is_walked(demo):
    walked = list(all_decisions(demo.services.read_models, RegisterFilter(), page_size=2))
    assert [e.position for e in walked] == [e.position for e in register(demo)]
    assert len(walked) > 2
