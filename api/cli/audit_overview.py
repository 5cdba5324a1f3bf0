"""`filieres audit overview FILIERE`: one filière today, as of a day, or as known at an instant."""

import enum
from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from api.cli.options import DatabaseUrl
from api.cli.read_side import filiere_id_of, read_side
from api.cli.remote import ApiToken, ApiUrl
from application.projections.records import FiliereOverview
from application.projections.time_travel import Cutoff
from domain.money import format_eur

out = Console()


class OverviewFormat(enum.StrEnum):
    TABLE = "table"
    JSON = "json"


def register(app: typer.Typer) -> None:
    app.command("overview")(overview)


def overview(
    filiere: Annotated[str, typer.Argument(help="The filière's id, or its name (e.g. Viandes).")],
    as_of: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="As it stood at the end of this day."),
    ] = None,
    known_at: Annotated[
        datetime | None,
        typer.Option(help="As the system knew it at this instant (UTC when no offset)."),
    ] = None,
    output: Annotated[OverviewFormat, typer.Option("--format")] = OverviewFormat.TABLE,
    database_url: DatabaseUrl = None,
    api: ApiUrl = None,
    token: ApiToken = None,
) -> None:
    """A filière's overview, as of a day (effective time) or as known at an instant."""
    cutoff = Cutoff(as_of=as_of.date() if as_of else None, known_at=known_at)
    with read_side(database_url, api, token) as read:
        found = read.filiere_overview(filiere_id_of(read, filiere), cutoff)
    if output is OverviewFormat.JSON:
        typer.echo(found.model_dump_json(indent=2))
        return
    out.print(_overview_table(found, cutoff))


def _overview_table(item: FiliereOverview, cutoff: Cutoff) -> Table:
    when = cutoff.describe() if not cutoff.is_now else "today"
    table = Table(title=f"{item.name} ({item.kind}) — {when}", show_header=False)
    table.add_column("", style="bold", no_wrap=True)
    table.add_column("", overflow="fold")
    counts = item.candidacies
    closed = f", closed {item.closed_on}" if item.closed_on else ""
    table.add_row("status", f"{item.status} (launched {item.launched_on}{closed})")
    table.add_row("chef de file", item.lead_partner.name)
    table.add_row("project group", ", ".join(m.name for m in item.project_group) or "—")
    table.add_row("calls", "\n".join(f"{c.title}: {c.status}" for c in item.calls) or "—")
    table.add_row(
        "candidacies",
        f"{counts.submitted} submitted, {counts.selected} selected, "
        f"{counts.rejected} rejected, {counts.withdrawn} withdrawn",
    )
    projects = [f"{n} {status}" for status, n in item.projects_by_status.items() if n]
    table.add_row("projects", ", ".join(projects) or "—")
    funding = item.funding
    table.add_row(
        "funding",
        f"granted {format_eur(funding.granted)}, disbursed {format_eur(funding.disbursed)}, "
        f"{funding.lines_without_amount} line(s) without amount",
    )
    last = item.last_decision
    table.add_row(
        "last decision",
        f"{last.decided_on} {last.event} (position {last.position})" if last else "—",
    )
    return table
