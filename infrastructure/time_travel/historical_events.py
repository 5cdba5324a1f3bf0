"""The events of one scope (a filière, an aggregate) that pass a cutoff, found through the index.

A scope is a few arms, each served by one index of the event index (a
filière's events, one event type, one aggregate). A fold first reads the keys
of the events it needs (position, day, arm: small rows, whatever the size of
their states), orders them itself, then loads the events a chunk at a time by
position, so that memory stays that of one chunk of events however long the
history.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from eventsourcing.persistence import StoredEvent
from sqlalchemy import ColumnElement, Connection, Row, Select, Table, func, or_, select

from application.projections.time_travel import Cutoff
from infrastructure.views.event_index_tables import EVENT_INDEX

_INDEX = EVENT_INDEX.c

Run = Callable[[Select[Any]], Sequence[Row[Any]]]
"""Runs a query in its own short transaction on the store and returns every row."""


@dataclass(frozen=True)
class Scope:
    """The indexed events matching any of `arms`; each arm is served by one index.

    The first arm is the scope's own events (those that change its record);
    the others bring what it only reads about (the organisations' names).
    """

    arms: tuple[ColumnElement[bool], ...]


class EventKey(NamedTuple):
    """Where an event sits, and in which order a fold applies it (tuples compare in field order)."""

    late: bool
    """Past the stretch of the log the cutoff admits whole: folded after every other one."""
    visible_on: date
    position: int
    arm: int


@dataclass(frozen=True)
class HistoricalEvent:
    key: EventKey
    recorded_at: datetime
    stored: StoredEvent


@dataclass(frozen=True)
class Covered:
    """What a snapshot holds: the scope's events visible by `day`, at positions ≤ `position`."""

    day: date
    position: int


def admitted(cutoff: Cutoff) -> list[ColumnElement[bool]]:
    conditions = []
    if cutoff.as_of is not None:
        conditions.append(_INDEX.visible_on <= cutoff.as_of)
    if cutoff.known_at_utc is not None:
        conditions.append(_INDEX.recorded_at <= cutoff.known_at_utc)
    return conditions


def last_indexed(connection: Connection) -> int:
    """The index's last position: a fold reads no further, whatever is appended meanwhile."""
    found = connection.execute(select(func.max(_INDEX.position))).scalar()
    return 0 if found is None else int(found)


def first_unknown(connection: Connection, scope: Scope, cutoff: Cutoff, upto: int) -> int | None:
    """The first position of an event of the scope recorded after the cutoff's instant."""
    known_at = cutoff.known_at_utc
    if known_at is None:
        return None
    found = [
        connection.execute(
            select(_INDEX.position)
            .where(arm, _INDEX.position <= upto, _INDEX.recorded_at > known_at)
            .order_by(_INDEX.position)
            .limit(1)
        ).scalar()
        for arm in scope.arms
    ]
    positions = [int(position) for position in found if position is not None]
    return min(positions, default=None)


def scope_keys(
    connection: Connection,
    scope: Scope,
    cutoff: Cutoff,
    upto: int,
    whole_upto: int,
    covered: Covered | None,
) -> list[EventKey]:
    """The keys of the events the cutoff admits up to `upto` but `covered` does not, in fold order.

    Fold order is by day, then position; the events past `whole_upto` come
    last. Each aggregate's events stay in their order (an aggregate's
    `visible_on` never goes back) and a parent's first event comes before its
    children's.
    """
    beyond = []
    if covered is not None:
        beyond.append(or_(_INDEX.visible_on > covered.day, _INDEX.position > covered.position))
    keys: dict[int, EventKey] = {}
    for arm_number, arm in enumerate(scope.arms):
        rows = connection.execute(
            select(_INDEX.position, _INDEX.visible_on).where(
                arm, _INDEX.position <= upto, *admitted(cutoff), *beyond
            )
        )
        for position, visible_on in rows:  # an event two arms match counts for the first
            keys.setdefault(
                position, EventKey(position > whole_upto, visible_on, position, arm_number)
            )
    return sorted(keys.values())


def load_events(run: Run, events: Table, keys: Iterable[EventKey]) -> list[HistoricalEvent]:
    """The events at these keys, in the keys' order, read in one query."""
    by_position = {key.position: key for key in keys}
    rows = run(
        select(
            _INDEX.position,
            _INDEX.recorded_at,
            events.c.originator_id,
            events.c.originator_version,
            events.c.topic,
            events.c.state,
        )
        .join(events, events.c.id == _INDEX.position)
        .where(_INDEX.position.in_(list(by_position)))
    )
    loaded = [
        HistoricalEvent(
            key=by_position[row.position],
            recorded_at=row.recorded_at,
            stored=StoredEvent(
                originator_id=row.originator_id,
                originator_version=row.originator_version,
                topic=row.topic,
                state=bytes(row.state),
            ),
        )
        for row in rows
    ]
    loaded.sort(key=lambda event: event.key)
    return loaded
