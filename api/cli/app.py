"""The `filieres` command line (Typer): its commands, and how it fails.

Exit codes (api/cli/failures.py, the README's "Exit codes"): 0 done or
intact, 1 the answer is no, 2 could not check, 70 a bug.
"""

from typing import Annotated

import typer
from rich.console import Console

from api.bootstrap import build
from api.cli.audit import audit_app, report_app
from api.cli.backup import backup
from api.cli.export import export_app
from api.cli.failures import FailureReportingGroup
from api.cli.keys import keys_app
from api.cli.options import DatabaseUrl
from api.cli.projections import projections_app
from api.cli.serve import run, serve
from api.cli.summary import summary
from api.cli.tokens import token_app
from application.roannais_history import record_roannais_history
from infrastructure.store_presence import shown_url

app = typer.Typer(
    cls=FailureReportingGroup,
    help="Filières: the ledger of the decisions of a territorial programme.",
    no_args_is_help=True,
)
app.add_typer(token_app, name="token")
app.add_typer(projections_app, name="projections")
app.add_typer(audit_app, name="audit")
app.add_typer(report_app, name="report")
app.add_typer(export_app, name="export")
app.command()(summary)
app.command()(backup)
app.add_typer(keys_app, name="keys")
app.command()(serve)
app.command()(run)

out = Console()


@app.callback()
def main(
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            envvar="FILIERES_DEBUG",
            help="On a failure, print the Python traceback before the one-line error.",
        ),
    ] = False,
) -> None:
    """Filières: the ledger of the decisions of a territorial programme."""


@app.command()
def demo(database_url: DatabaseUrl = None) -> None:
    """Record the Roannais history (2005–2013) through the application's commands."""
    services = build(database_url=database_url)
    try:
        record_roannais_history(services.app)
    finally:
        services.close()
    out.print(f"Recorded the Roannais history in {shown_url(services.settings.database_url)}")


if __name__ == "__main__":
    app()
