"""The tree's answers on the application's store: its head, roots, inclusion and consistency.

Each reads the few stored nodes it needs (O(log n)) in one short transaction.
Sizes outside what the tree could hold are refused (422); a position the log
has no event at, or a tree larger than the log now is, is not found (404).
"""

from typing import Any, NamedTuple, cast

from eventsourcing.application import Application
from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore
from eventsourcing_sqlalchemy.factory import SQLAlchemyFactory

from application.audit.checkpoint import Checkpoint, origin_of
from application.audit.merkle import (
    EMPTY_ROOT,
    consistency_ranges,
    hashes_of,
    inclusion_ranges,
    leaf_hash,
    nodes_of,
)
from application.audit.proofs import ConsistencyProof, InclusionProof
from domain.errors import InvalidValueError, NotFoundError
from infrastructure.merkle_tree import MerkleTreeRows


class TreeHead(NamedTuple):
    size: int
    root: bytes


class MerkleTreeStore:
    def __init__(self, datastore: SQLAlchemyDatastore) -> None:
        self.datastore = datastore
        self.rows = MerkleTreeRows()

    @classmethod
    def of(cls, app: Application[Any]) -> "MerkleTreeStore":
        return cls(cast(SQLAlchemyFactory, app.factory).datastore)

    def head(self) -> TreeHead:
        """The tree over the whole log as it is now."""
        with self.datastore.transaction(commit=False) as session:
            connection = session.connection()
            size, _ = self.rows.end(connection)
            ranges = [(0, size)] if size else []
            root = hashes_of(ranges, self.rows.nodes(connection, nodes_of(ranges)))
        return TreeHead(size, root[0] if root else EMPTY_ROOT)

    def checkpoint(self) -> Checkpoint:
        """The current head under this store's origin, to be signed."""
        head = self.head()
        return Checkpoint(self.origin(), head.size, head.root)

    def origin(self) -> str:
        with self.datastore.transaction(commit=False) as session:
            store_id = self.rows.store_id(session.connection())
        if store_id is None:
            raise RuntimeError("the store has no id: its tables were created by older code")
        return origin_of(store_id)

    def inclusion(self, position: int, tree_size: int) -> InclusionProof:
        with self.datastore.transaction(commit=False) as session:
            connection = session.connection()
            size, _ = self.rows.end(connection)
            self._within(tree_size, size, "tree_size")
            leaf = self.rows.leaf_at(connection, position)
            if leaf is None:
                raise NotFoundError(f"position: the log has no event at position {position}")
            index, content = leaf
            if index >= tree_size:
                raise InvalidValueError(
                    f"tree_size: the event at position {position} is leaf {index}, not in a tree"
                    f" of {tree_size} leaves"
                )
            ranges = inclusion_ranges(index, tree_size)
            nodes = self.rows.nodes(connection, nodes_of([*ranges, (0, tree_size)]))
        path = hashes_of(ranges, nodes)
        return InclusionProof(
            position=position,
            leaf_index=index,
            tree_size=tree_size,
            tree_content_hash=content,
            leaf_hash=leaf_hash(bytes.fromhex(content)).hex(),
            audit_path=[h.hex() for h in path],
            root_hash=hashes_of([(0, tree_size)], nodes)[0].hex(),
        )

    def consistency(self, first: int, second: int) -> ConsistencyProof:
        if first > second:
            raise InvalidValueError(f"first: {first} is larger than second ({second})")
        with self.datastore.transaction(commit=False) as session:
            connection = session.connection()
            size, _ = self.rows.end(connection)
            self._within(second, size, "second")
            ranges = consistency_ranges(first, second)
            roots = [(0, first), (0, second)]
            nodes = self.rows.nodes(connection, nodes_of([*ranges, *roots]))
        first_root, second_root = hashes_of(roots, nodes)
        return ConsistencyProof(
            first=first,
            second=second,
            consistency_path=[h.hex() for h in hashes_of(ranges, nodes)],
            first_root=first_root.hex(),
            second_root=second_root.hex(),
        )

    @staticmethod
    def _within(requested: int, size: int, name: str) -> None:
        if requested < 1:
            raise InvalidValueError(f"{name}: a tree holds at least one leaf, not {requested}")
        if requested > size:
            raise NotFoundError(f"{name}: the log holds {size} events, not {requested}")
