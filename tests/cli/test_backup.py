"""`filieres backup --output FILE`: a consistent copy of a SQLite store while it is written to."""

import shlex
import threading
from datetime import date

import pytest
from typer.testing import CliRunner

from api.bootstrap import build
from api.cli.app import app as cli
from application.context import CommandContext
from application.organisation_commands import RegisterOrganisation
from tests.cli.test_exit_codes import assert_one_line

runner = CliRunner()
CTX = CommandContext(actor="backup test")


def verify(url: str) -> str:
    result = runner.invoke(cli, ["audit", "verify", "--database-url", url])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_backup_taken_while_commands_are_recorded_holds_every_event_committed_before(
    sqlite_url, tmp_path
):
    services = build(database_url=sqlite_url, follow_in_process=False)
    stop, recorded = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def record() -> None:
        try:
            n = 0
            while not stop.is_set():
                services.app.register_organisation(
                    CTX,
                    RegisterOrganisation(
                        name=f"Entreprise {n}", kind="company", registered_on=date(2010, 1, 1)
                    ),
                )
                n += 1
                if n == 50:
                    recorded.set()
        except BaseException as error:
            failures.append(error)
            recorded.set()

    writer = threading.Thread(target=record)
    writer.start()
    try:
        assert recorded.wait(60)
        committed = services.app.event_count()
        backups = tmp_path / "backups"
        backups.mkdir()
        copy = backups / "copy.db"
        result = runner.invoke(cli, ["backup", "--output", str(copy), "--database-url", sqlite_url])
        still_writing = writer.is_alive() and not failures
    finally:
        stop.set()
        writer.join(60)
        services.close()
    assert not failures, failures
    assert still_writing, "the writer had stopped before the backup"
    assert result.exit_code == 0, result.output

    copied = int(result.stdout.split("Backed up ")[1].split()[0])
    assert copied >= committed
    assert [p.name for p in backups.iterdir()] == ["copy.db"]  # one file: no -wal, no partial
    copy_url = f"sqlite:///{copy}"
    assert f"OK: {copied} events checked" in verify(copy_url)
    # The copy holds the live log's first events exactly: the same chain up to its end.
    restored = build(database_url=copy_url, follow_in_process=False)
    live = build(database_url=sqlite_url, follow_in_process=False)
    try:
        assert restored.app.event_count() == copied
        assert live.app.recorder.select_notifications(
            start=1, limit=copied
        ) == restored.app.recorder.select_notifications(start=1, limit=copied)
    finally:
        restored.close()
        live.close()


def test_a_backup_never_overwrites_a_file_unless_forced(sqlite_url, tmp_path):
    assert runner.invoke(cli, ["demo", "--database-url", sqlite_url]).exit_code == 0
    target = tmp_path / "kept.db"
    target.write_text("an earlier backup")

    refused = runner.invoke(cli, ["backup", "-o", str(target), "--database-url", sqlite_url])
    assert_one_line(refused, 2, f"{target} exists", "--force")
    assert target.read_text() == "an earlier backup"

    forced = runner.invoke(
        cli, ["backup", "-o", str(target), "--force", "--database-url", sqlite_url]
    )
    assert forced.exit_code == 0, forced.output
    assert "OK: 137 events checked" in verify(f"sqlite:///{target}")
    assert not list(tmp_path.glob(".*partial"))


def test_a_backup_of_no_store_creates_nothing(tmp_path):
    target = tmp_path / "copy.db"
    store = tmp_path / "filieres.db"
    result = runner.invoke(
        cli, ["backup", "-o", str(target), "--database-url", f"sqlite:///{store}"]
    )
    assert_one_line(result, 2, "no store at")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.postgres
def test_a_postgresql_store_is_pointed_to_pg_dump(postgres_url, tmp_path):
    with_password = postgres_url.replace("postgres@", "postgres:s3cret@", 1)
    target = tmp_path / "filieres.dump"
    result = runner.invoke(cli, ["backup", "-o", str(target), "--database-url", with_password])
    line = assert_one_line(result, 2, "pg_dump")
    command = shlex.split(line.split("`")[1])
    assert command == ["pg_dump", "-Fc", "-d", postgres_url, "-f", str(target)]
    assert "s3cret" not in result.output
    assert not target.exists()
