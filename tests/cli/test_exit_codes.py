"""What a command says, and with which exit code, when it cannot answer: one line, no traceback.

0 done or intact, 1 the answer is no, 2 could not check, 70 a bug (the README's "Exit codes").
"""

import socket
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner, Result

from api.cli.app import app as cli
from api.cli.failures import EXIT_INTERNAL_ERROR, report
from tests.api.test_served import FILIERES, _env

runner = CliRunner()
READ_ONLY = [
    ["audit", "verify"],
    ["audit", "export"],
    ["audit", "history", str(uuid.UUID(int=1))],  # fixed: xdist workers collect the same ids
    ["audit", "overview", "Viandes"],
    ["report", "decisions"],
    ["report", "decisions", "--filiere", "Viandes", "--format", "csv"],
    ["report", "seats"],
    ["summary"],
    ["projections", "status"],
    ["token", "list"],
]
"""Every command that only reads the store."""


def run(*args: str) -> Result:
    return runner.invoke(cli, list(args), env={"COLUMNS": "80"})


def assert_one_line(result: Result, code: int, *words: str) -> str:
    """The command failed with `code`, saying so in one line on stderr that holds `words`."""
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_audit_verify_in_an_empty_folder_says_there_is_no_store_and_creates_none(tmp_path):
    done = subprocess.run(
        [str(FILIERES), "audit", "verify"], cwd=tmp_path, env=_env(), capture_output=True, text=True
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "Error: no store at sqlite:///./filieres.db: the file filieres.db does not exist. Record"
        " one with `filieres demo` (or `filieres run`), or name an existing store with"
        " --database-url or FILIERES_DATABASE_URL."
    ]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", READ_ONLY, ids=" ".join)
def test_a_read_only_command_never_creates_a_sqlite_store(tmp_path, command):
    store = tmp_path / "filieres.db"
    result = run(*command, "--database-url", f"sqlite:///{store}")
    assert_one_line(result, 2, "no store at", str(store), "filieres demo")
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_is_not_a_store_is_no_store_and_is_left_as_it_was(tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("not a database")
    result = run("summary", "--database-url", f"sqlite:///{notes}")
    assert_one_line(result, 2, "is not a SQLite database")
    assert notes.read_text() == "not a database"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


@pytest.mark.parametrize("command", [["audit", "verify"], ["summary"], ["demo"]], ids=" ".join)
def test_a_database_that_does_not_answer_is_one_line_and_exit_2(command):
    url = f"postgresql://postgres:secret@127.0.0.1:{closed_port()}/filieres"
    line = assert_one_line(run(*command, "--database-url", url), 2, "cannot reach the database")
    assert "Connection refused" in line and "secret" not in line


@pytest.mark.parametrize("command", [["audit", "verify"], ["summary"]], ids=" ".join)
def test_a_url_that_is_no_database_url_is_one_line_and_exit_2(command):
    assert_one_line(run(*command, "--database-url", "filieres.db"), 2, "not a database URL")


def test_an_empty_database_url_variable_means_the_default_store(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["audit", "verify"], env={"FILIERES_DATABASE_URL": ""})
    assert_one_line(result, 2, "no store at sqlite:///./filieres.db")


@pytest.mark.postgres
def test_a_database_that_does_not_exist_is_no_store(postgres_admin_url):
    url = postgres_admin_url.rsplit("/", 1)[0] + f"/filieres_absent_{uuid.uuid4().hex[:8]}"
    assert_one_line(run("audit", "verify", "--database-url", url), 2, "the database does not exist")


@pytest.mark.postgres
def test_a_database_without_an_event_log_is_no_store_and_gets_no_tables(empty_postgres_url):
    postgres_url = empty_postgres_url  # no table yet: nothing has opened it
    for command in (["audit", "verify"], ["report", "seats"], ["projections", "status"]):
        result = run(*command, "--database-url", postgres_url)
        assert_one_line(result, 2, "no Filières store", "filieresapplication_events")
    with psycopg.connect(postgres_url) as connection:
        tables = connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    assert tables == (0,)


def test_debug_adds_the_traceback_before_the_same_line(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'filieres.db'}"
    plain = run("summary", "--database-url", url)
    debug = runner.invoke(cli, ["--debug", "summary", "--database-url", url])
    by_env = runner.invoke(cli, ["summary", "--database-url", url], env={"FILIERES_DEBUG": "1"})
    for result in (debug, by_env):
        assert result.exit_code == 2
        assert "Traceback" in result.stderr and "StoreNotFoundError" in result.stderr
        assert result.stderr.strip().splitlines()[-1] == plain.stderr.strip()


def test_a_bug_is_one_line_exit_70_and_asks_for_the_traceback(capsys):
    assert report(ZeroDivisionError("division by zero"), debug=False) == EXIT_INTERNAL_ERROR
    line = capsys.readouterr().err.strip()
    assert line == (
        "Internal error: ZeroDivisionError: division by zero. This is a bug. Run again with"
        " --debug for the traceback, and report it."
    )


def test_bad_arguments_are_exit_2():
    assert run("report", "decisions", "--from", "yesterday").exit_code == 2
    assert run("audit", "history", "not-an-id").exit_code == 2
    assert run("no-such-command").exit_code == 2


def test_a_file_that_cannot_be_written_is_one_line_and_exit_2(demo, tmp_path):
    target = tmp_path / "missing-folder" / "log.jsonl"
    result = run("audit", "export", "--output", str(target), "--database-url", demo.url)
    assert_one_line(result, 2, "No such file or directory", str(target))
