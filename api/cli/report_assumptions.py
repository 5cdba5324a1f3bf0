"""`filieres report assumptions`: every event that rests on an assumption of its recorder.

What the log holds is not all written somewhere: where a source is silent,
the recorder says what they supposed, in the event's metadata. This report
lists those events with the source each cites, read from the store or asked
of a server (`GET /audit/assumptions`), so a reader knows which facts to check.
"""

import json
from collections.abc import Iterator
from typing import Annotated, Any

import typer
from rich.console import Console

from api.bootstrap import build
from api.cli.markdown import markdown_table
from api.cli.options import DatabaseUrl
from api.cli.read_side import remote
from api.cli.remote import ApiToken, ApiUrl, RemoteFilieres
from api.cli.report_formats import NONE, Format, ReportFormat
from api.cli.tables import fitted_table
from api.http.routers.decision_csv import csv_line
from application.audit.event_record import AuditEvent
from application.projections.paging import MAX_PAGE
from infrastructure.audit_event_query import AuditEventQuery, EventLogFilter

out = Console()
HEADER = ("#", "effective on", "event", "about", "source", "assumptions")
CSV_COLUMNS = (
    "position",
    "effective_on",
    "type",
    "aggregate_id",
    "about",
    "source_document",
    "source_locator",
    "assumptions",
)
DISTINCT_HEADER = ("assumption", "events", "positions")
_ABOUT_FIELDS = ("title", "project_title", "name", "label", "objective", "person", "statement")


def assumptions(
    distinct: Annotated[
        bool,
        typer.Option(
            "--distinct",
            help="Each assumption once, with how many events rest on it and their positions.",
        ),
    ] = False,
    output: Format = ReportFormat.TABLE,
    database_url: DatabaseUrl = None,
    api: ApiUrl = None,
    token: ApiToken = None,
) -> None:
    """Every event resting on an assumption: what it records, its source, what was supposed."""
    show = _print_distinct if distinct else _print
    if api:
        with remote(api, token) as server:
            show(list(_remote_events(server)), output)
        return
    services = build(database_url=database_url, existing_store=True)
    try:
        services.read_models.fresh()
        show(list(_stored_events(services.audit_events)), output)
    finally:
        services.close()


def _stored_events(log: AuditEventQuery) -> Iterator[AuditEvent]:
    where, cursor = EventLogFilter(assumed=True), None
    while True:
        page = log.page(where, MAX_PAGE, cursor)
        yield from page.items
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def _remote_events(server: RemoteFilieres) -> Iterator[AuditEvent]:
    cursor = None
    while True:
        page = server.get("/audit/assumptions", {"limit": MAX_PAGE, "cursor": cursor})
        yield from (AuditEvent.model_validate(item) for item in page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return


def _print(events: list[AuditEvent], output: ReportFormat) -> None:
    if output == ReportFormat.JSON:
        typer.echo(json.dumps([e.model_dump(mode="json") for e in events], ensure_ascii=False))
        return
    if output == ReportFormat.CSV:
        typer.echo(csv_line(CSV_COLUMNS), nl=False)
        for event in events:
            typer.echo(csv_line(_csv_cells(event)), nl=False)
        return
    rows = [_cells(event) for event in events]
    if output == ReportFormat.MD:
        typer.echo(markdown_table(HEADER, rows))
        return
    title = f"Events resting on an assumption — {len(rows)}"
    out.print(fitted_table(out, title, HEADER, rows, right=("#",)))


def _print_distinct(events: list[AuditEvent], output: ReportFormat) -> None:
    """Each assumption once, in the order it first appears in the log."""
    resting: dict[str, list[AuditEvent]] = {}
    for event in events:
        for text in assumptions_of(event):
            resting.setdefault(text, []).append(event)
    if output == ReportFormat.JSON:
        answer = [
            {"assumption": text, "positions": [e.position for e in on]}
            for text, on in resting.items()
        ]
        typer.echo(json.dumps(answer, ensure_ascii=False))
        return
    rows = [(text, str(len(on)), _ranges([e.position for e in on])) for text, on in resting.items()]
    if output == ReportFormat.CSV:
        typer.echo(csv_line(DISTINCT_HEADER), nl=False)
        for row in rows:
            typer.echo(csv_line(row), nl=False)
        return
    if output == ReportFormat.MD:
        typer.echo(markdown_table(DISTINCT_HEADER, rows))
        return
    title = f"Assumptions — {len(rows)}, under {len(events)} events"
    out.print(fitted_table(out, title, DISTINCT_HEADER, rows, right=("events",)))


def _ranges(positions: list[int]) -> str:
    """`1, 3–5, 9`: log positions, consecutive ones as a range."""
    spans: list[list[int]] = []
    for position in positions:
        if spans and position == spans[-1][1] + 1:
            spans[-1][1] = position
        else:
            spans.append([position, position])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


def _cells(event: AuditEvent) -> tuple[str, ...]:
    source = _source(event)
    cited = NONE
    if source:
        cited = "\n".join(part for part in (source.get("document"), source.get("locator")) if part)
    return (
        str(event.position),
        event.effective_on,
        event.type,
        about(event) or NONE,
        cited,
        "\n".join(assumptions_of(event)),
    )


def _csv_cells(event: AuditEvent) -> tuple[object, ...]:
    source = _source(event)
    return (
        event.position,
        event.effective_on,
        event.type,
        event.aggregate_id,
        about(event),
        source.get("document") if source else None,
        source.get("locator") if source else None,
        " | ".join(assumptions_of(event)),
    )


def about(event: AuditEvent) -> str:
    """What the event is about, in a few words its data gives: a title, a name, a rationale."""
    data = event.data
    for name in _ABOUT_FIELDS:
        if isinstance(data.get(name), str):
            return str(data[name])
    decision = data.get("decision")
    if isinstance(decision, dict) and isinstance(decision.get("rationale"), str):
        return str(decision["rationale"])
    return ""


def assumptions_of(event: AuditEvent) -> list[str]:
    found = (event.metadata or {}).get("assumptions") or []
    return [str(text) for text in found]


def _source(event: AuditEvent) -> dict[str, Any] | None:
    source = (event.metadata or {}).get("source")
    return source if isinstance(source, dict) else None
