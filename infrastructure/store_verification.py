"""`verify` over a store: the chain, the tree re-derived from the events, every snapshot's
seal (aggregates' and time travel's) and, when given, a checkpoint the log must still hold.

One walk through the log (`AuditLogStore.rows`) feeds both the chain's and
the tree's checks; each event's state is decoded once for the two. The tree
still checks the rest of the log after the chain's first break.
"""

import hashlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Engine, inspect

from application.audit.chain_verification import ChainVerification, LogRow, verify_chain
from application.audit.checkpoint import Checkpoint
from application.audit.event_record import canonical_json, content_fields, decode_state
from application.audit.tree_verification import TreeWalk
from application.audit.verification_results import (
    MAX_BAD_SNAPSHOTS,
    CheckpointVerification,
    SnapshotVerification,
    ViewSnapshotVerification,
)
from infrastructure.merkle_tree import stored_nodes_of_level
from infrastructure.sealed_snapshots import SealedSnapshotRecorder
from infrastructure.time_travel import view_snapshots

if TYPE_CHECKING:
    from infrastructure.audit_log_store import AuditLogStore


def verify_store(store: "AuditLogStore", checkpoint: Checkpoint | None = None) -> ChainVerification:
    def stored_nodes(level: int) -> Iterator[tuple[int, str]]:
        return stored_nodes_of_level(store.node_page, level, store.page_size)

    walk = TreeWalk(stored_nodes, checkpoint.size if checkpoint else None)
    rows = _feeding(store.rows(upto=store.end_position()), walk)
    chain = verify_chain(rows, store.content_position)
    if not walk.done:
        for _ in rows:  # the tree still checks the rest of the log
            pass
    tree = walk.finish()
    snapshots = verify_snapshots(store.snapshots) if store.snapshots is not None else None
    views = verify_view_snapshots(store) if store.snapshots is not None else None
    held = _check_checkpoint(checkpoint, walk, store.origin()) if checkpoint else None
    verdicts = (snapshots, views, held)
    ok = chain.ok and tree.ok and all(r.ok for r in verdicts if r is not None)
    return chain.model_copy(
        update={
            "ok": ok,
            "tree": tree,
            "snapshots": snapshots,
            "checkpoint": held,
            "view_snapshots": views,
        }
    )


def verify_snapshots(snapshots: SealedSnapshotRecorder) -> SnapshotVerification:
    bad = list(snapshots.bad_snapshots())
    return SnapshotVerification(
        ok=not bad, checked=snapshots.count(), bad_count=len(bad), bad=bad[:MAX_BAD_SNAPSHOTS]
    )


def verify_view_snapshots(store: "AuditLogStore") -> ViewSnapshotVerification | None:
    """Each time-travel snapshot's seal, under the key that seals the aggregates' snapshots."""
    assert store.snapshots is not None
    engine = cast(Engine, store.datastore.engine)
    if not inspect(engine).has_table(view_snapshots.SNAPSHOTS.name):
        return None
    with engine.connect() as connection:
        checked = view_snapshots.count(connection)
        bad = list(view_snapshots.bad_snapshots(connection, store.snapshots.seal_key))
    return ViewSnapshotVerification(
        ok=not bad, checked=checked, bad_count=len(bad), bad=bad[:MAX_BAD_SNAPSHOTS]
    )


def _check_checkpoint(
    checkpoint: Checkpoint, walk: TreeWalk, origin: str
) -> CheckpointVerification:
    size = checkpoint.size
    if checkpoint.origin != origin:
        detail = f"the checkpoint is of another log ({checkpoint.origin}); this one is {origin}"
    elif walk.root_at_wanted is not None:
        if walk.root_at_wanted == checkpoint.root:
            detail = f"the log still holds the {size} events the checkpoint signed"
        else:
            detail = (
                f"the first {size} events are not those the checkpoint signed: the log"
                " was rewritten (its root at that size differs)"
            )
    elif walk.broken is not None and walk.frontier.size < size:
        detail = (
            f"the tree breaks at position {walk.broken.position} before the checkpoint's"
            f" {size} events, which cannot be confirmed"
        )
    else:
        detail = (
            f"the log holds {walk.frontier.size} events, the checkpoint signed {size}:"
            " events were removed"
        )
    return CheckpointVerification(
        ok=walk.root_at_wanted == checkpoint.root and checkpoint.origin == origin,
        origin=checkpoint.origin,
        size=size,
        root=checkpoint.root.hex(),
        detail=detail,
    )


def _feeding(rows: Iterator[LogRow], walk: TreeWalk) -> Iterator[LogRow]:
    """`rows`, each also given to the tree's walk as it passes; each event's state is decoded
    once for both (the chain's content hash computed here, before the tree salts a copy)."""
    for row in rows:
        fields: dict[str, Any] | None = None
        if row.state is not None and row.aggregate_id is not None and row.version is not None:
            derived: str | None = None
            try:
                fields = content_fields(
                    row.aggregate_id, row.version, str(row.topic), decode_state(row.state)
                )
                derived = hashlib.sha256(canonical_json(fields)).hexdigest()
            except (ValueError, TypeError):  # not JSON any more, or not a JSON object
                fields = None
            row = row._replace(derived=True, derived_content_hash=derived)
        walk.add(row, fields)
        yield row
