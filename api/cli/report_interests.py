"""`filieres report interests`: declared and structural interests, per body and délibération."""

import json
from typing import Annotated
from uuid import UUID

import typer
from rich.console import Console

from api.bootstrap import build
from api.cli.markdown import markdown_table
from api.cli.options import DatabaseUrl
from api.cli.read_side import remote
from api.cli.remote import ApiToken, ApiUrl
from api.cli.report_formats import NONE, Format, ReportFormat
from api.cli.tables import fitted_table
from api.http.routers.decision_csv import csv_line
from application.reports.interests import BodyInterestsReport, interests_report

out = Console()
HEADER = ("body", "délibération", "decided on", "subject", "person", "organisation", "interest")


def interests(
    body: Annotated[
        UUID | None, typer.Option("--body", help="Only this body (default: all).")
    ] = None,
    output: Format = ReportFormat.TABLE,
    database_url: DatabaseUrl = None,
    api: ApiUrl = None,
    token: ApiToken = None,
) -> None:
    """Each body's declarations of interest, and the interests recused from each délibération."""
    if api:  # GET /bodies/{id}/interests, every body's when none is named
        with remote(api, token) as server:
            report = server.interests(body)
    else:
        report = _stored(database_url, body)
    if output == ReportFormat.JSON:
        answer = [b.model_dump(mode="json") for b in report]
        typer.echo(json.dumps(answer, indent=2, ensure_ascii=False))
        return
    rows = _rows(report)
    if output == ReportFormat.CSV:
        for line in (HEADER, *rows):
            typer.echo(csv_line(line), nl=False)
        return
    if output == ReportFormat.MD:
        typer.echo(markdown_table(HEADER, rows))
        return
    out.print(fitted_table(out, f"Interests — {len(rows)}", HEADER, rows or [(NONE,) * 7]))


def _stored(database_url: str | None, body: UUID | None) -> list[BodyInterestsReport]:
    # Read from the bodies' own events: no view to bring up to date.
    services = build(database_url=database_url, follow_in_process=False, existing_store=True)
    try:
        return interests_report(services.app, body)
    finally:
        services.close()


def _rows(report: list[BodyInterestsReport]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for body in report:
        for c in body.declared:
            until = f" until {c.ends_on}" if c.ends_on else ""
            rows.append(
                (
                    body.name,
                    NONE,
                    NONE,
                    NONE,
                    c.person,
                    c.organisation_name,
                    f"declared on {c.declared_on}{until}: {c.reason}",
                )
            )
        for d in body.deliberations:
            for i in d.interests or []:
                rows.append(
                    (
                        body.name,
                        str(d.deliberation_number),
                        d.decided_on.isoformat(),
                        d.subject,
                        i.person,
                        i.organisation_name,
                        f"{i.kind.value}, recused",
                    )
                )
    return rows
