"""Aggregate snapshots that count only when sealed with the secret held outside the database.

A snapshot decides (it is the state a command checks against), yet it is
derived: a row added to the snapshot table by SQL — a voting seat for
someone never seated — would change decisions while the log and its chain
stay intact. So each snapshot is stored with its seal, HMAC-SHA-256 keyed by
the deployment's secret (`secret_key.py`) over its aggregate id, version,
topic and stored state, in the same transaction. A load uses only snapshots
whose seal holds; one that fails is logged and skipped, and the aggregate
loads from an earlier snapshot or from its events alone.
"""

import hashlib
import hmac
import logging
from collections.abc import Iterator, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing_sqlalchemy.recorders import SQLAlchemyAggregateRecorder
from sqlalchemy import (
    Column,
    Engine,
    MetaData,
    Row,
    String,
    Table,
    and_,
    func,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy_utils.types.uuid import UUIDType

from application.audit.verification_results import BadSnapshot
from infrastructure.schema import create_tables, position_key

logger = logging.getLogger(__name__)

SEALS = Table(
    "filieres_snapshot_seals",
    MetaData(),
    Column("originator_id", UUIDType(), primary_key=True),
    position_key("originator_version"),
    Column("seal", String(64), nullable=False),
)
_DOMAIN = b"filieres snapshot seal v1\n"
PAGE_SIZE = 500


def seal(key: bytes, originator_id: UUID, version: int, topic: str, state: bytes) -> str:
    """HMAC-SHA-256 of one stored snapshot, hex."""
    message = b"".join(
        (
            _DOMAIN,
            originator_id.bytes,
            version.to_bytes(8, "big", signed=True),
            topic.encode(),
            b"\n",
            bytes(state),
        )
    )
    return hmac.new(key, message, hashlib.sha256).hexdigest()


class SealedSnapshotRecorder(SQLAlchemyAggregateRecorder):
    """The library's snapshot recorder, each snapshot written with its seal and read only
    when the seal holds. Its tables are created as the events' are: the library checks then
    creates, which fails when processes start together on a new store."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tables.append(SEALS)
        self.seal_key: bytes = b""
        """Set by the factory from the deployment's secret."""
        self._snapshots = self.events_record_cls.__table__

    def create_table(self) -> None:
        assert isinstance(self.datastore.engine, Engine)
        create_tables(self.datastore.engine, self.tables)

    def _insert_stored_events(
        self, session: Session, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        positions = super()._insert_stored_events(session, stored_events, **kwargs)
        if stored_events:
            session.flush()  # the rows the library added, visible to this recorder's Core reads
            session.connection().execute(
                SEALS.insert(), [self._seal_row(stored) for stored in stored_events]
            )
        return positions

    def _seal_row(self, stored: StoredEvent) -> dict[str, Any]:
        return {
            "originator_id": stored.originator_id,
            "originator_version": stored.originator_version,
            "seal": self._seal_of(stored),
        }

    def _seal_of(self, stored: StoredEvent) -> str:
        return seal(
            self.seal_key,
            UUID(str(stored.originator_id)),
            stored.originator_version,
            stored.topic,
            stored.state,
        )

    def select_events(
        self,
        originator_id: UUID | str,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> list[StoredEvent]:
        """The snapshots asked for, leaving out (and logging) those whose seal fails."""
        rows = self._select(originator_id, gt, lte, desc, limit)
        sealed = [stored for stored, found in rows if self._holds(stored, found)]
        if limit is not None and len(sealed) < len(rows):
            # The latest failed: look further back, among every snapshot in the range.
            everything = self._select(originator_id, gt, lte, desc, None)
            sealed = [stored for stored, found in everything if self._holds(stored, found, False)]
            sealed = sealed[:limit]
        return sealed

    def _select(
        self,
        originator_id: UUID | str,
        gt: int | None,
        lte: int | None,
        desc: bool,
        limit: int | None,
    ) -> list[tuple[StoredEvent, str | None]]:
        snapshots = self._snapshots
        version = snapshots.c.originator_version
        statement = (
            select(
                snapshots.c.originator_id,
                version,
                snapshots.c.topic,
                snapshots.c.state,
                SEALS.c.seal,
            )
            .select_from(self._joined())
            .where(snapshots.c.originator_id == originator_id)
        )
        if gt is not None:
            statement = statement.where(version > gt)
        if lte is not None:
            statement = statement.where(version <= lte)
        statement = statement.order_by(version.desc() if desc else version)
        if limit is not None:
            statement = statement.limit(limit)
        with self.transaction(commit=False) as session:
            rows = session.connection().execute(statement).all()
        return [(StoredEvent(r[0], r[1], r[2], bytes(r[3])), r[4]) for r in rows]

    def _joined(self) -> Any:
        snapshots = self._snapshots
        return snapshots.outerjoin(
            SEALS,
            and_(
                SEALS.c.originator_id == snapshots.c.originator_id,
                SEALS.c.originator_version == snapshots.c.originator_version,
            ),
        )

    def _holds(self, stored: StoredEvent, found: str | None, log: bool = True) -> bool:
        reason = self._failure(stored, found)
        if reason is None:
            return True
        if log:
            logger.error(
                "snapshot of %s at version %s ignored (%s): the aggregate loads from its events",
                stored.originator_id,
                stored.originator_version,
                reason,
            )
        return False

    def _failure(self, stored: StoredEvent, found: str | None) -> str | None:
        if found is None:
            return "it has no seal"
        if not hmac.compare_digest(found, self._seal_of(stored)):
            return "its seal does not match it"
        return None

    # For `audit verify` and the one-time sealing of snapshots older than seals
    def bad_snapshots(self) -> Iterator[BadSnapshot]:
        """Every snapshot whose seal fails, in (aggregate, version) order, read page by page."""
        for stored, found in self._all():
            reason = self._failure(stored, found)
            if reason is not None:
                yield BadSnapshot(
                    aggregate_id=UUID(str(stored.originator_id)),
                    version=stored.originator_version,
                    topic=stored.topic,
                    reason=reason,
                )

    def count(self) -> int:
        with self.transaction(commit=False) as session:
            found = session.connection().execute(select(func.count()).select_from(self._snapshots))
            return int(found.scalar() or 0)

    def unsealed(self, limit: int, after: tuple[UUID, int] | None = None) -> list[StoredEvent]:
        """Snapshots without a seal, in (aggregate, version) order, after `after`."""
        rows = self._page(limit, after, unsealed_only=True)
        return [StoredEvent(r[0], r[1], r[2], bytes(r[3])) for r in rows]

    def seal_existing(self, stored: StoredEvent) -> None:
        """Seal a snapshot stored before seals, once proven; another process may do it too."""
        dialect = postgresql if self._dialect() == "postgresql" else sqlite
        statement = dialect.insert(SEALS).values(**self._seal_row(stored)).on_conflict_do_nothing()
        with self.transaction(commit=True) as session:
            session.connection().execute(statement)

    def _dialect(self) -> str:
        engine = self.datastore.engine
        assert engine is not None
        return str(engine.dialect.name)

    def _page(
        self, limit: int, after: tuple[Any, int] | None, unsealed_only: bool
    ) -> Sequence[Row[Any]]:
        """Snapshots (id, version, topic, state, seal) in (aggregate, version) order, after
        `after`: at most `limit`, only those without a seal if `unsealed_only`."""
        snapshots = self._snapshots
        key = (snapshots.c.originator_id, snapshots.c.originator_version)
        statement = select(*key, snapshots.c.topic, snapshots.c.state, SEALS.c.seal).select_from(
            self._joined()
        )
        if unsealed_only:
            statement = statement.where(SEALS.c.seal.is_(None))
        if after is not None:
            statement = statement.where(
                (key[0] > after[0]) | and_(key[0] == after[0], key[1] > after[1])
            )
        statement = statement.order_by(*key).limit(limit)
        with self.transaction(commit=False) as session:
            return session.connection().execute(statement).all()

    def _all(self) -> Iterator[tuple[StoredEvent, str | None]]:
        after: tuple[Any, int] | None = None
        while True:
            rows = self._page(PAGE_SIZE, after, unsealed_only=False)
            for r in rows:
                yield StoredEvent(r[0], r[1], r[2], bytes(r[3])), r[4]
            if len(rows) < PAGE_SIZE:
                return
            after = (rows[-1][0], rows[-1][1])
