"""Fixtures shared by every test: a fresh store on SQLite, and on PostgreSQL when it answers."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest

from api.bootstrap import Services, build
from application.context import CommandContext
from application.filieres_app import FilieresApplication
from infrastructure.persistence import event_store_env
from infrastructure.signing import create_key_files

# Helpers shared by test modules get pytest's assertion messages too.
pytest.register_assert_rewrite("tests.application.refusals", "tests.domain.given")

POSTGRES_ADMIN_URL = os.environ.get(
    "FILIERES_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_POSTGRES = os.environ.get("FILIERES_REQUIRE_POSTGRES") == "1"


def _postgres_unavailable() -> str | None:
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3):
            return None
    except psycopg.Error as error:
        return f"PostgreSQL does not answer at {POSTGRES_ADMIN_URL}: {error}".strip()


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


@contextmanager
def new_postgres_database(
    admin_url: str, template: str | None = None, prefix: str = "filieres_test"
) -> Iterator[str]:
    """The URL of a database created here with a unique name (a copy of `template` if given),
    dropped on leaving: tests never touch a database they did not create."""
    name = f"{prefix}_{uuid.uuid4().hex[:16]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"{copy}')
    try:
        yield f"{admin_url.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def fresh_store(backend: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A new empty store on `backend` ("sqlite" or "postgres"), for a fixture broader than a
    test or for each example of a hypothesis test."""
    if backend == "sqlite":
        directory = request.getfixturevalue("tmp_path_factory").mktemp("store")
        yield f"sqlite:///{directory / 'filieres.db'}"
        return
    with new_postgres_database(request.getfixturevalue("postgres_admin_url")) as url:
        yield url


@pytest.fixture
def postgres_url(postgres_admin_url: str) -> Iterator[str]:
    """A database created for this test only, dropped after it."""
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
