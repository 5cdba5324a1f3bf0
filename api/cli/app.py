"""The `filieres` command line (Typer)."""

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from api.bootstrap import Services, build
from api.cli.audit import audit_app, report_app
from api.cli.keys import keys_app
from api.cli.options import DatabaseUrl
from api.cli.projections import projections_app
from api.cli.serve import run, serve
from application.projections.records import FiliereOverview
from application.roannais_history import record_roannais_history
from domain.errors import AlreadyRecordedError
from domain.money import format_eur
from infrastructure.auth_store import Role

app = typer.Typer(
    help="Filières: the ledger of the decisions of a territorial programme.", no_args_is_help=True
)
token_app = typer.Typer(help="API tokens (stored hashed).", no_args_is_help=True)
app.add_typer(token_app, name="token")
app.add_typer(projections_app, name="projections")
app.add_typer(audit_app, name="audit")
app.add_typer(report_app, name="report")
app.add_typer(keys_app, name="keys")
app.command()(serve)
app.command()(run)

out = Console()
err = Console(stderr=True)


def _services(database_url: str | None, views: bool = True) -> Services:
    """With `views`, the views catch up now and after each command (token commands need none)."""
    return build(database_url=database_url, follow_in_process=views)


@app.command()
def demo(database_url: DatabaseUrl = None) -> None:
    """Record the Roannais history (2005–2013) through the application's commands."""
    services = _services(database_url)
    try:
        record_roannais_history(services.app)
    except AlreadyRecordedError as error:
        err.print(f"[red]Refused:[/red] {error}")
        raise typer.Exit(1) from None
    finally:
        services.close()
    out.print(f"Recorded the Roannais history in {services.settings.database_url}")


@app.command()
def summary(database_url: DatabaseUrl = None) -> None:
    """Print the state of each filière, computed from the events."""
    services = _services(database_url)
    try:
        _print_summary(services)
    finally:
        services.close()


@token_app.command("issue")
def token_issue(
    actor: Annotated[str, typer.Option(help="Who the token acts for; becomes recorded_by.")],
    role: Annotated[Role, typer.Option(help="reader, recorder, auditor or admin.")],
    database_url: DatabaseUrl = None,
) -> None:
    """Print a new token, alone, on stdout; only its hash is stored."""
    services = _services(database_url, views=False)
    try:
        token = services.tokens.issue(actor, role)
    except ValueError as error:
        err.print(f"[red]Refused:[/red] {error}")
        raise typer.Exit(2) from None
    finally:
        services.close()
    typer.echo(token)


@token_app.command("revoke")
def token_revoke(token: str, database_url: DatabaseUrl = None) -> None:
    """Revoke a token; it is refused from then on."""
    services = _services(database_url, views=False)
    try:
        revoked = services.tokens.revoke(token)
    finally:
        services.close()
    if not revoked:
        err.print("[red]Refused:[/red] no such active token")
        raise typer.Exit(1)
    out.print("Token revoked.")


def _print_summary(services: Services) -> None:
    table = Table(title=f"Filières — {services.app.event_count()} events")
    for column in ("filière", "chef de file", "calls", "candidacies", "projects", "funding"):
        table.add_column(column)
    for item in services.read_models.filiere_overviews():
        table.add_row(
            f"{item.name} ({item.kind})",
            item.lead_partner.name,
            str(len(item.calls)) if item.calls else "—",
            _candidacies(item),
            ", ".join(f"{n} {status}" for status, n in item.projects_by_status.items() if n) or "—",
            _funding(item),
        )
    out.print(table)
    for partner in services.app.partners_without_active_filiere():
        out.print(f"[yellow]Report:[/yellow] partner {partner.name} leads no active filière")


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


if __name__ == "__main__":
    app()
