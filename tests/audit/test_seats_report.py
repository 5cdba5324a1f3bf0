"""Seats per body over time: `filieres report seats` and `GET /reports/seats`."""

import csv
import io
import uuid
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from api.bootstrap import Services
from api.cli.app import app as cli
from api.http.main import create_app
from application.body_commands import SeatMember, UnseatMember
from application.context import CommandContext
from application.reports.seats import seats_report
from application.roannais_history import REGION_INVITEE, record_roannais_history
from application.roannais_history.facts import (
    COORDINATOR,
    DIRECTORS,
    PARTNERS,
    PAYS_PRESIDENT_2013,
    PRESIDENTS,
    PROGRAMME_START,
    SHEET_UPDATED,
)
from domain.errors import NotFoundError
from domain.governing_body import SeatRole
from infrastructure.auth_store import Role
from tests.api.http import assert_problem, bearer
from tests.audit.demo_store import DemoStore

runner = CliRunner()
START = PROGRAMME_START.isoformat()  # 2009-01-15: the bureau and directoire are seated
RECRUITED = "2011-01-03"  # the chargé de mission filières joins the directoire
SHEET_DATE = SHEET_UPDATED.isoformat()  # 2013-04-01: Georges Bernat and the Région's invitee


@pytest.fixture(scope="module")
def http(demo: DemoStore) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """The app on the demo store, and a reader's headers."""
    token = demo.services.tokens.issue("Seat Reader", Role.READER)
    with TestClient(create_app(demo.services), raise_server_exceptions=False) as client:
        yield client, bearer(token)


def seats_cli(url: str, *args: str, output: str = "csv") -> Result:
    return runner.invoke(cli, ["report", "seats", *args, "--format", output, "--database-url", url])


def seat_rows(url: str, *args: str) -> list[dict[str, str]]:
    result = seats_cli(url, *args)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def bureau_as_in_the_demo() -> list[tuple[str, str, str, str, str, str]]:
    """(person, organisation, role, voting, from, until) of each bureau seat the demo records.

    The sheet names Georges Bernat president of the Pays at its date only, and presents
    the Région as permanent invitee at its date: both are seated from April 2013, and the
    Pays' unnamed president's seat ends the day before."""
    presidents = [
        (PRESIDENTS[k], PARTNERS[k], "voting", "yes", START, "2013-03-31" if k == "pays" else "")
        for k in PARTNERS
    ]
    directors = [(DIRECTORS[k], PARTNERS[k], "participant", "no", START, "") for k in PARTNERS]
    at_the_sheets_date = [
        (PAYS_PRESIDENT_2013, PARTNERS["pays"], "voting", "yes", SHEET_DATE, ""),
        (REGION_INVITEE, "Région Rhône-Alpes", "invitee", "no", SHEET_DATE, ""),
    ]
    return presidents + directors + at_the_sheets_date


def as_tuples(rows: list[dict[str, str]]) -> list[tuple[str, ...]]:
    keys = ("person", "organisation_name", "role", "voting", "from", "until")
    return [tuple(r[k] for k in keys) for r in rows]


# --- The command line -----------------------------------------------------------------------


def test_the_bureau_seats_are_those_of_the_demo(demo):
    rows = seat_rows(demo.url, "--body", str(demo.ids.bureau))

    assert as_tuples(rows) == bureau_as_in_the_demo()
    assert {r["body_name"] for r in rows} == {"Bureau de Roanne Territoire"}
    georges = next(r for r in rows if r["person"] == "Georges Bernat")
    assert georges["organisation_id"] == str(demo.ids.partners["pays"])


def test_on_a_date_only_the_seats_held_that_day(demo):
    directoire = str(demo.ids.directoire)

    before = seat_rows(demo.url, "--body", directoire, "--on", "2010-12-31")
    after = seat_rows(demo.url, "--body", directoire, "--on", RECRUITED)
    before_the_programme = seat_rows(demo.url, "--body", directoire, "--on", "2008-12-31")

    assert [r["person"] for r in before] == list(DIRECTORS.values())
    assert [r["person"] for r in after] == [*DIRECTORS.values(), COORDINATOR]
    coordinator = after[-1]
    assert (coordinator["role"], coordinator["voting"], coordinator["from"]) == (
        "coordinator",
        "no",
        RECRUITED,
    )
    assert coordinator["organisation_name"] == "Grand Roanne Agglomération"
    assert before_the_programme == []


def test_the_markdown_report_is_a_table_of_every_seat(demo):
    result = seats_cli(demo.url, output="md")
    assert result.exit_code == 0, result.output
    header, separator, *rows = result.stdout.strip().splitlines()

    assert header == "| body | person | organisation | role | voting | from | until |"
    assert separator == "|" + "|".join([" --- "] * 7) + "|"
    every_seat = [s for body in seats_report(demo.services.app) for s in body.seats]
    assert len(rows) == len(every_seat) == len(bureau_as_in_the_demo()) + len(DIRECTORS) + 1
    assert (
        "| Georges Bernat | Roannais Pays de Rhône-Alpes | voting | yes | 2013-04-01 |" in (rows[8])
    )


def test_the_table_report_lists_every_body_even_without_seats(demo):
    result = runner.invoke(
        cli, ["report", "seats", "--database-url", demo.url], env={"COLUMNS": "300"}
    )
    assert result.exit_code == 0, result.output

    for title in (
        # The sheet does not say when the bodies were constituted.
        "Bureau de Roanne Territoire (bureau, constituted date unknown)",
        "Directoire de Roanne Territoire (directoire, constituted date unknown)",
        "Conseil d'orientation de Roanne Territoire (advisory_council",
    ):
        assert title in result.stdout
    assert "nobody seated" in result.stdout  # the conseil d'orientation: nobody is named
    assert "Georges Bernat" in result.stdout and COORDINATOR in result.stdout


def test_an_unknown_body_is_a_clear_refusal(demo):
    unknown = uuid.uuid4()
    result = seats_cli(demo.url, "--body", str(unknown))
    assert result.exit_code == 2  # the argument names nothing: could not answer
    assert "not found" in result.stderr and str(unknown) in result.stderr
    assert result.stdout == ""

    malformed = seats_cli(demo.url, "--on", "2011-02-30")
    assert malformed.exit_code == 2 and "--on" in malformed.output


# --- The report itself ----------------------------------------------------------------------


def test_every_body_in_the_order_it_was_constituted(demo):
    report = seats_report(demo.services.app)

    ids = demo.ids
    assert [b.body_id for b in report] == [
        ids.bureau,
        ids.directoire,
        ids.advisory_council,
        ids.state_body,
        ids.massif_central_body,
    ]
    council = report[2]
    assert council.seats == [] and council.kind == "advisory_council"
    with pytest.raises(NotFoundError):
        seats_report(demo.services.app, body_id=ids.viandes_call)  # a call is not a body


def test_an_unseated_member_shows_until_when(services: Services, database_url: str):
    ids = record_roannais_history(services.app)
    ctx = CommandContext(actor="test recorder")
    successor = "Nouveau représentant de la Région (test)"
    services.app.unseat_member(
        ctx, UnseatMember(body_id=ids.bureau, person=REGION_INVITEE, until=date(2014, 6, 30))
    )
    services.app.seat_member(
        ctx,
        SeatMember(
            body_id=ids.bureau,
            person=successor,
            organisation_id=ids.organisations["region"],
            role=SeatRole.INVITEE,
            from_=date(2014, 7, 1),
        ),
    )
    bureau = str(ids.bureau)

    rows = {r["person"]: r for r in seat_rows(database_url, "--body", bureau)}
    assert (rows[REGION_INVITEE]["from"], rows[REGION_INVITEE]["until"]) == (
        SHEET_DATE,
        "2014-06-30",
    )
    assert (rows[successor]["from"], rows[successor]["until"]) == ("2014-07-01", "")

    last_day = {
        r["person"] for r in seat_rows(database_url, "--body", bureau, "--on", "2014-06-30")
    }
    first_day = {
        r["person"] for r in seat_rows(database_url, "--body", bureau, "--on", "2014-07-01")
    }
    assert REGION_INVITEE in last_day and successor not in last_day
    assert successor in first_day and REGION_INVITEE not in first_day

    token = services.tokens.issue("Seat Reader", Role.READER)
    with TestClient(create_app(services), raise_server_exceptions=False) as client:
        response = client.get("/reports/seats", params={"body_id": bureau}, headers=bearer(token))
    assert response.status_code == 200, response.text
    (body,) = response.json()
    (region,) = (s for s in body["seats"] if s["person"] == REGION_INVITEE)
    assert (region["from"], region["until"], region["voting"]) == (SHEET_DATE, "2014-06-30", False)


# --- HTTP -----------------------------------------------------------------------------------


def test_a_reader_gets_every_body_with_its_seats(demo, http):
    client, reader = http
    response = client.get("/reports/seats", headers=reader)

    assert response.status_code == 200, response.text
    bodies = response.json()
    assert [b["id"] for b in bodies] == [str(b.body_id) for b in seats_report(demo.services.app)]
    bureau = bodies[0]
    assert (bureau["name"], bureau["kind"], bureau["constituted_on"]) == (
        "Bureau de Roanne Territoire",
        "bureau",
        None,  # the sheet does not say when
    )
    seats = [
        (
            s["person"],
            s["organisation"]["name"],
            s["role"],
            "yes" if s["voting"] else "no",
            s["from"],
            s["until"] or "",
        )
        for s in bureau["seats"]
    ]
    assert seats == bureau_as_in_the_demo()


def test_filters_and_csv_over_http(demo, http):
    client, reader = http
    directoire = str(demo.ids.directoire)

    response = client.get(
        "/reports/seats", params={"body_id": directoire, "on": "2010-06-01"}, headers=reader
    )
    assert response.status_code == 200, response.text
    (body,) = response.json()
    assert [s["person"] for s in body["seats"]] == list(DIRECTORS.values())

    as_csv = client.get(
        "/reports/seats",
        params={"body_id": directoire, "on": RECRUITED},
        headers={**reader, "Accept": "text/csv"},
    )
    assert as_csv.status_code == 200
    assert as_csv.headers["content-type"].startswith("text/csv")
    # The same CSV as the command line's, byte for byte.
    cli_csv = seats_cli(demo.url, "--body", directoire, "--on", RECRUITED).stdout_bytes.decode()
    assert as_csv.text == cli_csv
    assert [r["person"] for r in csv.DictReader(io.StringIO(as_csv.text))][-1] == COORDINATOR


def test_refusals_over_http(demo, http):
    client, reader = http

    assert_problem(client.get("/reports/seats"), 401)
    unknown = uuid.uuid4()
    assert_problem(
        client.get("/reports/seats", params={"body_id": str(unknown)}, headers=reader),
        404,
        str(unknown),
    )
    assert_problem(client.get("/reports/seats", params={"on": "2011-02-30"}, headers=reader), 422)
