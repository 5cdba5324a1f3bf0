"""`filieres report decisions | seats`: who decided what, who sat where.

Four formats: a table for the terminal (columns when they fit, one record
per decision otherwise), CSV for spreadsheets (the same columns and formula
neutralising as `GET /decisions` with `Accept: text/csv`), Markdown for
minutes and wikis, and JSON as the API gives the register's entries.
"""

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated
from uuid import UUID

import typer
from rich.console import Console

from api.cli import report_assumptions, report_interests, report_seats
from api.cli.markdown import markdown_cell, markdown_table
from api.cli.options import DatabaseUrl
from api.cli.read_side import ReadSide, filiere_id_of, read_side
from api.cli.remote import ApiToken, ApiUrl
from api.cli.report_formats import NONE, Format, ReportFormat, date_option
from api.cli.tables import fitted_table
from api.http.routers.decision_csv import csv_rows
from application.projections.paging import MAX_PAGE
from application.projections.records import Citation, DecisionEntry, RegisterFilter
from domain.money import format_eur

__all__ = ["DECISION_HEADER", "all_decisions", "markdown_cell", "register"]

out = Console()
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
    "rationale",
    "reference",
    "source",
    "assumptions",
    "sitting",
)
FromDate = Annotated[
    datetime | None, date_option("--from", "Only decisions taken on or after this day.")
]
ToDate = Annotated[datetime | None, date_option("--to", "Only decisions taken on or before it.")]


def register(app: typer.Typer) -> None:
    """Add this module's commands to `app`."""
    app.command("decisions")(decisions)
    app.command("seats")(report_seats.seats)
    app.command("assumptions")(report_assumptions.assumptions)
    app.command("interests")(report_interests.interests)


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
        date_option("--as-of", "The register as it stood at the end of this day."),
    ] = None,
    known_at: Annotated[
        datetime | None,
        typer.Option(help="The register as recorded at this instant (UTC when no offset)."),
    ] = None,
    assumed: Annotated[
        bool | None,
        typer.Option(
            "--assumed/--not-assumed",
            help="Only the decisions that rest on an assumption of their recorder, or only"
            " those that rest on none.",
        ),
    ] = None,
    verified: Annotated[
        bool | None,
        typer.Option(
            "--verified/--unverified",
            help="Only the decisions checked against their sitting, or only those whose sitting"
            " was never published; either leaves out external bodies' decisions.",
        ),
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
            assumed=assumed,
            verified=verified,
        )
        _print_decisions(read, where, output)


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
    if output == ReportFormat.JSON:
        _print_json(all_decisions(views, where))
        return
    entries = list(all_decisions(views, where))
    rows = [_decision_cells(entry) for entry in entries]
    if output == ReportFormat.MD:
        typer.echo(markdown_table(DECISION_HEADER, rows))
        return
    # A reader knows a filière by its name; its id stays only when no row says the name.
    filiere = next((e.filiere_name for e in entries if e.filiere_name), where.filiere_id)
    title = f"Decisions — {len(rows)}{_filter_note(where, filiere)}"
    out.print(fitted_table(out, title, DECISION_HEADER, rows, right=("#", "amount")))


def _print_json(entries: Iterator[DecisionEntry]) -> None:
    """A JSON array of the register's entries as the API gives them, written as they come."""
    separator = "[\n"
    for entry in entries:
        typer.echo(separator + entry.model_dump_json(by_alias=True), nl=False)
        separator = ",\n"
    typer.echo("[]" if separator == "[\n" else "\n]")


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
        entry.rationale or NONE,
        entry.reference or NONE,
        cited(entry.source),
        "\n".join(entry.assumptions) or NONE,
        _sitting(entry),
    )


def _assumed_note(assumed: bool | None) -> str | None:
    return None if assumed is None else ("only" if assumed else "none")


def _verified_note(verified: bool | None) -> str | None:
    return None if verified is None else ("verified" if verified else "not published")


def cited(source: Citation | None) -> str:
    """A source as one cell: the document, then where in it."""
    if source is None:
        return NONE
    return source.document if source.locator is None else f"{source.document}\n{source.locator}"


def _sitting(entry: DecisionEntry) -> str:
    """Whether the decision was checked against its sitting: the body's délibération n°."""
    if entry.verified is None:
        return NONE
    if not entry.verified:
        return "not published (unverified)"
    lines = [f"délibération n° {entry.deliberation_number}"]
    lines.append(f"{entry.present_or_represented} present or represented")
    if entry.recused:
        lines.append(f"recused: {', '.join(entry.recused)}")
    return "\n".join(lines)


def _amount(entry: DecisionEntry) -> str:
    """A funding decision may set no amount yet: say so rather than show nothing."""
    if entry.amount is None:
        return "amount unknown" if entry.aggregate_type == "Funding" else NONE
    return format_eur(entry.amount)


def _filter_note(where: RegisterFilter, filiere: object) -> str:
    parts = [
        f"{label} {value}"
        for label, value in (
            ("filière", filiere),
            ("body", where.body_id),
            ("person", where.person),
            ("from", where.date_from),
            ("to", where.date_to),
            ("as of", where.as_of),
            ("as known at", where.known_at),
            ("resting on an assumption", _assumed_note(where.assumed)),
            ("sitting", _verified_note(where.verified)),
        )
        if value is not None
    ]
    return f" ({', '.join(parts)})" if parts else ""
