"""Fixtures shared by every test: a fresh store on SQLite, and on PostgreSQL when it answers.

How to get a store quickly (the suite runs in parallel, `make test` uses pytest-xdist):

- `database_url` (or `app`, `services`): an empty store, once on SQLite and once on
  PostgreSQL. The PostgreSQL database is a copy (`CREATE DATABASE … TEMPLATE`) of one that
  already holds the schema, made once per worker: a test never waits for the tables to be
  created. `postgres_url` alone is such a database; `empty_postgres_url` is one without any
  table, for a test of what happens on a database nothing has touched.
- `demo_url` (with `demo_ids`): a store of the test's own holding the Roannais history,
  copied from a recording made once per worker and backend (a file copy on SQLite, a
  template copy on PostgreSQL). `demo_copy(backend, request)` gives the same to a fixture
  of any scope; recording the demo again in a test costs seconds, so only do it when the
  recording itself is what the test checks.
- `new_postgres_database(admin_url, template, prefix)` for anything else: a uniquely named
  database, dropped afterwards in the background.

Every database the suite creates is named `<prefix>_<host>p<pid>_<random>`, the pid of the
process that created it: at the start of a run, those left behind by a run that was
interrupted (its process no longer alive, on this host) are dropped, and no other.
"""

import atexit
import hashlib
import os
import queue
import re
import shutil
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from api.bootstrap import Services, build
from application.context import CommandContext
from application.filieres_app import FilieresApplication
from application.roannais_history import RoannaisIds, record_roannais_history
from infrastructure.merkle_tree import IDENTITY
from infrastructure.persistence import event_store_env
from infrastructure.signing import create_key_files

# Helpers shared by test modules get pytest's assertion messages too.
pytest.register_assert_rewrite("tests.application.refusals", "tests.domain.given")

POSTGRES_ADMIN_URL = os.environ.get(
    "FILIERES_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_POSTGRES = os.environ.get("FILIERES_REQUIRE_POSTGRES") == "1"

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
"""Params of a fixture that runs its tests on SQLite, then on PostgreSQL."""

_HOST = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:6]
_OWNED = re.compile(rf"^filieres_\w*_{_HOST}p(\d+)_[0-9a-f]{{12}}$")
"""A database this suite created on this host, and the pid of the process that did."""


def _postgres_unavailable() -> str | None:
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3):
            return None
    except psycopg.Error as error:
        return f"PostgreSQL does not answer at {POSTGRES_ADMIN_URL}: {error}".strip()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_leftover_databases(admin_url: str) -> list[str]:
    """Drop the databases an earlier run of this suite on this host left behind (killed before
    its cleanup): those whose creating process is gone. Another run's are left alone."""
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as connection:
        names = [row[0] for row in connection.execute("SELECT datname FROM pg_database")]
        stale = [n for n in names if (m := _OWNED.match(n)) and not _alive(int(m[1]))]
        for name in stale:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return stale


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        # An xdist worker starts with COLUMNS=80 and LINES=24 set: Rich's consoles, made at
        # import, would then print 80 columns whatever width a test gives the command.
        os.environ.pop("COLUMNS", None)
        os.environ.pop("LINES", None)


def pytest_sessionstart(session: pytest.Session) -> None:
    # Once per run: in the controller, not in each xdist worker (which have `workerinput`).
    if hasattr(session.config, "workerinput") or _postgres_unavailable() is not None:
        return
    sweep_leftover_databases(POSTGRES_ADMIN_URL)


class _Dropper:
    """Drops test databases on a thread of its own: a test does not wait for its database's
    removal. Whatever is still queued when the process ends is dropped before it exits."""

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
                pass  # the next run's sweep drops it
            finally:
                self._queue.task_done()


_dropper = _Dropper()
atexit.register(_dropper.wait)


def pytest_sessionfinish(session: pytest.Session) -> None:
    _dropper.wait()


def database_name(prefix: str = "filieres_test") -> str:
    """A new database name carrying the mark the sweep reads (host, pid)."""
    return f"{prefix}_{_HOST}p{os.getpid()}_{uuid.uuid4().hex[:12]}"


@contextmanager
def new_postgres_database(
    admin_url: str, template: str | None = None, prefix: str = "filieres_test"
) -> Iterator[str]:
    """The URL of a database created here with a unique name (a copy of `template` if given),
    dropped on leaving: tests never touch a database they did not create."""
    name = database_name(prefix)
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"{copy}')
    try:
        yield f"{admin_url.rsplit('/', 1)[0]}/{name}"
    finally:
        _dropper.drop_later(admin_url, name)


@pytest.fixture(scope="session", autouse=True)
def secret_key_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The secret that seals snapshots, shared by every store of the session (a PostgreSQL
    store has no file to keep it beside), and by the servers tests start."""
    given = os.environ.get("FILIERES_SECRET_KEY_FILE")
    path = given or str(tmp_path_factory.mktemp("secret") / "secret-key")
    os.environ["FILIERES_SECRET_KEY_FILE"] = path
    yield path
    if given is None:
        os.environ.pop("FILIERES_SECRET_KEY_FILE", None)


@pytest.fixture(scope="session", autouse=True)
def signing_key_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A checkpoint signing key for every store of the session, and the servers tests start,
    so that every route answers; tests of a server without one say so in their settings."""
    given = os.environ.get("FILIERES_SIGNING_KEY_FILE")
    path = given or str(create_key_files(tmp_path_factory.mktemp("signing")).private)
    os.environ["FILIERES_SIGNING_KEY_FILE"] = path
    yield path
    if given is None:
        os.environ.pop("FILIERES_SIGNING_KEY_FILE", None)


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    reason = _postgres_unavailable()
    if reason is not None:
        if REQUIRE_POSTGRES:
            pytest.fail(f"FILIERES_REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    return POSTGRES_ADMIN_URL


@pytest.fixture(scope="session")
def postgres_schema_template(postgres_admin_url: str) -> Iterator[str]:
    """The name of a database holding every table of a store and no row of its own: what
    `build` makes of a new database, done once per session (worker) instead of per test."""
    with new_postgres_database(postgres_admin_url, prefix="filieres_template") as url:
        build(database_url=url).close()
        with psycopg.connect(url, autocommit=True) as connection:
            # The store's id is drawn when a process first finds none: each copy its own.
            connection.execute(f'DELETE FROM "{IDENTITY.name}"')
        yield url.rsplit("/", 1)[1]


@contextmanager
def fresh_store(backend: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A new empty store on `backend` ("sqlite" or "postgres"), for a fixture broader than a
    test or for each example of a hypothesis test."""
    if backend == "sqlite":
        directory = request.getfixturevalue("tmp_path_factory").mktemp("store")
        yield f"sqlite:///{directory / 'filieres.db'}"
        return
    admin_url = request.getfixturevalue("postgres_admin_url")
    template = request.getfixturevalue("postgres_schema_template")
    with new_postgres_database(admin_url, template=template) as url:
        yield url


@pytest.fixture
def postgres_url(postgres_admin_url: str, postgres_schema_template: str) -> Iterator[str]:
    """A database created for this test only, its tables already there, dropped after it."""
    with new_postgres_database(postgres_admin_url, template=postgres_schema_template) as url:
        yield url


@pytest.fixture
def empty_postgres_url(postgres_admin_url: str) -> Iterator[str]:
    """A database created for this test only, without any table (nothing ever opened it)."""
    with new_postgres_database(postgres_admin_url) as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'filieres.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each test using this runs once on SQLite and once on PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return request.getfixturevalue(fixture)


@pytest.fixture
def app(database_url: str) -> Iterator[FilieresApplication]:
    """The application on a fresh store, once on SQLite and once on PostgreSQL."""
    application = FilieresApplication(event_store_env(database_url))
    yield application
    application.close()


@pytest.fixture
def services(database_url: str) -> Iterator[Services]:
    """The composition root on a fresh store; views kept current in-process after each command."""
    built = build(database_url=database_url)
    yield built
    built.close()


@pytest.fixture
def ctx() -> CommandContext:
    return CommandContext(actor="test recorder")


# The Roannais history, recorded once per session and backend, copied for each user.


@dataclass(frozen=True)
class DemoTemplate:
    """The demo recorded once: never opened again, only copied (`demo_copy`)."""

    source: str
    """The SQLite file, or the PostgreSQL database's name."""
    ids: RoannaisIds


def _record_demo(url: str) -> RoannaisIds:
    services = build(database_url=url)
    try:
        return record_roannais_history(services.app)
    finally:
        services.close()


@pytest.fixture(scope="session")
def sqlite_demo_template(tmp_path_factory: pytest.TempPathFactory) -> DemoTemplate:
    path = tmp_path_factory.mktemp("demo_template") / "filieres.db"
    return DemoTemplate(str(path), _record_demo(f"sqlite:///{path}"))


@pytest.fixture(scope="session")
def postgres_demo_template(
    postgres_admin_url: str, postgres_schema_template: str
) -> Iterator[DemoTemplate]:
    """A database holding the demo; dropped at the end of the session."""
    with new_postgres_database(
        postgres_admin_url, template=postgres_schema_template, prefix="filieres_template"
    ) as url:
        yield DemoTemplate(url.rsplit("/", 1)[1], _record_demo(url))


def copy_sqlite_store(source: Path, target: Path) -> None:
    """A closed SQLite store's file (and its write-ahead log, if any) copied to `target`."""
    for suffix in ("", "-wal", "-shm"):
        origin = source.with_name(source.name + suffix)
        if origin.exists():
            shutil.copyfile(origin, target.with_name(target.name + suffix))


@contextmanager
def demo_copy(backend: str, request: pytest.FixtureRequest) -> Iterator[tuple[str, RoannaisIds]]:
    """The URL of a new store holding the demo on `backend`, and the demo's ids: for a
    fixture of any scope."""
    template: DemoTemplate = request.getfixturevalue(f"{backend}_demo_template")
    if backend == "sqlite":
        path = request.getfixturevalue("tmp_path_factory").mktemp("demo") / "filieres.db"
        copy_sqlite_store(Path(template.source), path)
        yield f"sqlite:///{path}", template.ids
        return
    admin_url = request.getfixturevalue("postgres_admin_url")
    with new_postgres_database(admin_url, template=template.source) as url:
        yield url, template.ids


@pytest.fixture
def sqlite_demo_url(sqlite_demo_template: DemoTemplate, tmp_path: Path) -> str:
    path = tmp_path / "filieres.db"
    copy_sqlite_store(Path(sqlite_demo_template.source), path)
    return f"sqlite:///{path}"


@pytest.fixture
def postgres_demo_url(
    postgres_admin_url: str, postgres_demo_template: DemoTemplate
) -> Iterator[str]:
    with new_postgres_database(postgres_admin_url, template=postgres_demo_template.source) as url:
        yield url


@pytest.fixture(params=BACKENDS)
def demo_url(request: pytest.FixtureRequest) -> str:
    """A store of its own holding the Roannais history (135 events), on SQLite then PostgreSQL."""
    return str(request.getfixturevalue(f"{request.param}_demo_url"))


@pytest.fixture
def demo_ids(demo_url: str, request: pytest.FixtureRequest) -> RoannaisIds:
    """The ids of the demo in `demo_url`."""
    backend = "sqlite" if demo_url.startswith("sqlite") else "postgres"
    template: DemoTemplate = request.getfixturevalue(f"{backend}_demo_template")
    return template.ids
