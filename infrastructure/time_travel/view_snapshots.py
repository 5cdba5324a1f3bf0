"""Snapshots of a view's scratch database for one filière, at a position of the log.

A snapshot holds the fold of *every* event of its scope up to its position,
so it never goes stale (the log only grows), and it serves a cutoff that
admits all of those events: one whose day is at least `max_visible_on` and
whose instant is at least `max_recorded_at`.
"""

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
    insert,
    select,
)

from application.projections.time_travel import Cutoff
from infrastructure.views.column_types import UtcDateTime

metadata = MetaData()

SNAPSHOTS = Table(
    "time_travel_snapshots",
    metadata,
    Column("view_name", String(64), primary_key=True),
    Column("view_version", Integer, primary_key=True),
    Column("scope_id", Uuid, primary_key=True),
    Column("position", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("max_visible_on", Date, nullable=False),
    Column("max_recorded_at", UtcDateTime, nullable=False),
    Column("events", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
)


@dataclass(frozen=True)
class ViewSnapshot:
    position: int
    max_visible_on: date
    max_recorded_at: datetime
    events: int
    content: bytes


def latest_usable(
    connection: Connection, view_name: str, view_version: int, scope_id: UUID, cutoff: Cutoff
) -> ViewSnapshot | None:
    s = SNAPSHOTS.c
    query = (
        select(s.position, s.max_visible_on, s.max_recorded_at, s.events, s.content)
        .where(s.view_name == view_name, s.view_version == view_version, s.scope_id == scope_id)
        .order_by(s.position.desc())
        .limit(1)
    )
    if cutoff.as_of is not None:
        query = query.where(s.max_visible_on <= cutoff.as_of)
    if cutoff.known_at_utc is not None:
        query = query.where(s.max_recorded_at <= cutoff.known_at_utc)
    row = connection.execute(query).first()
    return None if row is None else ViewSnapshot(*row)


def save(
    connection: Connection,
    view_name: str,
    view_version: int,
    scope_id: UUID,
    snapshot: ViewSnapshot,
) -> None:
    """Two readers may save the same one at once: the second gets IntegrityError."""
    connection.execute(
        insert(SNAPSHOTS).values(
            view_name=view_name,
            view_version=view_version,
            scope_id=scope_id,
            position=snapshot.position,
            max_visible_on=snapshot.max_visible_on,
            max_recorded_at=snapshot.max_recorded_at,
            events=snapshot.events,
            content=snapshot.content,
        )
    )
