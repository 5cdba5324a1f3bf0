"""`filieres summary`: the state of each filière, from the store's views or from a server."""

import json
from dataclasses import dataclass

import typer
from rich.console import Console

from api.bootstrap import build
from api.cli.options import DatabaseUrl, ListingFormat, TableOrJson
from api.cli.read_side import remote
from api.cli.remote import ApiToken, ApiUrl
from api.cli.tables import fitted_table
from application.projections.paging import MAX_PAGE
from application.projections.read_models import ReadModels
from application.projections.records import FiliereOverview, NamedRef
from domain.money import format_eur

out = Console()
err = Console(stderr=True)
HEADER = ("filière", "chef de file", "calls", "candidacies", "projects", "funding")


@dataclass(frozen=True)
class Summary:
    events: int
    filieres: list[FiliereOverview]
    idle_partners: list[NamedRef] | None
    """Partners leading no active filière; None when the server cannot list organisations."""


def summary(
    output: ListingFormat = TableOrJson.TABLE,
    database_url: DatabaseUrl = None,
    api: ApiUrl = None,
    token: ApiToken = None,
) -> None:
    """Print the state of each filière, computed from the events."""
    found = _remote_summary(api, token) if api else _local_summary(database_url)
    if output is TableOrJson.JSON:
        typer.echo(json.dumps(_as_json(found), indent=2, ensure_ascii=False))
        return
    rows = [_row(item) for item in found.filieres]
    out.print(fitted_table(out, f"Filières — {found.events} events", HEADER, rows))
    if found.idle_partners is None:
        err.print(
            "Partners leading no active filière: not reported, this server does not list"
            " organisations (GET /organisations)."
        )
        return
    for partner in found.idle_partners:
        out.print(f"[yellow]Report:[/yellow] partner {partner.name} leads no active filière")


def _local_summary(database_url: str | None) -> Summary:
    services = build(database_url=database_url, existing_store=True)
    try:
        return Summary(
            events=services.app.event_count(),
            filieres=_in_launch_order(services.read_models),
            idle_partners=[
                NamedRef(id=o.id, name=o.name)
                for o in services.app.partners_without_active_filiere()
            ],
        )
    finally:
        services.close()


def _in_launch_order(read_models: ReadModels) -> list[FiliereOverview]:
    """Every overview, in the order GET /filieres pages them."""
    page = read_models.filieres(MAX_PAGE)
    overviews = list(page.items)
    while page.next_cursor is not None:
        page = read_models.filieres(MAX_PAGE, page.next_cursor)
        overviews.extend(page.items)
    return overviews


def _remote_summary(api: str, token: str | None) -> Summary:
    with remote(api, token) as server:
        filieres = server.filiere_overviews()
        leading = {f.lead_partner.id for f in filieres if f.closed_on is None}
        partners = server.active_partners()
        return Summary(
            events=server.health().events,
            filieres=filieres,
            idle_partners=None
            if partners is None
            else [p for p in partners if p.id not in leading],
        )


def _as_json(found: Summary) -> dict[str, object]:
    return {
        "events": found.events,
        "filieres": [f.model_dump(mode="json", by_alias=True) for f in found.filieres],
        "partners_without_active_filiere": None
        if found.idle_partners is None
        else [p.model_dump(mode="json") for p in found.idle_partners],
    }


def _row(item: FiliereOverview) -> tuple[str, ...]:
    return (
        f"{item.name} ({item.kind})",
        item.lead_partner.name,
        str(len(item.calls)) if item.calls else "—",
        _candidacies(item),
        ", ".join(f"{n} {status}" for status, n in item.projects_by_status.items() if n) or "—",
        _funding(item),
    )


def _candidacies(item: FiliereOverview) -> str:
    counts = item.candidacies
    if not counts.submitted:
        return "—"
    undecided = counts.submitted - counts.selected - counts.rejected - counts.withdrawn
    parts = [
        f"{n} {label}"
        for n, label in (
            (counts.selected, "selected"),
            (counts.rejected, "rejected"),
            (counts.withdrawn, "withdrawn"),
            (undecided, "undecided"),
        )
        if n
    ]
    return f"{counts.submitted} received: " + ", ".join(parts)


def _funding(item: FiliereOverview) -> str:
    funding = item.funding
    if not (funding.granted or funding.lines_without_amount):
        return "—"
    text = f"granted {format_eur(funding.granted)}, disbursed {format_eur(funding.disbursed)}"
    if funding.lines_without_amount:
        text += f"; {funding.lines_without_amount} line(s) with amount not known"
    return text
