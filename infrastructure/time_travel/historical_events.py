"""The events of one scope (a filière, an aggregate) that pass a cutoff, found through the index."""

from dataclasses import dataclass
from datetime import date, datetime

from eventsourcing.persistence import StoredEvent
from sqlalchemy import ColumnElement, Connection, Table, func, or_, select

from application.projections.time_travel import Cutoff
from infrastructure.views.event_index_tables import EVENT_INDEX

_INDEX = EVENT_INDEX.c


@dataclass(frozen=True)
class HistoricalEvent:
    position: int
    visible_on: date
    recorded_at: datetime
    stored: StoredEvent


def admitted(cutoff: Cutoff) -> list[ColumnElement[bool]]:
    conditions = []
    if cutoff.as_of is not None:
        conditions.append(_INDEX.visible_on <= cutoff.as_of)
    if cutoff.known_at_utc is not None:
        conditions.append(_INDEX.recorded_at <= cutoff.known_at_utc)
    return conditions


def scope_events(
    connection: Connection,
    events: Table,
    scope: ColumnElement[bool],
    cutoff: Cutoff,
    after: int,
) -> list[HistoricalEvent]:
    """The scope's events after position `after` that the cutoff admits, in log order."""
    query = (
        select(
            _INDEX.position,
            _INDEX.visible_on,
            _INDEX.recorded_at,
            events.c.originator_id,
            events.c.originator_version,
            events.c.topic,
            events.c.state,
        )
        .join(events, events.c.id == _INDEX.position)
        .where(scope, _INDEX.position > after, *admitted(cutoff))
        .order_by(_INDEX.position)
    )
    return [
        HistoricalEvent(
            position=row.position,
            visible_on=row.visible_on,
            recorded_at=row.recorded_at,
            stored=StoredEvent(
                originator_id=row.originator_id,
                originator_version=row.originator_version,
                topic=row.topic,
                state=bytes(row.state),
            ),
        )
        for row in connection.execute(query)
    ]


def first_excluded(
    connection: Connection, scope: ColumnElement[bool], cutoff: Cutoff, after: int
) -> int | None:
    """The first position after `after` of an event of the scope that the cutoff leaves out."""
    left_out = []
    if cutoff.as_of is not None:
        left_out.append(_INDEX.visible_on > cutoff.as_of)
    if cutoff.known_at_utc is not None:
        left_out.append(_INDEX.recorded_at > cutoff.known_at_utc)
    if not left_out:
        return None
    found = connection.execute(
        select(func.min(_INDEX.position)).where(scope, _INDEX.position > after, or_(*left_out))
    ).scalar()
    return None if found is None else int(found)
