"""The integrity chain and the Merkle tree: rows per stored event, in the event's transaction.

Each chain row holds the hash of the event's canonical content and the chain
hash over it and the previous row's chain hash, in log order; the tree adds
the event's leaf and the subtree roots it completes (`merkle_tree.py`). The
recorder writes both after inserting the events, while it holds the lock
that orders the log (PostgreSQL's table lock, SQLite's write lock), so the
previous rows read are those committed just before, whichever process wrote
them.
"""

import hashlib
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    AggregateRecorder,
    ApplicationRecorder,
    Cipher,
    Compressor,
    StoredEvent,
)
from eventsourcing_sqlalchemy.factory import SQLAlchemyFactory
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    String,
    Table,
    bindparam,
    false,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from application.audit.event_record import (
    GENESIS_HASH,
    canonical_json,
    chain_hash,
    content_fields,
    decode_state,
)
from infrastructure.merkle_tree import LEAVES, MerkleTreeRows, NewLeaf, ensure_store_id, new_leaf
from infrastructure.merkle_tree import TABLES as TREE_TABLES
from infrastructure.schema import create_tables, position_key
from infrastructure.sealed_snapshots import SealedSnapshotRecorder
from infrastructure.secret_key import secret_key

SECRET_KEY_FILE = "FILIERES_SECRET_KEY_FILE"
SIGNING_KEY_FILE = "FILIERES_SIGNING_KEY_FILE"
"""The settings' variables, read from the application's environment (os.environ included)."""

CHAIN = Table(
    "filieres_event_chain",
    MetaData(),
    position_key("position"),
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


TREE_BATCH = 5000
"""Events given their leaves per transaction when a store's tree catches up at start."""


class ChainedApplicationRecorder(SQLAlchemyApplicationRecorder):
    """The library's recorder, plus the chain row and the tree leaf of each event it inserts."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tables += [CHAIN, *TREE_TABLES]
        self.tree = MerkleTreeRows(self._event_rows)
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
        with self.transaction(commit=True) as session:
            ensure_store_id(session.connection())
        self.catch_up_tree()

    def catch_up_tree(self, batch: int = TREE_BATCH) -> None:
        """Give a leaf to every event without one: once for a store older than the tree.

        Each batch holds the log's lock and starts from the tree's end as it
        finds it, so processes starting together share the work. A tree that
        already reaches the log's end is seen without taking the lock.
        """
        if self._tree_complete():
            return
        while True:
            with self.transaction(commit=True) as session:
                self._lock_log(session)
                added = self.tree.catch_up_batch(session.connection(), batch)
            if added < batch:
                return

    def _tree_complete(self) -> bool:
        events = self.events_record_cls.__table__
        with self.transaction(commit=False) as session:
            connection = session.connection()
            _, last_leaf = self.tree.end(connection)
            later = connection.execute(
                select(events.c.id).where(events.c.id > last_leaf).limit(1)
            ).first()
        return later is None

    def _lock_log(self, session: Session) -> None:
        """The lock writers hold: PostgreSQL's table lock; SQLite's write lock, which the
        first write of a transaction takes (the library takes none on SQLite itself)."""
        if session.connection().dialect.name == "postgresql":
            self._lock_table(session)
        else:
            session.connection().execute(
                update(LEAVES).where(false()).values(leaf_index=LEAVES.c.leaf_index)
            )

    def _event_rows(
        self, connection: Connection, after: int, before: int | None, limit: int | None
    ) -> list[tuple[int, str, int, str, bytes]]:
        """Events after position `after` (and before `before`), their state unwrapped."""
        events = self.events_record_cls.__table__
        statement = select(
            events.c.id,
            events.c.originator_id,
            events.c.originator_version,
            events.c.topic,
            events.c.state,
        ).where(events.c.id > after)
        if before is not None:
            statement = statement.where(events.c.id < before)
        statement = statement.order_by(events.c.id)
        if limit is not None:
            statement = statement.limit(limit)
        return [
            (int(row[0]), str(row[1]), int(row[2]), str(row[3]), self.plain_state(bytes(row[4])))
            for row in connection.execute(statement)
        ]

    def _insert_stored_events(
        self, session: Session, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int]:
        positions = super()._insert_stored_events(session, stored_events, **kwargs)
        if not stored_events:
            return positions
        connection = session.connection()
        previous = connection.execute(_LAST_HASH).scalar() or GENESIS_HASH
        rows = []
        leaves: list[NewLeaf] = []
        for position, stored in zip(positions, stored_events, strict=True):
            fields = content_fields(
                stored.originator_id,
                stored.originator_version,
                stored.topic,
                decode_state(self.plain_state(stored.state)),
            )
            content = hashlib.sha256(canonical_json(fields)).hexdigest()
            previous = chain_hash(previous, content)
            rows.append({"position": position, "content_hash": content, "chain_hash": previous})
            leaves.append(new_leaf(position, fields))
        connection.execute(insert(CHAIN), rows)
        self.tree.append(connection, leaves)
        return positions


class ChainedSQLAlchemyFactory(SQLAlchemyFactory):
    """The library's SQLAlchemy factory with the chained application recorder and sealed
    snapshots."""

    application_recorder_class = ChainedApplicationRecorder
    aggregate_recorder_class = SealedSnapshotRecorder

    def application_recorder(self) -> ApplicationRecorder:
        # As the library's, but the recorder knows how to unwrap states before its tables are
        # created: creating them catches the tree up, which reads events.
        recorder = self.application_recorder_class(
            datastore=self.datastore,
            events_table_name=(self.env.name.lower() or "stored") + "_events",
            schema_name=self._schema_name,
        )
        assert isinstance(recorder, ChainedApplicationRecorder)
        recorder.plain_state = PlainState(self.cipher(), self.compressor())
        if self.env_create_table() and recorder.datastore.engine is not None:
            recorder.create_table()
        return recorder

    def aggregate_recorder(self, purpose: str = "events") -> AggregateRecorder:
        recorder = super().aggregate_recorder(purpose)
        if isinstance(recorder, SealedSnapshotRecorder):
            recorder.seal_key = secret_key(
                dict.get(self.env, SECRET_KEY_FILE),
                dict.get(self.env, SIGNING_KEY_FILE),
                str(self.env.get(self.SQLALCHEMY_URL) or ""),
            )
        return recorder
