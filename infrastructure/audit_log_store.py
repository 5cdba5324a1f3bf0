"""The whole log merged with the integrity chain and the tree's leaves, read in pages for
`verify` and the export.

The events, chain and leaves tables are each read in position order, a page
at a time (keyset on the position, each page in its own short transaction, so
nothing stays open while a caller holds a row), and merged here: an event
without a chain row or a leaf, and a chain row or a leaf without an event,
all show. Memory stays that of one page of each, whatever the size of the log.
"""

from collections.abc import Callable, Iterator
from typing import Any, cast

from eventsourcing.application import Application
from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore
from eventsourcing_sqlalchemy.factory import SQLAlchemyFactory
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import (
    ColumnElement,
    LargeBinary,
    Row,
    Select,
    Table,
    Text,
    func,
    select,
    type_coerce,
)
from sqlalchemy import cast as sql_cast

from application.audit.chain_verification import ChainVerification, LogRow
from application.audit.checkpoint import Checkpoint, origin_of
from application.audit.event_record import (
    GENESIS_HASH,
    AuditEvent,
    audit_event,
    event_type,
)
from infrastructure.integrity_chain import CHAIN, PlainState
from infrastructure.merkle_tree import (
    LEAVES,
    NODES,
    MerkleTreeRows,
    decode_salts,
)
from infrastructure.sealed_snapshots import SealedSnapshotRecorder
from infrastructure.store_verification import verify_store

PAGE_SIZE = 1000


class AuditLogStore:
    """Reads of the events and chain tables, on the application's own datastore."""

    def __init__(
        self,
        datastore: SQLAlchemyDatastore,
        events: Table,
        page_size: int = PAGE_SIZE,
        plain_state: PlainState | None = None,
        snapshots: SealedSnapshotRecorder | None = None,
    ) -> None:
        self.datastore = datastore
        self.events = events
        self.page_size = page_size
        self.plain_state = plain_state or PlainState()
        self.snapshots = snapshots
        dialect = cast(Any, datastore.engine).dialect.name
        self._aggregate_id, self._id_text = _aggregate_id_as_text(events, dialect)

    @classmethod
    def of(cls, app: Application[Any], page_size: int = PAGE_SIZE) -> "AuditLogStore":
        """On the store of `app` (configured with the SQLAlchemy persistence module)."""
        datastore = cast(SQLAlchemyFactory, app.factory).datastore
        recorder = cast(SQLAlchemyApplicationRecorder, app.recorder)
        events = cast(Table, recorder.events_record_cls.__table__)
        snapshots = app.snapshots.recorder if app.snapshots is not None else None
        return cls(
            datastore,
            events,
            page_size,
            getattr(recorder, "plain_state", None),
            snapshots if isinstance(snapshots, SealedSnapshotRecorder) else None,
        )

    def verify(self, checkpoint: Checkpoint | None = None) -> ChainVerification:
        """Re-derive the chain and the tree over the log as it ends now (events appended
        meanwhile wait), check every snapshot's seal and, given a checkpoint whose signature
        the caller checked, that the log still holds its tree (`store_verification.py`)."""
        return verify_store(self, checkpoint)

    def node_page(self, level: int, after: int, limit: int) -> list[Row[Any]]:
        """(index, hash) of the stored nodes of one level after `after`, in index order."""
        statement = (
            select(NODES.c.node_index, NODES.c.hash)
            .where(NODES.c.level == level, NODES.c.node_index > after)
            .order_by(NODES.c.node_index)
            .limit(limit)
        )
        with self.datastore.transaction(commit=False) as session:
            return list(session.connection().execute(statement).all())

    def origin(self) -> str:
        with self.datastore.transaction(commit=False) as session:
            store_id = MerkleTreeRows.store_id(session.connection())
        return origin_of(store_id or "unknown")

    def audit_events(self) -> Iterator[AuditEvent]:
        """Every event in position order with its chain row's hashes, for the export.

        `previous_hash` is the chain hash of the chain row before, even one whose
        event is gone, so that an offline check finds the break where it is.
        """
        previous = GENESIS_HASH
        for row in self.rows(upto=self.end_position()):
            if row.state is None or row.aggregate_id is None:
                previous = row.chain_hash or previous
                continue
            yield _audit_event(row, previous if row.chain_hash is not None else None)
            previous = row.chain_hash or previous

    def end_position(self) -> int:
        """The last position of either table (0 for an empty store)."""
        statement = select(
            select(func.max(self.events.c.id)).scalar_subquery(),
            select(func.max(CHAIN.c.position)).scalar_subquery(),
            select(func.max(LEAVES.c.position)).scalar_subquery(),
        )
        with self.datastore.transaction(commit=False) as session:
            ends = session.connection().execute(statement).one()
        return max(end or 0 for end in ends)

    def content_position(self, content_hash: str) -> int | None:
        """Where the chain holds `content_hash` (a scan: asked once, when verify breaks)."""
        statement = (
            select(CHAIN.c.position)
            .where(CHAIN.c.content_hash == content_hash)
            .order_by(CHAIN.c.position)
            .limit(1)
        )
        with self.datastore.transaction(commit=False) as session:
            found: int | None = session.connection().execute(statement).scalar()
        return found

    def rows(self, upto: int | None = None) -> Iterator[LogRow]:
        """The log merged with the chain and the leaves, in position order, up to `upto`."""
        streams = [
            self._pages(page, upto)
            for page in (self._event_page, self._chain_page, self._leaf_page)
        ]
        heads = [next(stream, None) for stream in streams]
        text, plain = self._id_text, self.plain_state.or_as_stored
        while any(head is not None for head in heads):
            position = min(head[0] for head in heads if head is not None)
            event, link, leaf = (
                head if head is not None and head[0] == position else None for head in heads
            )
            for at, head in enumerate(heads):
                if head is not None and head[0] == position:
                    heads[at] = next(streams[at], None)
            yield LogRow(
                position,
                text(event[1]) if event else None,
                event[2] if event else None,
                event[3] if event else None,
                plain(event[4]) if event else None,
                link[1] if link else None,
                link[2] if link else None,
                leaf[1] if leaf else None,
                leaf[2] if leaf else None,
                decode_salts(leaf[3]) if leaf else None,
            )

    def _event_page(self, after: int | None) -> Select[Any]:
        c = self.events.c
        statement = select(c.id, self._aggregate_id, c.originator_version, c.topic, c.state)
        return statement.where(c.id > after) if after is not None else statement

    def _chain_page(self, after: int | None) -> Select[Any]:
        statement = select(CHAIN.c.position, CHAIN.c.content_hash, CHAIN.c.chain_hash)
        return statement.where(CHAIN.c.position > after) if after is not None else statement

    def _leaf_page(self, after: int | None) -> Select[Any]:
        c = LEAVES.c
        statement = select(c.position, c.leaf_index, c.tree_content_hash, c.personal_salts)
        return statement.where(c.position > after) if after is not None else statement

    def _pages(
        self, page: Callable[[int | None], Select[Any]], upto: int | None
    ) -> Iterator[Row[Any]]:
        """Rows of `page` in position order, one short transaction per page of `page_size`."""
        after: int | None = None
        while True:
            statement = page(after)
            key = statement.selected_columns[0]
            if upto is not None:
                statement = statement.where(key <= upto)
            statement = statement.order_by(key).limit(self.page_size)
            with self.datastore.transaction(commit=False) as session:
                rows = session.connection().execute(statement).all()
            yield from rows
            if len(rows) < self.page_size:
                return
            after = rows[-1][0]


def _audit_event(row: LogRow, previous_hash: str | None) -> AuditEvent:
    """The auditor's record of a row; an event tampered beyond reading still gets its line."""
    aggregate_id, version, topic = row.aggregate_id or "", row.version or 0, row.topic or ""
    hashes: dict[str, Any] = {
        "content_hash": row.content_hash,
        "previous_hash": previous_hash,
        "hash": row.chain_hash,
        "leaf_index": row.leaf_index,
        "tree_content_hash": row.tree_content_hash,
        "personal_salts": row.personal_salts,
    }
    state = row.state or b""
    try:
        return audit_event(row.position, aggregate_id, version, topic, state, **hashes)
    except (ValueError, TypeError):  # not a JSON object, or without the fields of an event
        return AuditEvent(
            position=row.position,
            aggregate_id=aggregate_id,
            aggregate_type=event_type(topic).partition(".")[0],
            version=version,
            type=event_type(topic),
            topic=topic,
            effective_on="",
            recorded_at="",
            recorded_by=None,
            correlation_id=None,
            causation_id=None,
            metadata=None,
            data={"unreadable_state": state.decode("utf-8", errors="replace")},
            **hashes,
        )


def _aggregate_id_as_text(
    events: Table, dialect: str
) -> tuple[ColumnElement[Any], Callable[[Any], str]]:
    """The originator id column read cheaply, and how to turn it into the hashed text.

    Decoding a UUID per row and printing it costs more than hashing the row:
    PostgreSQL prints it itself; SQLite's 16 bytes are printed from their hex.
    """
    column = events.c.originator_id
    if dialect == "postgresql":
        return sql_cast(column, Text), str
    if dialect == "sqlite":
        return type_coerce(column, LargeBinary), _uuid_text
    return column, str


def _uuid_text(raw: bytes) -> str:
    h = bytes(raw).hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
