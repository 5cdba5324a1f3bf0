"""`filieres audit history ID`: one aggregate's versions, as a table or as the API's JSON."""

from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

import typer
from rich.console import Console
from rich.table import Table

from api.bootstrap import build
from api.cli.options import DatabaseUrl
from api.cli.read_side import remote
from api.cli.remote import ApiToken, ApiUrl
from api.http.schemas.audit import StreamHistory
from application.audit.event_record import AuditEvent
from application.audit.stream_history import stream_history
from domain.errors import NotFoundError
from infrastructure.audit_event_query import AuditEventQuery

SUMMARY_WIDTH = 120
out = Console()
err = Console(stderr=True)


class HistoryFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


def register(app: typer.Typer) -> None:
    """Add this module's commands to `app`."""

    @app.command("history")
    def history(
        aggregate_id: Annotated[UUID, typer.Argument(help="The aggregate's id.")],
        output: Annotated[
            HistoryFormat,
            typer.Option("--format", help="table (for reading) or json (as GET /audit/streams)."),
        ] = HistoryFormat.TABLE,
        database_url: DatabaseUrl = None,
        api: ApiUrl = None,
        token: ApiToken = None,
    ) -> None:
        """Every version of one aggregate: its event, who recorded it, and when."""
        try:
            answer = _history(aggregate_id, database_url, api, token)
        except NotFoundError as error:
            err.print(f"[red]Not found:[/red] {error}")
            raise typer.Exit(1) from None
        if output == HistoryFormat.JSON:
            typer.echo(answer.model_dump_json(by_alias=True, indent=2))
            return
        _print_table(answer)


def _history(
    aggregate_id: UUID, database_url: str | None, api: str | None, token: str | None
) -> StreamHistory:
    if api:
        with remote(api, token) as server:
            return StreamHistory.model_validate(server.get(f"/audit/streams/{aggregate_id}"))
    # The history reads the events themselves: the views need not catch up.
    services = build(database_url=database_url, follow_in_process=False)
    try:
        return StreamHistory.model_validate(
            stream_history(services.app.mapper, AuditEventQuery.of(services.app), aggregate_id)
        )
    finally:
        services.close()


def _print_table(answer: StreamHistory) -> None:
    table = Table(
        title=f"{answer.aggregate_type} {answer.aggregate_id} — {len(answer.versions)} versions"
    )
    for column in (
        "version",
        "position",
        "type",
        "effective_on",
        "recorded_at",
        "recorded_by",
        "summary",
    ):
        table.add_column(column, justify="right" if column in ("version", "position") else "left")
    for version in answer.versions:
        event = version.event
        table.add_row(
            str(event.version),
            str(event.position),
            event.type,
            event.effective_on,
            event.recorded_at,
            event.recorded_by or "—",
            summary(event),
        )
    out.print(table)


def summary(event: AuditEvent) -> str:
    """The event's fields in one short line, its decision first (the JSON format has it all)."""
    parts = []
    for name, value in sorted(event.data.items(), key=lambda item: item[0] != "decision"):
        if name == "originator_topic" or value is None or value in ([], {}, ""):
            continue
        parts.append(f"{name}={_short(name, value)}")
    text = ", ".join(parts)
    return text if len(text) <= SUMMARY_WIDTH else text[: SUMMARY_WIDTH - 1] + "…"


def _short(name: str, value: Any) -> str:
    if name == "decision" and isinstance(value, dict):
        named = len(value.get("decided_by") or [])
        return f"[{value.get('decided_on')}, {named} named]"
    if isinstance(value, list):
        return f"[{len(value)} items]"
    if isinstance(value, dict):
        return "{…}"
    return str(value)
