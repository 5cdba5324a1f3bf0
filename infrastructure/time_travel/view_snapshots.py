"""Snapshots of a view's scratch database for one filière: its fold up to a day, at a log position.

A snapshot holds the fold of every event of its scope visible by `day` and
at a position up to `position` (the log's end when it was taken). It never
goes stale: an event recorded since, or visible later, is folded on top of
it. It serves a cutoff whose day is at least `day` and whose instant is at
least `max_recorded_at`.

The scratch database is stored compressed (zlib, fastest level: about a third
of its size, some milliseconds per megabyte each way).

The table is new with snapshots by day: `time_travel_snapshots`, by position,
which some stores still hold, is no longer read.
"""

import zlib
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Date,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Uuid,
    delete,
    insert,
    select,
)

from application.projections.time_travel import Cutoff
from infrastructure.views.column_types import UtcDateTime

metadata = MetaData()

_POSITION = BigInteger().with_variant(Integer(), "sqlite")

SNAPSHOTS = Table(
    "time_travel_day_snapshots",
    metadata,
    Column("view_name", String(64), primary_key=True),
    Column("view_version", Integer, primary_key=True),
    Column("scope_id", Uuid, primary_key=True),
    Column("day", Date, primary_key=True),
    Column("position", _POSITION, primary_key=True),
    Column("max_recorded_at", UtcDateTime, nullable=False),
    Column("events", Integer, nullable=False),
    Column("last_changed", _POSITION, nullable=False),
    Column("content", LargeBinary, nullable=False),
)


@dataclass(frozen=True)
class ViewSnapshot:
    day: date
    position: int
    max_recorded_at: datetime
    events: int
    last_changed: int
    """The greatest position of the scope's own events in it (organisations' names aside)."""
    content: bytes


def latest_usable(
    connection: Connection, view_name: str, view_version: int, scope_id: UUID, cutoff: Cutoff
) -> ViewSnapshot | None:
    """The cutoff's snapshot with the latest day, and of that day the one that went furthest."""
    s = SNAPSHOTS.c
    query = (
        select(s.day, s.position, s.max_recorded_at, s.events, s.last_changed, s.content)
        .where(s.view_name == view_name, s.view_version == view_version, s.scope_id == scope_id)
        .order_by(s.day.desc(), s.position.desc())
        .limit(1)
    )
    if cutoff.as_of is not None:
        query = query.where(s.day <= cutoff.as_of)
    if cutoff.known_at_utc is not None:
        query = query.where(s.max_recorded_at <= cutoff.known_at_utc)
    row = connection.execute(query).first()
    if row is None:
        return None
    day, position, max_recorded_at, events, last_changed, content = row
    return ViewSnapshot(
        day, position, max_recorded_at, events, last_changed, zlib.decompress(content)
    )


def save(
    connection: Connection,
    view_name: str,
    view_version: int,
    scope_id: UUID,
    snapshot: ViewSnapshot,
) -> None:
    """Keep `snapshot`, instead of those of its day that went less far.

    Two readers may save the same one at once: the second gets IntegrityError.
    """
    s = SNAPSHOTS.c
    connection.execute(
        delete(SNAPSHOTS).where(
            s.view_name == view_name,
            s.view_version == view_version,
            s.scope_id == scope_id,
            s.day == snapshot.day,
            s.position < snapshot.position,
        )
    )
    connection.execute(
        insert(SNAPSHOTS).values(
            view_name=view_name,
            view_version=view_version,
            scope_id=scope_id,
            day=snapshot.day,
            position=snapshot.position,
            max_recorded_at=snapshot.max_recorded_at,
            events=snapshot.events,
            last_changed=snapshot.last_changed,
            content=zlib.compress(snapshot.content, 1),
        )
    )
