"""`filieres audit history ID`: one aggregate's versions, as a table or as the API's JSON."""

from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

import typer
from rich.console import Console

from api.bootstrap import build
from api.cli.options import DatabaseUrl
from api.cli.read_side import remote
from api.cli.remote import ApiToken, ApiUrl
from api.cli.tables import fitted_table
from api.http.schemas.audit import StreamHistory
from application.audit.event_record import AuditEvent
from application.audit.stream_history import stream_history
from infrastructure.audit_event_query import AuditEventQuery

HEADER = ("version", "position", "type", "effective_on", "recorded_at", "recorded_by", "summary")
out = Console()


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
        answer = _history(aggregate_id, database_url, api, token)
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
    services = build(database_url=database_url, follow_in_process=False, existing_store=True)
    try:
        return StreamHistory.model_validate(
            stream_history(services.app.mapper, AuditEventQuery.of(services.app), aggregate_id)
        )
    finally:
        services.close()


def _print_table(answer: StreamHistory) -> None:
    title = f"{answer.aggregate_type} {answer.aggregate_id} — {len(answer.versions)} versions"
    rows = [
        (
            str(version.event.version),
            str(version.event.position),
            version.event.type,
            version.event.effective_on,
            version.event.recorded_at,
            version.event.recorded_by or "—",
            summary(version.event),
        )
        for version in answer.versions
    ]
    out.print(fitted_table(out, title, HEADER, rows, right=("version", "position")))


def summary(event: AuditEvent) -> str:
    """The event's fields in one line, its decision first (the JSON format has them in full)."""
    parts = []
    for name, value in sorted(event.data.items(), key=lambda item: item[0] != "decision"):
        if name == "originator_topic" or value is None or value in ([], {}, ""):
            continue
        parts.append(f"{name}={_short(name, value)}")
    return ", ".join(parts)


def _short(name: str, value: Any) -> str:
    if name == "decision" and isinstance(value, dict):
        named = len(value.get("decided_by") or [])
        return f"[{value.get('decided_on')}, {named} named]"
    if isinstance(value, list):
        return f"[{len(value)} items]"
    if isinstance(value, dict):
        return "{…}"
    return str(value)
