"""The Merkle tree's verification: re-derive every leaf from its event, rebuild the tree.

As `verify` walks the log, each event's tree content hash is computed again
from the event and the salts beside its leaf, and must be the one stored, at
the next leaf index; the inner nodes the rebuilt tree completes must be the
stored ones. The root it ends with (and the root at a checkpoint's size, when
given) is computed from the events, never read from the tree's rows, so a
log rewritten in the database, its chain and tree recomputed, still shows
against a checkpoint signed before.
"""

from collections.abc import Callable, Iterator
from typing import Any

from application.audit.chain_verification import LogRow
from application.audit.event_record import content_fields, decode_state
from application.audit.merkle import EMPTY_ROOT, Frontier, leaf_hash
from application.audit.tree_content import tree_content_hash
from application.audit.verification_results import TreeBreak, TreeVerification

StoredNodes = Callable[[int], Iterator[tuple[int, str]]]
"""level → (index, hash hex) of the stored nodes of that level, in index order."""


class TreeWalk:
    """Fed the log in position order; stops checking at the first break."""

    def __init__(self, stored_nodes: StoredNodes, root_wanted_at: int | None = None) -> None:
        self.frontier = Frontier()
        self.stored_nodes = stored_nodes
        self._levels: dict[int, Iterator[tuple[int, str]]] = {}
        self.root_wanted_at = root_wanted_at
        self.root_at_wanted: bytes | None = EMPTY_ROOT if root_wanted_at == 0 else None
        self.broken: TreeBreak | None = None

    @property
    def done(self) -> bool:
        return self.broken is not None

    def add(self, row: LogRow, fields: dict[str, Any] | None = None) -> None:
        """Check the next row; `fields`, when given, are its content fields, decoded once by
        the caller for the chain too (this changes them)."""
        if self.broken is not None:
            return
        self.broken = self._check(row, fields)
        if self.frontier.size == self.root_wanted_at and self.broken is None:
            self.root_at_wanted = self.frontier.root()

    def _check(self, row: LogRow, fields: dict[str, Any] | None) -> TreeBreak | None:
        position = row.position
        if row.state is None or row.aggregate_id is None or row.version is None or not row.topic:
            if row.leaf_index is None:
                return None  # a chain row without its event: the chain's to report
            return TreeBreak(
                position=position, reason="removed", detail="a leaf whose event is gone"
            )
        if row.leaf_index is None or row.tree_content_hash is None:
            return TreeBreak(
                position=position, reason="missing", detail="an event the tree has no leaf for"
            )
        if row.leaf_index != self.frontier.size:
            return TreeBreak(
                position=position,
                reason="misplaced",
                detail=f"its leaf is number {row.leaf_index}, not {self.frontier.size}",
            )
        try:
            if fields is None:
                fields = content_fields(
                    row.aggregate_id, row.version, row.topic, decode_state(row.state)
                )
            derived: str | None = tree_content_hash(fields, row.personal_salts or {})
        except (ValueError, TypeError):  # not JSON any more, or salts for values it lacks
            derived = None
        if derived != row.tree_content_hash:
            return TreeBreak(
                position=position,
                reason="altered",
                detail="the event, or the salts beside its leaf, no longer give its leaf's hash",
            )
        for node, value in self.frontier.append(leaf_hash(bytes.fromhex(derived))):
            if self._next_stored(node.level) != (node.number, value.hex()):
                return TreeBreak(
                    position=position,
                    reason="node",
                    detail=f"the stored node {tuple(node)} is not what the leaves give",
                )
        return None

    def _next_stored(self, level: int) -> tuple[int, str] | None:
        if level not in self._levels:
            self._levels[level] = self.stored_nodes(level)
        return next(self._levels[level], None)

    def finish(self) -> TreeVerification:
        """The result; stored nodes beyond what the leaves complete are a break too."""
        if self.broken is None:
            for level in range(1, self.frontier.size.bit_length() + 1):
                extra = self._next_stored(level)
                if extra is not None:
                    self.broken = TreeBreak(
                        position=0,
                        reason="node",
                        detail=f"a stored node {(level, extra[0])} that no leaves complete",
                    )
                    break
        return TreeVerification(
            ok=self.broken is None,
            size=self.frontier.size,
            root=self.frontier.root().hex(),
            first_broken=self.broken,
        )
