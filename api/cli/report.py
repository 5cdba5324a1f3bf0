"""`filieres report decisions | seats`: who decided what, who sat where.

Three formats: a Rich table for the terminal, CSV for spreadsheets (the same
columns and formula neutralising as `GET /decisions` with `Accept: text/csv`),
and Markdown for minutes and wikis.
"""

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated
from uuid import UUID

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from api.bootstrap import build
from api.cli.options import DatabaseUrl
from api.cli.read_side import ReadSide, filiere_id_of, read_side
from api.cli.remote import ApiToken, ApiUrl
from api.http.routers.decision_csv import csv_rows
from api.http.routers.reports import seat_csv_rows
from application.projections.paging import MAX_PAGE
from application.projections.records import DecisionEntry, RegisterFilter
from application.reports.seats import BodySeats, SeatLine, seats_report
from domain.errors import NotFoundError
from domain.money import format_eur

out = Console()
err = Console(stderr=True)
NONE = "—"
DECISION_HEADER = (
    "#",
    "decided on",
    "filière",
    "body",
    "decision",
    "decided by",
    "vote",
    "amount",
    "reverses / reversed by",
)
_SHORT_COLUMNS = frozenset({"#", "decided on", "amount", "role", "voting", "from", "until"})
SEAT_HEADER = ("body", "person", "organisation", "role", "voting", "from", "until")


class ReportFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    MD = "md"


def _date_option(name: str, help_text: str) -> object:
    return typer.Option(name, formats=["%Y-%m-%d"], help=help_text, show_default=False)


FromDate = Annotated[
    datetime | None, _date_option("--from", "Only decisions taken on or after this day.")
]
ToDate = Annotated[datetime | None, _date_option("--to", "Only decisions taken on or before it.")]
OnDate = Annotated[datetime | None, _date_option("--on", "Only the seats held on this day.")]
Format = Annotated[ReportFormat, typer.Option("--format", help="table, csv or md.")]


def register(app: typer.Typer) -> None:
    """Add this module's commands to `app`."""

    @app.command("decisions")
    def decisions(
        from_: FromDate = None,
        to: ToDate = None,
        body: Annotated[UUID | None, typer.Option("--body", help="Only this body's.")] = None,
        person: Annotated[
            str | None,
            typer.Option("--person", help="Only those this person took part in (exact name)."),
        ] = None,
        filiere: Annotated[
            str | None,
            typer.Option("--filiere", help="Only those about this filière (id or name)."),
        ] = None,
        as_of: Annotated[
            datetime | None,
            _date_option("--as-of", "The register as it stood at the end of this day."),
        ] = None,
        known_at: Annotated[
            datetime | None,
            typer.Option(help="The register as recorded at this instant (UTC when no offset)."),
        ] = None,
        output: Format = ReportFormat.TABLE,
        database_url: DatabaseUrl = None,
        api: ApiUrl = None,
        token: ApiToken = None,
    ) -> None:
        """Who decided what: the decision register, by date, every matching decision."""
        if from_ and to and from_ > to:
            raise typer.BadParameter(
                f"{from_.date()} comes after --to {to.date()}", param_hint="--from"
            )
        with read_side(database_url, api, token) as read:
            where = RegisterFilter(
                filiere_id=filiere_id_of(read, filiere) if filiere else None,
                body_id=body,
                person=person,
                date_from=from_.date() if from_ else None,
                date_to=to.date() if to else None,
                as_of=as_of.date() if as_of else None,
                known_at=known_at,
            )
            _print_decisions(read, where, output)

    @app.command("seats")
    def seats(
        body: Annotated[
            UUID | None, typer.Option("--body", help="Only this body (default: all).")
        ] = None,
        on: OnDate = None,
        output: Format = ReportFormat.TABLE,
        database_url: DatabaseUrl = None,
    ) -> None:
        """Who sat where, for which organisation, in which role, from when to when."""
        # Read from the bodies' own events: no view to bring up to date.
        services = build(database_url=database_url, follow_in_process=False)
        try:
            report = seats_report(services.app, body, on.date() if on else None)
        except NotFoundError as error:
            err.print(Text(f"Not found: {error}", style="red"))
            raise typer.Exit(1) from None
        finally:
            services.close()
        _print_seats(report, output, on.date() if on else None)


# Decisions
def all_decisions(
    views: ReadSide, where: RegisterFilter, page_size: int = MAX_PAGE
) -> Iterator[DecisionEntry]:
    """Every decision matching `where`, in register order, a page at a time."""
    page = views.decisions(where, page_size)
    while True:
        yield from page.items
        if page.next_cursor is None:
            return
        page = views.decisions(where, page_size, page.next_cursor)


def _print_decisions(views: ReadSide, where: RegisterFilter, output: ReportFormat) -> None:
    if output == ReportFormat.CSV:
        first = views.decisions(where, MAX_PAGE)
        for line in csv_rows(first, lambda after: views.decisions(where, MAX_PAGE, after)):
            typer.echo(line, nl=False)
        return
    rows = [_decision_cells(entry) for entry in all_decisions(views, where)]
    if output == ReportFormat.MD:
        typer.echo(markdown_table(DECISION_HEADER, rows))
        return
    table = Table(title=f"Decisions — {len(rows)}{_filter_note(where)}", show_lines=True)
    for column in DECISION_HEADER:
        short = column in _SHORT_COLUMNS
        table.add_column(
            column, justify="right" if column in ("#", "amount") else "left", no_wrap=short
        )
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    out.print(table)


def _decision_cells(entry: DecisionEntry) -> tuple[str, ...]:
    vote = entry.vote
    links = [f"reverses #{entry.reverses}"] if entry.reverses is not None else []
    if entry.reversed_by is not None:
        links.append(f"reversed by #{entry.reversed_by}")
    return (
        str(entry.position),
        entry.decided_on.isoformat(),
        entry.filiere_name or NONE,
        entry.body_name,
        f"{entry.event}\n{entry.subject}" if entry.subject else entry.event,
        "\n".join(entry.decided_by) or NONE,
        f"{vote.for_} for, {vote.against} against, {vote.abstain} abstain" if vote else NONE,
        _amount(entry),
        "\n".join(links) or NONE,
    )


def _amount(entry: DecisionEntry) -> str:
    """A funding decision may set no amount yet: say so rather than show nothing."""
    if entry.amount is None:
        return "amount unknown" if entry.aggregate_type == "Funding" else NONE
    return format_eur(entry.amount)


def _filter_note(where: RegisterFilter) -> str:
    parts = [
        f"{label} {value}"
        for label, value in (
            ("filière", where.filiere_id),
            ("body", where.body_id),
            ("person", where.person),
            ("from", where.date_from),
            ("to", where.date_to),
            ("as of", where.as_of),
            ("as known at", where.known_at),
        )
        if value is not None
    ]
    return f" ({', '.join(parts)})" if parts else ""


# Seats
def _print_seats(report: list[BodySeats], output: ReportFormat, on: date | None) -> None:
    if output == ReportFormat.CSV:
        for line in seat_csv_rows(report):
            typer.echo(line, nl=False)
        return
    if output == ReportFormat.MD:
        rows = [(body.name, *_seat_cells(s)) for body in report for s in body.seats]
        typer.echo(markdown_table(SEAT_HEADER, rows))
        return
    when = f" on {on}" if on else ""
    for body in report:
        constituted = body.constituted_on.isoformat() if body.constituted_on else "date unknown"
        table = Table(title=f"{body.name} ({body.kind.value}, constituted {constituted}){when}")
        for column in SEAT_HEADER[1:]:
            table.add_column(column, no_wrap=column in _SHORT_COLUMNS)
        for seat in body.seats:
            table.add_row(*(Text(cell) for cell in _seat_cells(seat)))
        if not body.seats:
            table.add_row(Text("nobody seated"), *([Text(NONE)] * (len(SEAT_HEADER) - 2)))
        out.print(table)


def _seat_cells(seat: SeatLine) -> tuple[str, ...]:
    return (
        seat.person,
        seat.organisation_name,
        seat.role.value,
        "yes" if seat.voting else "no",
        seat.from_date.isoformat(),
        seat.until.isoformat() if seat.until else NONE,
    )


# Markdown
def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table: header, separator, one line per row."""
    lines = [_markdown_row(header), "|" + "|".join(" --- " for _ in header) + "|"]
    lines.extend(_markdown_row(row) for row in rows)
    return "\n".join(lines)


def _markdown_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(markdown_cell(c) for c in cells) + " |"


def markdown_cell(text: str) -> str:
    """One cell on one line: a `|` or a newline in the text breaks no column, `<` opens no tag.

    `\\` is escaped first so that an escape in the text cannot undo ours.
    """
    escaped = text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
    return "<br>".join(line.strip() for line in escaped.splitlines()) if escaped else ""
