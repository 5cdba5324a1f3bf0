"""The integrity chain: one row per stored event, written in the event's own transaction.

Each row holds the hash of the event's canonical content and the chain hash
over it and the previous row's chain hash, in log order. The recorder writes
it after inserting the events, while it holds the lock that orders the log
(PostgreSQL's table lock, SQLite's write lock), so the previous row read is
the one committed just before, whichever process wrote it.
"""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, Cipher, Compressor, StoredEvent
from eventsourcing_sqlalchemy.factory import SQLAlchemyFactory
from eventsourcing_sqlalchemy.recorders import (
    SQLAlchemyAggregateRecorder,
    SQLAlchemyApplicationRecorder,
)
from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    insert,
    select,
)
from sqlalchemy.orm import Session

from application.audit.event_record import GENESIS_HASH, chain_hash, content_hash
from infrastructure.schema import create_tables

CHAIN = Table(
    "filieres_event_chain",
    MetaData(),
    Column(
        "position",
        BigInteger().with_variant(Integer(), "sqlite"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("content_hash", String(64), nullable=False),
    Column("chain_hash", String(64), nullable=False),
)

_LAST_HASH = select(CHAIN.c.chain_hash).order_by(CHAIN.c.position.desc()).limit(1)


class PlainState:
    """A stored state as the mapper wrote it before any cipher or compressor: the JSON hashed.

    The chain covers the event's content, not its encoding: a store may be
    compressed or encrypted (the library's COMPRESSOR_TOPIC, CIPHER_TOPIC).
    """

    def __init__(self, cipher: Cipher | None = None, compressor: Compressor | None = None) -> None:
        self.cipher = cipher
        self.compressor = compressor

    def __call__(self, state: bytes) -> bytes:
        if self.cipher:
            state = self.cipher.decrypt(state)
        if self.compressor:
            state = self.compressor.decompress(state)
        return state

    def or_as_stored(self, state: bytes) -> bytes:
        """For readers of a log that may have been tampered with: what cannot be unwrapped
        is returned as stored, and its hash will not match."""
        if not (self.cipher or self.compressor):
            return state
        try:
            return self(bytes(state))
        except Exception:  # any failure means altered bytes, which verify names
            return state


class ChainedApplicationRecorder(SQLAlchemyApplicationRecorder):
    """The library's recorder, plus the chain row of each event it inserts."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tables.append(CHAIN)
        self.plain_state = PlainState()
        """Set by the factory when the store compresses or encrypts events."""
        events = self.events_record_cls.__table__
        self._last_version = (
            select(events.c.originator_version)
            .where(events.c.originator_id == bindparam("b_originator"))
            .order_by(events.c.originator_version.desc())
            .limit(1)
        )

    def last_version(self, originator_id: UUID) -> int | None:
        """The version of an aggregate's last event: the library's `select_events` builds an
        ORM query and loads the event's state, three times the cost of an ETag."""
        with self.transaction(commit=False) as session:
            found = session.connection().execute(
                self._last_version, {"b_originator": originator_id}
            )
            version = found.scalar()
        return None if version is None else int(version)

    def create_table(self) -> None:
        assert isinstance(self.datastore.engine, Engine)
        create_tables(self.datastore.engine, self.tables)

    def _insert_stored_events(
        self, session: Session, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int]:
        positions = super()._insert_stored_events(session, stored_events, **kwargs)
        if not stored_events:
            return positions
        connection = session.connection()
        previous = connection.execute(_LAST_HASH).scalar() or GENESIS_HASH
        rows = []
        for position, stored in zip(positions, stored_events, strict=True):
            content = content_hash(
                stored.originator_id,
                stored.originator_version,
                stored.topic,
                self.plain_state(stored.state),
            )
            previous = chain_hash(previous, content)
            rows.append({"position": position, "content_hash": content, "chain_hash": previous})
        connection.execute(insert(CHAIN), rows)
        return positions


class SnapshotRecorder(SQLAlchemyAggregateRecorder):
    """The library's recorder of the snapshot table, created as the events table is: the
    library checks then creates, which fails when processes start together on a new store."""

    def create_table(self) -> None:
        assert isinstance(self.datastore.engine, Engine)
        create_tables(self.datastore.engine, self.tables)


class ChainedSQLAlchemyFactory(SQLAlchemyFactory):
    """The library's SQLAlchemy factory with the chained application recorder."""

    application_recorder_class = ChainedApplicationRecorder
    aggregate_recorder_class = SnapshotRecorder

    def application_recorder(self) -> ApplicationRecorder:
        recorder = super().application_recorder()
        assert isinstance(recorder, ChainedApplicationRecorder)
        recorder.plain_state = PlainState(self.cipher(), self.compressor())
        return recorder
