"""The generator batches commands into transactions yet writes what the commands write."""

import re
from typing import Any

import orjson
import pytest

from application.filieres_app import FilieresApplication
from bench.batched_recording import BatchedFilieresApplication
from bench.generate import StoreNotEmptyError, generate_history
from bench.synthetic_history import record_synthetic_history
from infrastructure.audit_log_store import AuditLogStore
from infrastructure.persistence import event_store_env
from tests.conftest import new_postgres_database

EVENTS = 2500
SEED = 7
UUID_TEXT = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def logged(app: FilieresApplication) -> list[tuple[Any, ...]]:
    """Each event as stored, with ids renamed in order of appearance and the clock left out.

    Aggregate ids and recording times come from the library and differ between runs;
    everything else must be the same.
    """
    names: dict[bytes, int] = {}

    def rename(text: bytes) -> bytes:
        return re.sub(UUID_TEXT, lambda m: b"id%d" % names.setdefault(m[0], len(names)), text)

    rows = []
    for notification in app.recorder.select_notifications(start=1, limit=EVENTS + 1):
        state = orjson.loads(notification.state)
        state.pop("timestamp")
        rows.append(
            (
                notification.id,
                rename(str(notification.originator_id).encode()),
                notification.originator_version,
                notification.topic,
                rename(orjson.dumps(state, option=orjson.OPT_SORT_KEYS)),
            )
        )
    return rows


def one_command_at_a_time(database_url: str) -> list[tuple[Any, ...]]:
    app = FilieresApplication(event_store_env(database_url))
    try:
        record_synthetic_history(app, EVENTS, SEED)
        return logged(app)
    finally:
        app.close()


@pytest.mark.reliability  # over ten seconds: `make reliability`
def test_batched_commands_write_the_same_events_and_a_sound_chain(database_url, tmp_path):
    # Small batches: many flushes, and reversals that must read a decision just written.
    app = BatchedFilieresApplication(event_store_env(database_url), batch_events=97)
    try:
        record_synthetic_history(app, EVENTS, SEED)
        app.flush()
        batched = logged(app)
        assert len(batched) == EVENTS
        assert any(b'"reverses":' in row[4] and b'"reverses":null' not in row[4] for row in batched)
        verification = AuditLogStore.of(app).verify()
        assert verification.ok and verification.events_checked == EVENTS
    finally:
        app.close()

    reference = one_command_at_a_time(f"sqlite:///{tmp_path / 'reference.db'}")
    assert batched == reference


@pytest.mark.postgres
def test_the_generator_fills_an_empty_postgres_store_and_refuses_a_full_one(postgres_admin_url):
    with new_postgres_database(postgres_admin_url) as url:
        generated = generate_history(url, 1200, seed=3)
        assert generated.events == 1200
        app = FilieresApplication(event_store_env(url))
        try:
            assert app.event_count() == 1200
            assert AuditLogStore.of(app).verify().ok
        finally:
            app.close()
        with pytest.raises(StoreNotEmptyError):
            generate_history(url, 1200)
