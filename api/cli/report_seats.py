"""`filieres report seats`: who sat on which body, for which organisation, from when to when."""

import json
from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import typer
from rich.console import Console

from api.bootstrap import build
from api.cli.markdown import markdown_table
from api.cli.options import DatabaseUrl
from api.cli.read_side import remote
from api.cli.remote import ApiToken, ApiUrl
from api.cli.report_formats import NONE, Format, ReportFormat, date_option
from api.cli.tables import fitted_table
from api.http.routers.reports import seat_csv_rows
from api.http.schemas.reports import BodySeatsPublic
from application.reports.seats import BodySeats, SeatLine, seats_report

out = Console()
SEAT_HEADER = ("body", "person", "organisation", "role", "voting", "from", "until")
OnDate = Annotated[datetime | None, date_option("--on", "Only the seats held on this day.")]


def seats(
    body: Annotated[
        UUID | None, typer.Option("--body", help="Only this body (default: all).")
    ] = None,
    on: OnDate = None,
    output: Format = ReportFormat.TABLE,
    database_url: DatabaseUrl = None,
    api: ApiUrl = None,
    token: ApiToken = None,
) -> None:
    """Who sat where, for which organisation, in which role, from when to when."""
    day = on.date() if on else None
    if api:
        with remote(api, token) as server:
            report = server.seats(body, day)
    else:
        # Read from the bodies' own events: no view to bring up to date.
        services = build(database_url=database_url, follow_in_process=False, existing_store=True)
        try:
            report = seats_report(services.app, body, day)
        finally:
            services.close()
    _print_seats(report, output, day)


def _print_seats(report: list[BodySeats], output: ReportFormat, on: date | None) -> None:
    if output == ReportFormat.CSV:
        for line in seat_csv_rows(report):
            typer.echo(line, nl=False)
        return
    if output == ReportFormat.JSON:
        answer = [
            BodySeatsPublic.of(body).model_dump(mode="json", by_alias=True) for body in report
        ]
        typer.echo(json.dumps(answer, indent=2, ensure_ascii=False))
        return
    if output == ReportFormat.MD:
        rows = [(body.name, *_seat_cells(s)) for body in report for s in body.seats]
        typer.echo(markdown_table(SEAT_HEADER, rows))
        return
    when = f" on {on}" if on else ""
    for body in report:
        constituted = body.constituted_on.isoformat() if body.constituted_on else "date unknown"
        title = f"{body.name} ({body.kind.value}, constituted {constituted}){when}"
        rows = [_seat_cells(seat) for seat in body.seats] or [
            ("nobody seated", *([NONE] * (len(SEAT_HEADER) - 2)))
        ]
        out.print(fitted_table(out, title, SEAT_HEADER[1:], rows))


def _seat_cells(seat: SeatLine) -> tuple[str, ...]:
    return (
        seat.person,
        seat.organisation_name,
        seat.role.value,
        "yes" if seat.voting else "no",
        seat.from_date.isoformat(),
        seat.until.isoformat() if seat.until else NONE,
    )
