"""The Merkle tree's rows: one leaf per event, and the roots of its complete subtrees.

`filieres_merkle_leaves` maps each event's position to its leaf index (the
log may skip positions: a transaction rolled back on PostgreSQL burns its
sequence numbers) and holds its tree content hash and the salts of its
personal values. `filieres_merkle_nodes` holds every complete subtree's root
above the leaves, level by level: about one per event. Both are written in
the event's own transaction, under the lock that orders the log, like the
chain; the root at any size and each proof then read O(log n) rows.

Events stored without leaves (a store older than the tree, or written by an
older process) get them at start (`catch_up`), in batches under the same
lock, or from the next writer, which first adds any it finds before its own.
"""

import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import (
    Column,
    Connection,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    and_,
    insert,
    or_,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite

from application.audit.event_record import content_fields, decode_state
from application.audit.merkle import Frontier, Node, leaf_hash
from application.audit.tree_content import salt_personal_values
from infrastructure.schema import POSITION, position_key

_metadata = MetaData()

LEAVES = Table(
    "filieres_merkle_leaves",
    _metadata,
    position_key("leaf_index"),
    Column("position", POSITION, nullable=False, unique=True),
    Column("tree_content_hash", String(64), nullable=False),
    # JSON: the JSON Pointer of each personal value → its salt (hex); null when none.
    Column("personal_salts", Text, nullable=True),
)
NODES = Table(
    "filieres_merkle_nodes",
    _metadata,
    Column("level", SmallInteger, primary_key=True, autoincrement=False),
    position_key("node_index"),
    Column("hash", String(64), nullable=False),
)
IDENTITY = Table(
    "filieres_log_identity",
    _metadata,
    Column("singleton", Integer, primary_key=True, autoincrement=False),
    Column("store_id", String(36), nullable=False),
)
"""One row: the store's id, drawn when its tables are created, named by its checkpoints."""
TABLES = (LEAVES, NODES, IDENTITY)

_LAST_LEAF = (
    select(LEAVES.c.leaf_index, LEAVES.c.position, LEAVES.c.tree_content_hash)
    .order_by(LEAVES.c.leaf_index.desc())
    .limit(1)
)


@dataclass(frozen=True)
class _TreeEnd:
    """Where the tree ends: enough to tell whether a frontier kept in memory is still its own."""

    size: int
    position: int
    last_leaf: str | None


@dataclass(frozen=True)
class NewLeaf:
    position: int
    tree_content_hash: str
    salts: dict[str, str]


def new_leaf(position: int, content: dict[str, Any]) -> NewLeaf:
    """The leaf of an event from its content fields (which this changes)."""
    salts, tree_hash = salt_personal_values(content)
    return NewLeaf(position, tree_hash, salts)


def encode_salts(salts: dict[str, str]) -> str | None:
    return orjson.dumps(salts, option=orjson.OPT_SORT_KEYS).decode() if salts else None


def decode_salts(text: str | None) -> dict[str, str]:
    decoded: dict[str, str] = orjson.loads(text) if text else {}
    return decoded


EventRows = Callable[[Connection, int, int | None, int | None], Sequence[Any]]
"""(connection, after position, before position, limit) → event rows (id, originator id,
version, topic, plain state) in position order: what the tree reads of events it lacks."""


def _no_events(*_: Any) -> list[Any]:
    raise RuntimeError("a reader of the tree does not append to it")


class MerkleTreeRows:
    """Appends to the tree and reads its nodes, through the caller's connection."""

    def __init__(self, event_rows: EventRows | None = None) -> None:
        self.event_rows = event_rows or _no_events
        self._kept: tuple[_TreeEnd, tuple[bytes, ...]] | None = None
        """The frontier this process last wrote, with the end it made: reused while the
        tree still ends there (another writer, or a rollback, changes the end)."""

    # Writing (the caller holds the lock that orders the log)
    def append(self, connection: Connection, leaves: Sequence[NewLeaf]) -> None:
        """Add `leaves` (the events just inserted), after any earlier event without a leaf."""
        end = self._end(connection)
        if leaves and leaves[0].position != end.position + 1:
            # Positions may skip (a rolled-back transaction) or an older writer left events
            # without leaves: those come first.
            before = self.event_rows(connection, end.position, leaves[0].position, None)
            leaves = [*self._leaves_of(before), *leaves]
        self._write(connection, end, leaves)

    def catch_up_batch(self, connection: Connection, limit: int) -> int:
        """Add leaves for up to `limit` events that have none; how many it added."""
        end = self._end(connection)
        rows = self.event_rows(connection, end.position, None, limit)
        self._write(connection, end, self._leaves_of(rows))
        return len(rows)

    def _leaves_of(self, rows: Iterable[Any]) -> list[NewLeaf]:
        return [
            new_leaf(
                position, content_fields(str(aggregate_id), version, topic, decode_state(state))
            )
            for position, aggregate_id, version, topic, state in rows
        ]

    def _write(self, connection: Connection, end: _TreeEnd, leaves: Sequence[NewLeaf]) -> None:
        if not leaves:
            return
        size = end.size
        kept = self._kept
        if kept is not None and kept[0] == end:
            frontier = Frontier(size, kept[1])
        else:
            frontier = self.frontier(connection, size)
        leaf_rows, node_rows = [], []
        for index, leaf in enumerate(leaves, start=size):
            leaf_rows.append(
                {
                    "leaf_index": index,
                    "position": leaf.position,
                    "tree_content_hash": leaf.tree_content_hash,
                    "personal_salts": encode_salts(leaf.salts),
                }
            )
            completed = frontier.append(leaf_hash(bytes.fromhex(leaf.tree_content_hash)))
            node_rows += [
                {"level": node.level, "node_index": node.number, "hash": value.hex()}
                for node, value in completed
            ]
        connection.execute(insert(LEAVES), leaf_rows)
        if node_rows:
            connection.execute(insert(NODES), node_rows)
        last = leaves[-1]
        self._kept = (
            _TreeEnd(frontier.size, last.position, last.tree_content_hash),
            tuple(frontier.hashes),
        )

    # Reading
    def end(self, connection: Connection) -> tuple[int, int]:
        """The tree's size and the position of its last leaf (0, 0 when empty)."""
        end = self._end(connection)
        return end.size, end.position

    def _end(self, connection: Connection) -> _TreeEnd:
        last = connection.execute(_LAST_LEAF).first()
        if last is None:
            return _TreeEnd(0, 0, None)
        return _TreeEnd(int(last[0]) + 1, int(last[1]), str(last[2]))

    def frontier(self, connection: Connection, size: int) -> Frontier:
        nodes = Frontier.nodes(size)
        found = self.nodes(connection, nodes)
        return Frontier(size, [found[node] for node in nodes])

    def nodes(self, connection: Connection, wanted: Iterable[Node]) -> dict[Node, bytes]:
        """The hashes of stored nodes (level 0: the leaves' hashes); KeyError for a missing one."""
        wanted = set(wanted)
        leaves = [node.number for node in wanted if node.level == 0]
        inner = [(node.level, node.number) for node in wanted if node.level > 0]
        found: dict[Node, bytes] = {}
        if leaves:
            rows = connection.execute(
                select(LEAVES.c.leaf_index, LEAVES.c.tree_content_hash).where(
                    LEAVES.c.leaf_index.in_(leaves)
                )
            )
            found.update(
                (Node(0, int(index)), leaf_hash(bytes.fromhex(content))) for index, content in rows
            )
        if inner:
            rows = connection.execute(
                # One equality pair per node, not (level, node_index) IN (...): SQLite scans the
                # whole table for a row-value IN, and a proof on 1,000,000 events took 120 ms.
                select(NODES.c.level, NODES.c.node_index, NODES.c.hash).where(
                    or_(*(and_(NODES.c.level == lv, NODES.c.node_index == ix) for lv, ix in inner))
                )
            )
            found.update(
                (Node(int(level), int(index)), bytes.fromhex(h)) for level, index, h in rows
            )
        missing = wanted - found.keys()
        if missing:
            raise KeyError(f"the tree's rows lack the nodes {sorted(missing)[:5]}")
        return found

    @staticmethod
    def store_id(connection: Connection) -> str | None:
        found = connection.execute(select(IDENTITY.c.store_id)).scalar()
        return None if found is None else str(found)

    def leaf_at(self, connection: Connection, position: int) -> tuple[int, str] | None:
        """The leaf index and tree content hash of the event at `position`, if it has one."""
        found = connection.execute(
            select(LEAVES.c.leaf_index, LEAVES.c.tree_content_hash).where(
                LEAVES.c.position == position
            )
        ).first()
        return None if found is None else (int(found[0]), str(found[1]))


def ensure_store_id(connection: Connection) -> None:
    """Draw the store's id once; a process that loses the race keeps the winner's."""
    if connection.execute(select(IDENTITY.c.store_id)).first() is not None:
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    connection.execute(
        dialect.insert(IDENTITY)
        .values(singleton=1, store_id=str(uuid.uuid4()))
        .on_conflict_do_nothing()
    )


def stored_nodes_of_level(
    read: Callable[[int, int, int], Sequence[Any]], level: int, page_size: int
) -> Iterator[tuple[int, str]]:
    """(index, hash hex) of the stored nodes of one level in index order, read page by page
    through `read(level, after index, limit)`."""
    after = -1
    while True:
        rows = read(level, after, page_size)
        for index, value in rows:
            yield int(index), str(value)
        if len(rows) < page_size:
            return
        after = int(rows[-1][0])
