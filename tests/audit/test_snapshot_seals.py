"""Nothing outside the chain decides: a snapshot forged in the database is never used.

The attack of issue 21: a voting seat for "Mallory Forged" added by SQL to the
bureau's snapshot made the application accept Mallory's decision, and
`audit verify` said OK. Snapshots are now sealed with a secret held outside
the database; a forged one fails its seal, the bureau loads from its events,
the decision is refused and `verify` names the snapshot.
"""

import os
import stat
from datetime import date
from pathlib import Path

import orjson
import pytest
from sqlalchemy import delete, update
from typer.testing import CliRunner

from api.bootstrap import build
from api.cli.app import app as cli
from application.context import CommandContext
from application.filiere_commands import LaunchFiliere
from application.filieres_app import FilieresApplication
from domain.errors import NotAVotingMemberError
from domain.governing_body import GoverningBody
from infrastructure.audit_log_store import AuditLogStore
from infrastructure.persistence import event_store_env
from infrastructure.sealed_snapshots import SEALS
from infrastructure.secret_key import SECRET_FILE_SUFFIX, SecretKeyError, secret_key
from infrastructure.signing import create_key_files
from tests.application.test_snapshots import INTERVAL, hold_meetings, snapshot_table
from tests.world import FOUNDED, make_world

runner = CliRunner()
MALLORY = "Mallory Forged"


def bureau_at_its_snapshot(app: FilieresApplication, ctx: CommandContext):
    world = make_world(app, ctx)
    hold_meetings(app, ctx, world.bureau, INTERVAL - 4)  # the bureau had 4 events: now 100
    assert app.snapshots is not None
    assert [s.originator_version for s in app.snapshots.get(world.bureau)] == [INTERVAL]
    return world


def forge_mallorys_seat(app: FilieresApplication, bureau) -> None:
    """What the intruder did: a voting seat added to the bureau's snapshot row by SQL."""
    table = snapshot_table(app)
    engine = app.factory.datastore.engine  # type: ignore[attr-defined]
    with engine.begin() as connection:
        state = (
            connection.execute(table.select().where(table.c.originator_id == bureau)).one().state
        )
        snapshot = orjson.loads(state)
        seat = dict(snapshot["state"]["seats"][0], person=MALLORY)
        snapshot["state"]["seats"].append(seat)
        connection.execute(
            update(table)
            .where(table.c.originator_id == bureau)
            .values(state=orjson.dumps(snapshot))
        )


def test_a_decision_by_a_seat_forged_in_a_snapshot_is_refused_and_verify_names_it(
    database_url, ctx, caplog
):
    app = FilieresApplication(event_store_env(database_url))
    try:
        world = bureau_at_its_snapshot(app, ctx)
        forge_mallorys_seat(app, world.bureau)
        events_before = app.event_count()

        with pytest.raises(NotAVotingMemberError):
            app.launch_filiere(
                ctx,
                LaunchFiliere(
                    name="Filière de Mallory",
                    kind="filiere",
                    lead_partner_id=world.partner_a,
                    decision=world.decision(date(2012, 3, 1), by=(MALLORY,)),
                ),
            )

        assert app.event_count() == events_before
        assert not app.load(GoverningBody, world.bureau).is_voting_member(MALLORY, FOUNDED)
        assert "ignored (its seal does not match it)" in caplog.text
        result = AuditLogStore.of(app).verify()
        assert result.first_broken is None and result.tree is not None and result.tree.ok
        assert not result.ok and result.snapshots is not None
        assert result.snapshots.checked == 1 and result.snapshots.bad_count == 1
        assert result.snapshots.bad[0].aggregate_id == world.bureau
    finally:
        app.close()

    verified = runner.invoke(
        cli, ["audit", "verify", "--database-url", database_url], env={"COLUMNS": "300"}
    )
    assert verified.exit_code == 1, verified.output
    assert f"snapshot of {world.bureau} at version {INTERVAL}" in verified.output
    assert "seal does not match" in verified.output


def test_snapshots_stored_before_seals_are_sealed_once_proven_and_a_forged_one_never(
    database_url, ctx
):
    app = FilieresApplication(event_store_env(database_url))
    try:
        world = bureau_at_its_snapshot(app, ctx)
        forge_mallorys_seat(app, world.bureau)
        engine = app.factory.datastore.engine  # type: ignore[attr-defined]
        with engine.begin() as connection:
            connection.execute(delete(SEALS))  # a store from before seals
    finally:
        app.close()

    # The forged seat, from before seals: refused at start, still named by verify.
    restarted = FilieresApplication(event_store_env(database_url))
    try:
        assert not restarted.load(GoverningBody, world.bureau).is_voting_member(MALLORY, FOUNDED)
        result = AuditLogStore.of(restarted).verify()
        assert result.snapshots is not None and result.snapshots.bad_count == 1
        assert result.snapshots.bad[0].reason == "it has no seal"
    finally:
        restarted.close()

    # Undo the forgery (as an administrator would, from a backup): the snapshot is the one
    # its events give, so the next start proves and seals it.
    app = FilieresApplication(event_store_env(database_url))
    try:
        table = snapshot_table(app)
        engine = app.factory.datastore.engine  # type: ignore[attr-defined]
        with engine.begin() as connection:
            state = connection.execute(table.select()).one().state
            snapshot = orjson.loads(state)
            snapshot["state"]["seats"] = [
                s for s in snapshot["state"]["seats"] if s["person"] != MALLORY
            ]
            connection.execute(update(table).values(state=orjson.dumps(snapshot)))
    finally:
        app.close()
    healed = FilieresApplication(event_store_env(database_url))
    try:
        result = AuditLogStore.of(healed).verify()
        assert result.ok, result
        assert result.snapshots is not None and result.snapshots.checked == 1
    finally:
        healed.close()


def test_the_secret_is_made_beside_a_sqlite_store_readable_by_its_owner_only(tmp_path, monkeypatch):
    monkeypatch.delenv("FILIERES_SECRET_KEY_FILE", raising=False)
    monkeypatch.delenv("FILIERES_SIGNING_KEY_FILE", raising=False)
    store = tmp_path / "filieres.db"
    services = build(database_url=f"sqlite:///{store}", follow_in_process=False)
    services.close()

    beside = Path(str(store) + SECRET_FILE_SUFFIX)
    assert beside.exists()
    assert stat.S_IMODE(beside.stat().st_mode) == 0o600
    first = secret_key(None, None, f"sqlite:///{store}")
    assert first == secret_key(None, None, f"sqlite:///{store}") and len(first) == 32


def test_the_secret_comes_from_its_file_or_the_signing_key_and_postgresql_needs_one(tmp_path):
    named = tmp_path / "secret" / "key"
    made = secret_key(named, None, "postgresql://db")
    assert stat.S_IMODE(named.stat().st_mode) == 0o600
    assert secret_key(named, tmp_path / "ignored.pem", "sqlite://") == made

    keys = create_key_files(tmp_path / "keys")
    derived = secret_key(None, keys.private, "postgresql://db")
    assert derived == secret_key(None, keys.private, "sqlite:///elsewhere.db") != made

    with pytest.raises(SecretKeyError, match="FILIERES_SECRET_KEY_FILE"):
        secret_key(None, None, "postgresql+psycopg://postgres@127.0.0.1/x")
    (tmp_path / "short").write_text("abcd")
    with pytest.raises(SecretKeyError, match="at least 32 bytes"):
        secret_key(tmp_path / "short", None, "sqlite://")
    assert os.environ.get("FILIERES_SECRET_KEY_FILE")  # the session's, untouched
