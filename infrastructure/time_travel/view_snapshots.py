"""Snapshots of a view's scratch database for one filière: its fold up to a day, at a log position.

A snapshot holds the fold of every event of its scope visible by `day` and
at a position up to `position` (the log's end when it was taken). It never
goes stale: an event recorded since, or visible later, is folded on top of
it. It serves a cutoff whose day is at least `day` and whose instant is at
least `max_recorded_at`.

The scratch database is stored compressed (zlib, fastest level: about a third
of its size, some milliseconds per megabyte each way).

A snapshot answers questions about the past, so it must not be forgeable in
the database: each is sealed (HMAC-SHA-256 keyed by the deployment's secret,
as aggregate snapshots are) over every column that says what it is and its
stored content. One whose seal fails is skipped, with an error logged, for
the next one down or a fold from the start; `audit verify` names it.

The table is new with seals: `time_travel_day_snapshots` (unsealed) and
`time_travel_snapshots` (by position), which some stores still hold, are no
longer read.
"""

import hashlib
import hmac
import logging
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
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
    func,
    insert,
    select,
)

from application.audit.verification_results import BadViewSnapshot
from application.projections.time_travel import Cutoff
from infrastructure.schema import POSITION
from infrastructure.views.column_types import UtcDateTime

logger = logging.getLogger(__name__)
metadata = MetaData()
_DOMAIN = b"filieres time travel snapshot seal v1\n"

SNAPSHOTS = Table(
    "time_travel_sealed_snapshots",
    metadata,
    Column("view_name", String(64), primary_key=True),
    Column("view_version", Integer, primary_key=True),
    Column("scope_id", Uuid, primary_key=True),
    Column("day", Date, primary_key=True),
    Column("position", POSITION, primary_key=True),
    Column("max_recorded_at", UtcDateTime, nullable=False),
    Column("events", Integer, nullable=False),
    Column("last_changed", POSITION, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("seal", String(64), nullable=False),
)
_COLUMNS = (
    SNAPSHOTS.c.view_name,
    SNAPSHOTS.c.view_version,
    SNAPSHOTS.c.scope_id,
    SNAPSHOTS.c.day,
    SNAPSHOTS.c.position,
    SNAPSHOTS.c.max_recorded_at,
    SNAPSHOTS.c.events,
    SNAPSHOTS.c.last_changed,
    SNAPSHOTS.c.content,
    SNAPSHOTS.c.seal,
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


def seal(
    key: bytes,
    view_name: str,
    view_version: int,
    scope_id: UUID,
    snapshot: ViewSnapshot,
    stored_content: bytes,
) -> str:
    """HMAC-SHA-256, hex, of what identifies a snapshot and its content as stored."""
    fields = (
        view_name,
        str(view_version),
        str(scope_id),
        snapshot.day.isoformat(),
        str(snapshot.position),
        _utc_text(snapshot.max_recorded_at),
        str(snapshot.events),
        str(snapshot.last_changed),
    )
    message = _DOMAIN + "\n".join(fields).encode() + b"\n" + bytes(stored_content)
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def latest_usable(
    connection: Connection,
    key: bytes,
    view_name: str,
    view_version: int,
    scope_id: UUID,
    cutoff: Cutoff,
) -> ViewSnapshot | None:
    """The cutoff's sealed snapshot with the latest day, and of that day the one that went
    furthest; one whose seal fails is logged and passed over."""
    s = SNAPSHOTS.c
    query = (
        select(*_COLUMNS)
        .where(s.view_name == view_name, s.view_version == view_version, s.scope_id == scope_id)
        .order_by(s.day.desc(), s.position.desc())
    )
    if cutoff.as_of is not None:
        query = query.where(s.day <= cutoff.as_of)
    if cutoff.known_at_utc is not None:
        query = query.where(s.max_recorded_at <= cutoff.known_at_utc)
    for row in connection.execute(query):
        snapshot = _snapshot(row)
        if _holds(key, row, snapshot):
            return ViewSnapshot(**{**vars(snapshot), "content": zlib.decompress(row.content)})
        logger.error(
            "the time-travel snapshot of %s %s as of %s (position %s) fails its seal: not used",
            view_name,
            scope_id,
            snapshot.day,
            snapshot.position,
        )
    return None


def bad_snapshots(connection: Connection, key: bytes) -> Iterator[BadViewSnapshot]:
    """Every stored snapshot whose seal fails, for `audit verify`."""
    query = select(*_COLUMNS).order_by(SNAPSHOTS.c.scope_id, SNAPSHOTS.c.day, SNAPSHOTS.c.position)
    for row in connection.execution_options(yield_per=100).execute(query):
        if not _holds(key, row, _snapshot(row)):
            yield BadViewSnapshot(
                view=row.view_name,
                view_version=row.view_version,
                scope_id=row.scope_id,
                day=row.day,
                position=row.position,
            )


def count(connection: Connection) -> int:
    return int(connection.execute(select(func.count()).select_from(SNAPSHOTS)).scalar_one())


def _holds(key: bytes, row: Any, snapshot: ViewSnapshot) -> bool:
    expected = seal(key, row.view_name, row.view_version, row.scope_id, snapshot, row.content)
    return hmac.compare_digest(str(row.seal), expected)


def _snapshot(row: Any) -> ViewSnapshot:
    """The row as a snapshot, its content left compressed (decompressed only once trusted)."""
    return ViewSnapshot(
        row.day, row.position, row.max_recorded_at, row.events, row.last_changed, row.content
    )


def _utc_text(instant: datetime) -> str:
    """One text for an instant whichever backend gave it back (SQLite's are naive, in UTC)."""
    utc = instant.astimezone(UTC) if instant.tzinfo else instant.replace(tzinfo=UTC)
    return utc.isoformat()


def save(
    connection: Connection,
    key: bytes,
    view_name: str,
    view_version: int,
    scope_id: UUID,
    snapshot: ViewSnapshot,
) -> None:
    """Keep `snapshot`, sealed, instead of those of its day that went less far.

    Two readers may save the same one at once: the second gets IntegrityError.
    """
    s = SNAPSHOTS.c
    content = zlib.compress(snapshot.content, 1)
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
            **{**vars(snapshot), "content": content},  # its columns bear its fields' names
            seal=seal(key, view_name, view_version, scope_id, snapshot, content),
        )
    )
