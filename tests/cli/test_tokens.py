"""`filieres token issue | list | revoke`: tokens named by a public id, never by their secret."""

import hashlib
import json
import os
import re
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Column, DateTime, MetaData, String, Table, create_engine, event, inspect
from sqlalchemy.pool import NullPool
from typer.testing import CliRunner

from api.bootstrap import build
from api.cli.app import app as cli
from infrastructure.auth_store import Role, TokenStore, api_tokens
from infrastructure.secret_key import read_or_create
from infrastructure.settings import normalise_database_url
from infrastructure.token_digests import token_digest

runner = CliRunner()
TOKEN_ID = re.compile(r"tok_[0-9a-f]{8}")


def filieres(*args: str, columns: int = 80):
    return runner.invoke(cli, list(args), env={"COLUMNS": str(columns)})


def issue(database_url: str, actor: str, role: str = "reader") -> tuple[str, str]:
    """The secret (alone on stdout) and the id (on stderr) of a new token."""
    result = filieres(
        "token", "issue", "--actor", actor, "--role", role, "--database-url", database_url
    )
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip()
    assert "\n" not in secret and secret.startswith("flt_")
    found = TOKEN_ID.search(result.stderr)
    assert found is not None, result.stderr
    assert secret not in result.stderr
    return secret, found.group()


def deployment_secret() -> bytes:
    """The session's secret (tests/conftest.py), which keys token digests as it seals snapshots."""
    return read_or_create(Path(os.environ["FILIERES_SECRET_KEY_FILE"]))


def authenticate(database_url: str, secret: str):
    services = build(database_url=database_url, follow_in_process=False)
    try:
        return services.tokens.authenticate(secret)
    finally:
        services.close()


def test_a_token_is_listed_by_id_and_revoked_by_id_without_its_secret(database_url):
    secret, token_id = issue(database_url, "Jeanne Auditrice", "auditor")
    other, _ = issue(database_url, "Paul Lecteur")
    holder = authenticate(database_url, secret)
    assert holder is not None and holder.actor == "Jeanne Auditrice"
    today = datetime.now(UTC).date().isoformat()

    table = filieres("token", "list", "--database-url", database_url)
    assert table.exit_code == 0, table.output
    # At 80 columns a name may wrap at its spaces; no word is cut.
    for shown in (token_id, "Jeanne", "Auditrice", "auditor", today, "never", "Lecteur"):
        assert shown in table.stdout
    listed = filieres("token", "list", "--format", "json", "--database-url", database_url)
    tokens = json.loads(listed.stdout)
    assert [t["actor"] for t in tokens] == ["Jeanne Auditrice", "Paul Lecteur"]
    assert tokens[0] == {
        "id": token_id,
        "actor": "Jeanne Auditrice",
        "role": "auditor",
        "created_at": tokens[0]["created_at"],
        "last_used_on": today,
        "revoked_at": None,
    }
    assert tokens[0]["created_at"].startswith(today) and tokens[1]["last_used_on"] is None
    for output in (table.stdout, listed.stdout):
        assert secret not in output and other not in output
        assert token_digest(secret, deployment_secret()) not in output
        assert hashlib.sha256(secret.encode()).hexdigest() not in output

    revoked = filieres("token", "revoke", token_id, "--database-url", database_url)
    assert revoked.exit_code == 0, revoked.output
    assert f"Token {token_id} (Jeanne Auditrice, auditor) revoked." in revoked.stdout
    assert authenticate(database_url, secret) is None
    assert authenticate(database_url, other) is not None
    after = json.loads(
        filieres("token", "list", "--format", "json", "--database-url", database_url).stdout
    )
    assert after[0]["revoked_at"].startswith(today) and after[1]["revoked_at"] is None


def test_revoking_twice_an_unknown_id_or_a_secret_is_refused_and_the_secret_not_echoed(
    database_url,
):
    secret, token_id = issue(database_url, "X")
    assert filieres("token", "revoke", token_id, "--database-url", database_url).exit_code == 0

    again = filieres("token", "revoke", token_id, "--database-url", database_url)
    assert again.exit_code == 1, again.output  # the answer is no: it is revoked already
    assert "already revoked" in again.stderr
    unknown = filieres("token", "revoke", "tok_00000000", "--database-url", database_url)
    assert unknown.exit_code == 2, unknown.output
    assert "no token has the id 'tok_00000000'" in unknown.stderr
    by_secret = filieres("token", "revoke", secret, "--database-url", database_url)
    assert by_secret.exit_code == 2
    assert "not its id" in by_secret.stderr and secret not in by_secret.output


def test_the_last_used_day_is_written_once_a_day_not_on_every_request(database_url):
    services = build(database_url=database_url, follow_in_process=False)
    try:
        secret = services.tokens.issue("Busy Reader", Role.READER)
        updates: list[str] = []

        def count_updates(_conn, _cursor, statement, *_args) -> None:
            if statement.lstrip().upper().startswith("UPDATE"):
                updates.append(statement)

        event.listen(services.tokens.engine, "before_cursor_execute", count_updates)
        for _ in range(5):
            assert services.tokens.authenticate(secret) is not None
        event.remove(services.tokens.engine, "before_cursor_execute", count_updates)
        (record,) = services.tokens.records()
    finally:
        services.close()
    assert len(updates) == 1, updates
    assert record.last_used_on == datetime.now(UTC).date()


def test_a_token_table_from_before_ids_is_upgraded_at_start_by_processes_starting_at_once(
    empty_database_url,
):
    """Tokens issued before the upgrade each get one id, and work again once `filieres token
    upgrade` keys their digests (refused until then: a plain SHA-256 is no proof)."""
    database_url = empty_database_url  # the old table is laid out before any of ours
    url = normalise_database_url(database_url)
    old = Table(
        "filieres_api_tokens",
        MetaData(),
        Column("token_hash", String(64), primary_key=True),
        Column("actor", String(200), nullable=False),
        Column("role", String(20), nullable=False),
        Column("issued_at", DateTime(timezone=True), nullable=False),
        Column("revoked_at", DateTime(timezone=True), nullable=True),
    )
    setup = create_engine(url, poolclass=NullPool)
    old.create(setup)
    with setup.begin() as connection:
        for day, secret, actor in (
            (2, "flt_before_one", "Ancien Un"),
            (3, "flt_before_two", "Ancien Deux"),
        ):
            connection.execute(
                old.insert().values(
                    token_hash=hashlib.sha256(secret.encode()).hexdigest(),
                    actor=actor,
                    role="admin",
                    issued_at=datetime(2026, 1, day, tzinfo=UTC),
                )
            )
    setup.dispose()

    # Four processes starting together, each with its own engine, as API workers do.
    engines = [create_engine(url, poolclass=NullPool) for _ in range(4)]
    failures: list[BaseException] = []

    def start(engine) -> None:
        try:
            TokenStore(engine, deployment_secret())
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=start, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures, failures

    store = TokenStore(engines[0], deployment_secret())
    records = store.records()
    assert [r.actor for r in records] == ["Ancien Un", "Ancien Deux"]
    assert all(TOKEN_ID.fullmatch(r.token_id) for r in records)
    assert len({r.token_id for r in records}) == 2
    assert store.authenticate("flt_before_one") is None
    build(database_url=database_url, follow_in_process=False).close()  # the new version started
    listed = filieres("token", "list", "--database-url", database_url)
    assert "2 token(s) stored as a plain SHA-256 are refused until" in listed.stderr
    upgraded = filieres("token", "upgrade", "--database-url", database_url)
    assert upgraded.exit_code == 0, upgraded.output
    for record in records:
        assert f"Token {record.token_id} ({record.actor}, admin, issued" in upgraded.stdout
    assert "2 token(s) upgraded" in upgraded.stdout
    holder = store.authenticate("flt_before_one")
    assert holder is not None and holder.role == Role.ADMIN
    again = filieres("token", "upgrade", "--database-url", database_url)
    assert "0 token(s) upgraded" in again.stdout
    assert "plain SHA-256" not in filieres("token", "list", "--database-url", database_url).stderr
    indexes = inspect(engines[0]).get_indexes(api_tokens.name)
    assert any(i["unique"] and i["column_names"] == ["token_id"] for i in indexes)
    store.revoke(records[1].token_id)
    assert store.authenticate("flt_before_two") is None
    for engine in engines:
        engine.dispose()


@pytest.mark.parametrize("command", [["token", "list"], ["token", "revoke", "tok_00000000"]])
def test_token_commands_that_read_do_not_create_a_store(tmp_path, command):
    store = tmp_path / "filieres.db"
    result = filieres(*command, "--database-url", f"sqlite:///{store}")
    assert result.exit_code == 2, result.output
    assert "no store at" in result.stderr
    assert not store.exists()
