"""`filieres export subventions`: a funder's grants as SCDL « Subventions » 2.1.1 open data."""

import sys
from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer

from api.bootstrap import build
from api.cli.options import DatabaseUrl
from application.reports.subventions import funder_subventions

export_app = typer.Typer(help="Open data: what the programme publishes.", no_args_is_help=True)


@export_app.command("subventions")
def subventions(
    funder: Annotated[UUID, typer.Option("--funder", help="The funder's organisation id.")],
    year: Annotated[
        int | None,
        typer.Option(min=1900, max=9999, help="Only agreements signed that year (all if omitted)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", help="Write the CSV here instead of stdout.")
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """The funder's grants in the 16 SCDL columns; what it left out, and why, on stderr."""
    services = build(database_url=database_url, existing_store=True)
    try:
        found = funder_subventions(services.app, services.read_models, funder, year)
    finally:
        services.close()
    text = found.csv()
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
    for line in found.left_out:
        typer.echo(f"left out: funding {line.funding_id}: {'; '.join(line.reasons)}", err=True)
