"""Fixtures for the audit tests: a store holding the demo history, the real app, an auditor.

Tests that tamper with the store need a store each. Recording the demo takes
seconds, so it is recorded once per backend into a template, and each test
gets a copy (a file copy on SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL).
"""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.bootstrap import Services, build
from api.http.main import create_app
from application.roannais_history.record import record_roannais_history
from infrastructure.auth_store import Role
from tests.api.http import bearer
from tests.audit.demo_store import BACKENDS, DemoStore, demo_store
from tests.conftest import new_postgres_database


def _record_demo(url: str) -> None:
    services = build(database_url=url)
    try:
        record_roannais_history(services.app)
    finally:
        services.close()


@pytest.fixture(scope="session")
def sqlite_demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo_template") / "filieres.db"
    _record_demo(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_demo_template(postgres_admin_url: str) -> Iterator[str]:
    """The name of a database holding the demo; dropped at the end of the session."""
    with new_postgres_database(postgres_admin_url, prefix="filieres_template") as url:
        _record_demo(url)
        yield url.rsplit("/", 1)[1]


@pytest.fixture
def sqlite_demo_url(sqlite_demo_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "filieres.db"
    for suffix in ("", "-wal", "-shm"):
        source = sqlite_demo_template.with_name(sqlite_demo_template.name + suffix)
        if source.exists():
            shutil.copyfile(source, path.with_name(path.name + suffix))
    return f"sqlite:///{path}"


@pytest.fixture
def postgres_demo_url(postgres_admin_url: str, postgres_demo_template: str) -> Iterator[str]:
    with new_postgres_database(postgres_admin_url, template=postgres_demo_template) as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def demo_url(request: pytest.FixtureRequest) -> str:
    """A store of its own holding the Roannais history (137 events), on SQLite then PostgreSQL."""
    return str(request.getfixturevalue(f"{request.param}_demo_url"))


@pytest.fixture
def demo_services(demo_url: str) -> Iterator[Services]:
    """The composition root on `demo_url`; views kept current in-process after each command."""
    services = build(database_url=demo_url)
    yield services
    services.close()


@pytest.fixture
def client(demo_services: Services) -> Iterator[TestClient]:
    """httpx through the ASGI app; `raise_server_exceptions=False` so a bug shows as its 500."""
    with TestClient(create_app(demo_services), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def auditor(demo_services: Services) -> dict[str, str]:
    """The headers of an auditor's request."""
    return bearer(demo_services.tokens.issue("Jeanne Auditrice", Role.AUDITOR))


@pytest.fixture(scope="module", params=BACKENDS)
def demo(request: pytest.FixtureRequest) -> Iterator[DemoStore]:
    """The demo in one store for a module's tests, which only read it; SQLite, then PostgreSQL."""
    with demo_store(request) as store:
        yield store
