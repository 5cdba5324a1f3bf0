"""EventIndex: every event by filière, effective and recorded time, and actor.

Auditors filter the log by these, and time travel selects a filière's events
up to a day or an instant from it without reading the whole log.

`visible_on` is the day from which an event counts for time travel on the
effective axis: its own `effective_on`, but never before the aggregate's
previous event nor, for an aggregate's first event, before its parent's (a
call's filière, a funding's project). An aggregate's history filtered by
`visible_on <= day` is then always a prefix of its stream, in log order.
"""

from datetime import date, datetime
from typing import Annotated, TypedDict
from uuid import UUID

from eventsourcing.persistence import Tracking

from application.projections.rows import Rows
from application.projections.tables import KEY, POSITION, Index, Table, Text
from application.projections.view import View
from domain.base import Aggregate
from domain.call import Call
from domain.filiere import Filiere
from domain.funding import Funding
from domain.project import Project


class IndexedEventRow(TypedDict):
    position: Annotated[int, POSITION, KEY]
    aggregate_id: UUID
    aggregate_type: Annotated[str, Text(64)]
    version: int
    event_type: Annotated[str, Text(128)]
    filiere_id: UUID | None
    effective_on: date
    visible_on: date
    recorded_at: datetime
    recorded_by: Annotated[str, Text(200)] | None
    correlation_id: UUID | None
    assumed: bool
    """The event rests on an assumption its recorder stated (in its metadata)."""


class ScopeRow(TypedDict):
    aggregate_id: Annotated[UUID, KEY]
    aggregate_type: Annotated[str, Text(64)]
    filiere_id: UUID | None
    first_visible_on: date
    last_visible_on: date


EVENTS = Table(
    "audit_event_index",
    IndexedEventRow,
    indexes=(
        Index("audit_event_index_filiere", ("filiere_id", "position")),
        Index("audit_event_index_aggregate", ("aggregate_id", "version")),
        Index("audit_event_index_effective", ("effective_on", "position")),
        Index("audit_event_index_recorded", ("recorded_at", "position")),
        Index("audit_event_index_actor", ("recorded_by", "position")),
        Index("audit_event_index_type", ("event_type", "position")),
        Index("audit_event_index_assumed", ("assumed", "position")),
    ),
)
AGGREGATE_SCOPE = Table("audit_aggregate_scope", ScopeRow)
VIEW = View("event_index", version=2, tables=(EVENTS, AGGREGATE_SCOPE))


@VIEW.handles
def indexed(event: Aggregate.Event, rows: Rows, at: Tracking) -> None:
    _index(rows, event, at)


@VIEW.handles
def filiere_event(event: Filiere.Event, rows: Rows, at: Tracking) -> None:
    _index(rows, event, at, filiere_id=event.originator_id)


@VIEW.handles
def created_in_filiere(event: Call.Launched | Project.Proposed, rows: Rows, at: Tracking) -> None:
    _index(rows, event, at, filiere_id=event.filiere_id, parent_id=event.filiere_id)


@VIEW.handles
def granted(event: Funding.Granted, rows: Rows, at: Tracking) -> None:
    _index(rows, event, at, parent_id=event.project_id)


def _index(
    rows: Rows,
    event: Aggregate.Event,
    at: Tracking,
    filiere_id: UUID | None = None,
    parent_id: UUID | None = None,
) -> None:
    """Index `event`; its filière, when the event does not tell, is its aggregate's or parent's.

    `parent_id`: for an aggregate's first event, its filière, or a funding's project.
    """
    event_type = type(event).__qualname__
    aggregate_type = event_type.partition(".")[0]
    visible_on = event.effective_on
    if event.originator_version == 1:
        if parent_id is not None:
            parent = rows.get(AGGREGATE_SCOPE, (parent_id,))
            if parent is not None:
                filiere_id = filiere_id or parent["filiere_id"]
                visible_on = max(visible_on, parent["first_visible_on"])
        rows.insert(
            AGGREGATE_SCOPE,
            {
                "aggregate_id": event.originator_id,
                "aggregate_type": aggregate_type,
                "filiere_id": filiere_id,
                "first_visible_on": visible_on,
                "last_visible_on": visible_on,
            },
        )
    else:
        scope = rows.get(AGGREGATE_SCOPE, (event.originator_id,))
        if scope is not None:
            filiere_id = filiere_id or scope["filiere_id"]
            visible_on = max(visible_on, scope["last_visible_on"])
            if visible_on != scope["last_visible_on"]:
                rows.update(
                    AGGREGATE_SCOPE, (event.originator_id,), {"last_visible_on": visible_on}
                )
    meta = event.meta
    rows.insert(
        EVENTS,
        {
            "position": at.notification_id,
            "aggregate_id": event.originator_id,
            "aggregate_type": aggregate_type,
            "version": event.originator_version,
            "event_type": event_type,
            "filiere_id": filiere_id,
            "effective_on": event.effective_on,
            "visible_on": visible_on,
            "recorded_at": event.timestamp,
            "recorded_by": meta.recorded_by if meta else None,
            "correlation_id": meta.correlation_id if meta else None,
            "assumed": meta.rests_on_assumption if meta else False,
        },
    )
