"""The test suite's databases and store files: unique names, background drops, shared templates.

Every PostgreSQL database the suite creates is named
`<prefix>_<host>p<pid>_<12 hex digits>`, where pid is the process that owns it:
a test's database belongs to the worker that made it, a shared template to
the run (the pytest process that started the workers). A database is dropped
by its owner; one whose owner is no longer alive on this host was left by an
interrupted run, and the next run drops it (`sweep_leftover_databases`).
Databases without that mark, or of a live process, are never touched.

A store that takes long to record (the demo, a synthetic history) is recorded
once per run into a template that every worker copies: the first worker to
need it records it under a file lock, the others wait and reuse it.
"""

import fcntl
import hashlib
import os
import pickle
import queue
import re
import shutil
import socket
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest

HOST = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:6]
OWNED = re.compile(rf"^filieres_\w*_{HOST}p(\d+)_[0-9a-f]{{12}}$")
"""A database this suite created on this host, and the pid of the process that owns it."""

RUN_PID = "FILIERES_TEST_RUN_PID"
"""The environment variable naming the run's process, set by it and inherited by workers."""


def run_pid() -> int:
    return int(os.environ.get(RUN_PID) or os.getpid())


def database_name(prefix: str = "filieres_test", owner: int | None = None) -> str:
    """A new database name carrying the mark the sweep reads (host, owner's pid)."""
    return f"{prefix}_{HOST}p{owner or os.getpid()}_{uuid.uuid4().hex[:12]}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_leftover_databases(admin_url: str, also_of: int | None = None) -> list[str]:
    """Drop this host's suite databases whose owner is gone (and those of `also_of`, a run
    that is ending); another live run's are left alone."""
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as connection:
        names = [row[0] for row in connection.execute("SELECT datname FROM pg_database")]
        stale = [
            name
            for name in names
            if (mark := OWNED.match(name)) and (int(mark[1]) == also_of or not _alive(int(mark[1])))
        ]
        for name in stale:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return stale


class _Dropper:
    """Drops test databases on a thread of its own: a test does not wait for its database's
    removal. What is still queued when the process ends is dropped before it exits."""

    def __init__(self) -> None:
        self._queue: queue.Queue[tuple[str, str]] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def drop_later(self, admin_url: str, name: str) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, daemon=True)
                self._thread.start()
        self._queue.put((admin_url, name))

    def wait(self) -> None:
        if self._thread is not None:
            self._queue.join()

    def _run(self) -> None:
        while True:
            admin_url, name = self._queue.get()
            try:
                with psycopg.connect(admin_url, autocommit=True) as connection:
                    connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except psycopg.Error:
                pass  # its owner is gone by the next run, whose sweep drops it
            finally:
                self._queue.task_done()


dropper = _Dropper()


def create_database(admin_url: str, name: str, template: str | None = None) -> str:
    """Create `name` (a copy of `template` if given); its URL."""
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"{copy}')
        # A test's commits need not wait for the disk: no test crashes the server.
        connection.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    return f"{admin_url.rsplit('/', 1)[0]}/{name}"


# What a database's layout is made of: a test that changed it (dropped a table, made an
# older one) leaves a database that is dropped, not reused.
_LAYOUT = """
SELECT 'column', table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable
  FROM information_schema.columns WHERE table_schema = 'public'
UNION ALL SELECT 'index', tablename || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
UNION ALL SELECT 'sequence', sequencename FROM pg_sequences WHERE schemaname = 'public'
UNION ALL SELECT 'constraint', conrelid::regclass::text || ' ' || pg_get_constraintdef(oid)
  FROM pg_constraint WHERE connamespace = 'public'::regnamespace
UNION ALL SELECT 'routine', proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace
UNION ALL SELECT 'trigger', tgname FROM pg_trigger WHERE NOT tgisinternal
ORDER BY 1, 2
"""


def _layout(connection: psycopg.Connection[Any]) -> list[tuple[str, str]]:
    return [(kind, what) for kind, what in connection.execute(_LAYOUT)]


class _TemplateState:
    """What a database copied from a template holds before its test: its layout, each table's
    rows (as PostgreSQL's binary COPY) and each sequence's position."""

    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self.layout = _layout(connection)
        self.tables = [
            table
            for (table,) in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            ).fetchall()
        ]
        self.rows: dict[str, bytes] = {}
        with connection.cursor() as cursor:
            for table in self.tables:
                with cursor.copy(f'COPY "{table}" TO STDOUT (FORMAT BINARY)') as copy:
                    data = b"".join(bytes(block) for block in copy)
                if cursor.rowcount:
                    self.rows[table] = data
        self.sequences = connection.execute(
            "SELECT sequencename, coalesce(last_value, start_value), last_value IS NOT NULL"
            " FROM pg_sequences WHERE schemaname = 'public'"
        ).fetchall()

    def restore(self, connection: psycopg.Connection[Any]) -> None:
        """Every table back to the template's rows, every sequence to where it stood."""
        # DELETE, not TRUNCATE: a few rows each, and no new files to sync at commit. One
        # round trip for all the statements (no parameters: the simple query protocol).
        statements = [
            "SET lock_timeout = '2s'",
            "SET synchronous_commit = off",
            "SET session_replication_role = replica",  # no foreign key checks
            *(f'DELETE FROM "{table}"' for table in self.tables),
            *(
                f"SELECT setval('\"{name}\"', {value}, {'true' if called else 'false'})"
                for name, value, called in self.sequences
            ),
        ]
        connection.execute(";".join(statements))
        with connection.cursor() as cursor:
            for table, data in self.rows.items():
                with cursor.copy(f'COPY "{table}" FROM STDIN (FORMAT BINARY)') as copy:
                    copy.write(data)


class _ReusedDatabases:
    """Databases copied from a template, put back as the template left them after their test
    and handed to the next test of the same process that asks for that template: putting one
    back costs a few DELETEs and COPYs, where dropping it costs the server a checkpoint and
    copying a template costs about as much. A database a test changed the layout of, or still
    holds a connection to, is dropped as before."""

    def __init__(self) -> None:
        self._free: dict[tuple[str, str], list[str]] = {}
        self._states: dict[tuple[str, str], _TemplateState] = {}

    def take(self, admin_url: str, template: str, prefix: str) -> str:
        free = self._free.get((admin_url, template))
        if free:
            return free.pop()
        name = database_name(prefix)
        url = create_database(admin_url, name, template)
        if (admin_url, template) not in self._states:
            # Read off the copy: a connection to the template would fail others' copies.
            with psycopg.connect(url) as connection:
                self._states[admin_url, template] = _TemplateState(connection)
        return name

    def give_back(self, admin_url: str, template: str, name: str) -> None:
        key = (admin_url, template)
        if self._restored(_url_of(admin_url, name), self._states[key]):
            self._free.setdefault(key, []).append(name)
        else:
            dropper.drop_later(admin_url, name)

    @staticmethod
    def _restored(url: str, state: _TemplateState) -> bool:
        try:
            with psycopg.connect(url) as connection:
                others = connection.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                ).fetchone()
                if others is None or others[0] or _layout(connection) != state.layout:
                    return False
                state.restore(connection)
            return True
        except psycopg.Error:
            return False


def _url_of(admin_url: str, name: str) -> str:
    return f"{admin_url.rsplit('/', 1)[0]}/{name}"


reused_databases = _ReusedDatabases()


@contextmanager
def reused_postgres_database(
    admin_url: str, template: str, prefix: str = "filieres_test"
) -> Iterator[str]:
    """As `new_postgres_database` with a template: the database may be one an earlier test of
    this process used, put back since as the template holds it (same tables, the same rows,
    its sequences where they stood). Dropped at the end of the run."""
    name = reused_databases.take(admin_url, template, prefix)
    try:
        yield _url_of(admin_url, name)
    finally:
        reused_databases.give_back(admin_url, template, name)


@contextmanager
def new_postgres_database(
    admin_url: str, template: str | None = None, prefix: str = "filieres_test"
) -> Iterator[str]:
    """The URL of a database created here with a unique name (a copy of `template` if given),
    dropped on leaving: tests never touch a database they did not create."""
    name = database_name(prefix)
    url = create_database(admin_url, name, template)
    try:
        yield url
    finally:
        dropper.drop_later(admin_url, name)


def copy_sqlite_store(source: Path, target: Path) -> None:
    """A closed SQLite store's file (and its write-ahead log, if any) copied to `target`."""
    for suffix in ("", "-wal", "-shm"):
        origin = source.with_name(source.name + suffix)
        if origin.exists():
            shutil.copyfile(origin, target.with_name(target.name + suffix))


def run_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory the run and all its workers share (an xdist worker's base is under it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def locked(path: Path) -> Iterator[None]:
    with path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


_templates: dict[str, tuple[str, Any]] = {}


def shared_template(
    tmp_path_factory: pytest.TempPathFactory,
    backend: str,
    key: str,
    record: Callable[[str], Any],
    admin_url: str | None = None,
    schema: str | None = None,
) -> tuple[str, Any]:
    """(source, what `record` returned) for a store recorded once per run by `record(url)`:
    source is a SQLite file or a PostgreSQL database (a copy of `schema` if given) that is
    never opened again, only copied. The run drops the databases at its end."""
    stem = f"{backend}-{re.sub(r'[^a-z0-9]+', '-', key.lower())}"
    if stem in _templates:
        return _templates[stem]
    directory = run_directory(tmp_path_factory)
    done = directory / f"{stem}.pickle"
    with locked(directory / f"{stem}.lock"):
        if not done.exists():
            if backend == "sqlite":
                path = directory / stem / "filieres.db"
                path.parent.mkdir()
                source, url = str(path), f"sqlite:///{path}"
            else:
                assert admin_url is not None
                source = database_name("filieres_template", owner=run_pid())
                url = create_database(admin_url, source, schema)
            value = record(url)
            done.write_bytes(pickle.dumps((source, value)))
    _templates[stem] = pickle.loads(done.read_bytes())
    return _templates[stem]


def servers_lock_path() -> Path:
    return Path(tempfile.gettempdir()) / f"filieres-tests-{run_pid()}-servers.lock"


@contextmanager
def one_server_at_a_time() -> Iterator[None]:
    """Held while a test runs servers as processes: the run's workers take turns, since two
    servers with their own workers starting together on a loaded 2-core machine can take
    longer than a test waits for them."""
    with locked(servers_lock_path()):
        yield
