"""Fixtures shared by every test: a fresh store on SQLite, and on PostgreSQL when it answers.

How to get a store quickly (the suite runs in parallel, `make test` uses pytest-xdist):

- `database_url` (or `app`, `services`): an empty store, once on SQLite and once on
  PostgreSQL. The PostgreSQL database is a copy of one that already holds the schema, made
  once per run (an earlier test's copy put back as the template holds it, or a new
  `CREATE DATABASE … TEMPLATE`): a test never waits for the tables to be created.
  `postgres_url` alone is such a database; `empty_postgres_url` is one without any table,
  for a test of what happens on a database nothing has touched.
- `world`: partners, a bureau and a filière already in `database_url`'s store, recorded
  once per run (`make_world`) and copied, for the many tests that start from them.
- `demo_url` (with `demo_ids`): a store of the test's own holding the Roannais history,
  copied from a recording made once per run and backend, shared by the workers (a file
  copy on SQLite, a template copy put back after each test on PostgreSQL).
  `demo_copy(backend, request)` gives the same to a fixture of any scope; recording the
  demo again in a test costs seconds, so only do it when the recording itself is what the
  test checks.
- `empty_database_url`: as `database_url`, the PostgreSQL database without any table.
- `new_postgres_database(admin_url, template, prefix)` for anything else: a uniquely named
  database, dropped afterwards in the background.

Every database the suite creates carries its owner's pid in its name (tests/stores.py): at
the start of a run, those an interrupted run left behind are dropped, and no other.
Another store that is slow to record: `copy_of(backend, key, record, request)` records it
once per run for every worker and gives each user a copy (`demo_copy` is an example).
"""

import atexit
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import NullPool, create_engine

from api.bootstrap import Services, build
from application.context import CommandContext
from application.filieres_app import FilieresApplication
from application.roannais_history import RoannaisIds, record_roannais_history
from infrastructure.merkle_tree import IDENTITY
from infrastructure.persistence import event_store_env
from infrastructure.settings import normalise_database_url
from infrastructure.signing import PRIVATE_KEY_NAME, create_key_files
from tests.stores import (
    RUN_PID,
    copy_sqlite_store,
    dropper,
    locked,
    new_postgres_database,
    reused_postgres_database,
    run_directory,
    servers_lock_path,
    shared_template,
    sweep_leftover_databases,
)
from tests.world import World, make_world

# Helpers shared by test modules get pytest's assertion messages too.
pytest.register_assert_rewrite("tests.application.refusals", "tests.domain.given")

POSTGRES_ADMIN_URL = os.environ.get(
    "FILIERES_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_POSTGRES = os.environ.get("FILIERES_REQUIRE_POSTGRES") == "1"

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
"""Params of a fixture that runs its tests on SQLite, then on PostgreSQL."""


def _postgres_unavailable() -> str | None:
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3):
            return None
    except psycopg.Error as error:
        return f"PostgreSQL does not answer at {POSTGRES_ADMIN_URL}: {error}".strip()


# The suite's stores are thrown away: their commits need not wait for the disk (SQLite's
# synchronous=OFF, infrastructure/sqlite_durability.py; PostgreSQL's synchronous_commit is off
# for each database tests/stores.py creates). Set here, servers the tests start inherit it.
os.environ.setdefault("FILIERES_SQLITE_SYNCHRONOUS", "OFF")


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):
        os.environ.setdefault(RUN_PID, str(os.getpid()))  # the workers' owner of shared stores
    else:
        # An xdist worker starts with COLUMNS=80 and LINES=24 set: Rich's consoles, made at
        # import, would then print 80 columns whatever width a test gives the command.
        os.environ.pop("COLUMNS", None)
        os.environ.pop("LINES", None)


def pytest_sessionstart(session: pytest.Session) -> None:
    # Once per run: in the controller, not in each xdist worker (which have `workerinput`).
    if hasattr(session.config, "workerinput") or _postgres_unavailable() is not None:
        return
    sweep_leftover_databases(POSTGRES_ADMIN_URL)


def pytest_sessionfinish(session: pytest.Session) -> None:
    dropper.wait()
    if not hasattr(session.config, "workerinput") and _postgres_unavailable() is None:
        # The run's shared templates, and whatever a worker killed on the way left.
        sweep_leftover_databases(POSTGRES_ADMIN_URL, also_of=os.getpid())
    if not hasattr(session.config, "workerinput"):
        servers_lock_path().unlink(missing_ok=True)


atexit.register(dropper.wait)


@pytest.fixture(scope="session", autouse=True)
def secret_key_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The secret that seals snapshots, shared by every store of the session (a PostgreSQL
    store has no file to keep it beside), and by the servers tests start."""
    given = os.environ.get("FILIERES_SECRET_KEY_FILE")
    # One for the whole run, workers included: they copy stores another worker sealed.
    path = given or str(run_directory(tmp_path_factory) / "secret-key")
    os.environ["FILIERES_SECRET_KEY_FILE"] = path
    yield path
    if given is None:
        os.environ.pop("FILIERES_SECRET_KEY_FILE", None)


@pytest.fixture(scope="session", autouse=True)
def signing_key_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A checkpoint signing key for every store of the session, and the servers tests start,
    so that every route answers; tests of a server without one say so in their settings."""
    given = os.environ.get("FILIERES_SIGNING_KEY_FILE")
    path = given
    if path is None:
        directory = run_directory(tmp_path_factory)
        with locked(directory / "signing.lock"):
            keys = directory / "signing"
            if not keys.exists():
                create_key_files(keys)
            path = str(keys / PRIVATE_KEY_NAME)
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


def _schema_only(url: str) -> None:
    build(database_url=url).close()
    engine = create_engine(normalise_database_url(url), poolclass=NullPool)
    with engine.begin() as connection:
        # The store's id is drawn when a process first finds none: each copy its own.
        connection.execute(IDENTITY.delete())
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_schema_template(
    postgres_admin_url: str, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """The name of a database holding every table of a store and no row of its own: what
    `build` makes of a new database, done once per run instead of once per test."""
    name, _ = shared_template(
        tmp_path_factory, "postgres", "schema", _schema_only, admin_url=postgres_admin_url
    )
    return str(name)


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
    with reused_postgres_database(admin_url, template) as url:
        yield url


@pytest.fixture
def postgres_url(postgres_admin_url: str, postgres_schema_template: str) -> Iterator[str]:
    """A database created for this test only, its tables already there, dropped after it."""
    with reused_postgres_database(postgres_admin_url, postgres_schema_template) as url:
        yield url


@pytest.fixture
def empty_postgres_url(postgres_admin_url: str) -> Iterator[str]:
    """A database created for this test only, without any table (nothing ever opened it)."""
    with new_postgres_database(postgres_admin_url) as url:
        yield url


@pytest.fixture(scope="session")
def sqlite_schema_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store holding every table and no row, made once per run: copying it is some
    twenty times quicker than creating the tables."""
    source, _ = shared_template(tmp_path_factory, "sqlite", "schema", _schema_only)
    return Path(source)


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_schema_template: Path) -> str:
    """A store of this test's own, its tables already there."""
    path = tmp_path / "filieres.db"
    copy_sqlite_store(sqlite_schema_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def empty_sqlite_url(tmp_path: Path) -> str:
    """Where a store would be, with no file yet."""
    return f"sqlite:///{tmp_path / 'filieres.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each test using this runs once on SQLite and once on PostgreSQL.

    A test that also asks for a `world` gets a copy of a store where the world was recorded
    once per run (see `world`), not an empty one."""
    if "world" in request.fixturenames:
        with world_copy(request.param, request) as url:
            yield url
        return
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    yield request.getfixturevalue(fixture)


WORLD = pytest.StashKey[World]()
WORLD_ACTOR = "setup"
"""Who recorded the world: its events name this actor."""


@contextmanager
def world_copy(backend: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a new store on `backend` holding the world, which the test's `world` gives."""
    with copy_of(backend, "world", _record_world, request) as (url, world):
        request.node.stash[WORLD] = world
        yield url


def _record_world(url: str) -> World:
    services = build(database_url=url)
    try:
        return make_world(services.app, CommandContext(actor=WORLD_ACTOR))
    finally:
        services.close()


@pytest.fixture
def world(request: pytest.FixtureRequest, database_url: str) -> World:
    """Partners, a bureau and a filière (`make_world`, as `WORLD_ACTOR`), already in the store
    of `database_url`: recorded once per run and copied, not recorded again for each test."""
    return request.node.stash[WORLD]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest) -> str:
    """As `database_url`, but the PostgreSQL database holds no table at all: for a test that
    lays out tables of its own first (an older store's, say)."""
    fixture = "empty_sqlite_url" if request.param == "sqlite" else "empty_postgres_url"
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


# Stores recorded once per run and copied for each user: the demo, and any other.


@contextmanager
def copy_of(
    backend: str, key: str, record: Callable[[str], Any], request: pytest.FixtureRequest
) -> Iterator[tuple[str, Any]]:
    """The URL of a new store on `backend` holding a copy of what `record(url)` recorded (once
    per run, under `key`), and what `record` returned; for a fixture of any scope. `record`
    must close what it opens, and return something picklable (workers share it)."""
    factory = request.getfixturevalue("tmp_path_factory")
    if backend == "sqlite":
        source, value = shared_template(factory, backend, key, record)
        path = factory.mktemp("copy") / "filieres.db"
        copy_sqlite_store(Path(source), path)
        yield f"sqlite:///{path}", value
        return
    admin_url = request.getfixturevalue("postgres_admin_url")
    schema = request.getfixturevalue("postgres_schema_template")
    source, value = shared_template(factory, backend, key, record, admin_url, schema)
    with reused_postgres_database(admin_url, source) as url:
        yield url, value


def _record_demo(url: str) -> RoannaisIds:
    services = build(database_url=url)
    try:
        return record_roannais_history(services.app)
    finally:
        services.close()


@contextmanager
def demo_copy(backend: str, request: pytest.FixtureRequest) -> Iterator[tuple[str, RoannaisIds]]:
    """The URL of a new store holding the demo (recorded once per run) on `backend`, and the
    demo's ids: for a fixture of any scope."""
    with copy_of(backend, "demo", _record_demo, request) as (url, ids):
        yield url, ids


def _record_demo_unfollowed(url: str) -> RoannaisIds:
    services = build(database_url=url, follow_in_process=False)
    try:
        return record_roannais_history(services.app)
    finally:
        services.close()


@contextmanager
def unfollowed_demo_copy(
    backend: str, request: pytest.FixtureRequest
) -> Iterator[tuple[str, RoannaisIds]]:
    """As `demo_copy`, the demo recorded while nothing kept the views current: their tables
    are there, empty, at position 0."""
    with copy_of(backend, "demo, views not followed", _record_demo_unfollowed, request) as copy:
        yield copy


@pytest.fixture(params=BACKENDS)
def demo_store_copy(request: pytest.FixtureRequest) -> Iterator[tuple[str, RoannaisIds]]:
    with demo_copy(request.param, request) as copy:
        yield copy


@pytest.fixture
def demo_url(demo_store_copy: tuple[str, RoannaisIds]) -> str:
    """A store of its own holding the Roannais history, on SQLite then PostgreSQL."""
    return demo_store_copy[0]


@pytest.fixture
def demo_ids(demo_store_copy: tuple[str, RoannaisIds]) -> RoannaisIds:
    """The ids of the demo in `demo_url`."""
    return demo_store_copy[1]
