"""The tree's rows as the log grows: built once for an older store, whoever starts first;
completed by the next writer after events an older process stored without leaves; leaf
indexes contiguous over positions the log skips."""

import subprocess
import sys
from datetime import date

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent
from sqlalchemy import delete, func, select

from api.bootstrap import build
from application.context import CommandContext
from application.organisation_commands import RegisterOrganisation
from infrastructure.audit_log_store import AuditLogStore
from infrastructure.merkle_store import MerkleTreeStore
from infrastructure.merkle_tree import LEAVES, NODES

FILIERES = [sys.executable, "-m", "api.cli.app"]
EVENTS = 137


def tree_rows(services) -> tuple[int, int]:
    engine = services.app.factory.datastore.engine
    with engine.connect() as connection:
        leaves = connection.execute(select(func.count()).select_from(LEAVES)).scalar()
        nodes = connection.execute(select(func.count()).select_from(NODES)).scalar()
    return int(leaves or 0), int(nodes or 0)


def forget_the_tree(services, from_leaf: int = 0) -> None:
    """What a store looks like before the tree (or after an older process's writes)."""
    engine = services.app.factory.datastore.engine
    with engine.begin() as connection:
        connection.execute(delete(LEAVES).where(LEAVES.c.leaf_index >= from_leaf))
        # Every node covering a forgotten leaf: its last leaf is at or after `from_leaf`.
        last_leaf = (NODES.c.node_index + 1) * func.power(2, NODES.c.level) - 1
        connection.execute(delete(NODES).where(last_leaf >= from_leaf))


def test_an_older_store_gets_its_tree_once_when_processes_start_together(demo_url):
    services = build(database_url=demo_url, follow_in_process=False)
    try:
        intact = tree_rows(services)
        root = MerkleTreeStore.of(services.app).head().root
        forget_the_tree(services)
        assert tree_rows(services) == (0, 0)
    finally:
        services.close()

    starts = [
        subprocess.Popen(
            [*FILIERES, "audit", "verify", "--database-url", demo_url],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [start.communicate(timeout=120)[0] for start in starts]

    assert [start.returncode for start in starts] == [0, 0], outputs
    services = build(database_url=demo_url, follow_in_process=False)
    try:
        assert tree_rows(services) == intact == (EVENTS, EVENTS - EVENTS.bit_count())
        # New salts, so another root; the same tree shape, and the log verifies with it.
        assert MerkleTreeStore.of(services.app).head().root != root
        assert AuditLogStore.of(services.app).verify().ok
    finally:
        services.close()


def test_the_next_writer_gives_leaves_to_events_stored_without_them(demo_services):
    forget_the_tree(demo_services, from_leaf=EVENTS - 3)
    assert tree_rows(demo_services)[0] == EVENTS - 3

    demo_services.app.register_organisation(
        CommandContext(actor="test"),
        RegisterOrganisation(name="Entreprise", kind="company", registered_on=date(2013, 1, 1)),
    )

    assert tree_rows(demo_services)[0] == EVENTS + 1
    result = AuditLogStore.of(demo_services.app).verify()
    assert result.ok and result.tree is not None and result.tree.size == EVENTS + 1


def test_leaves_stay_contiguous_over_positions_the_log_skips(demo_services):
    app = demo_services.app
    recorder = app.recorder
    first = recorder.select_notifications(start=1, limit=1)[0]
    duplicate = StoredEvent(first.originator_id, first.originator_version, first.topic, b"{}")
    with pytest.raises(IntegrityError):
        recorder.insert_events([duplicate])  # rolled back: PostgreSQL burns its position

    result = app.register_organisation(
        CommandContext(actor="test"),
        RegisterOrganisation(name="Entreprise", kind="company", registered_on=date(2013, 1, 1)),
    )

    proof = MerkleTreeStore.of(app).inclusion(result.position, EVENTS + 1)
    assert proof.leaf_index == EVENTS
    assert result.position >= EVENTS + 1
    assert AuditLogStore.of(app).verify().ok
