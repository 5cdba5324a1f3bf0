"""Fixtures for the audit tests: a store holding the demo history, the real app, an auditor.

Tests that tamper with the store need a store each: `demo_url` (tests/conftest.py) is a
copy of the demo recorded once per session and backend.
"""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.bootstrap import Services, build
from infrastructure.auth_store import Role
from tests.api.http import bearer, client_on
from tests.audit.demo_store import BACKENDS, DemoStore, demo_store


@pytest.fixture
def demo_services(demo_url: str) -> Iterator[Services]:
    """The composition root on `demo_url`; views kept current in-process after each command."""
    services = build(database_url=demo_url)
    yield services
    services.close()


@pytest.fixture
def client(demo_services: Services) -> Iterator[TestClient]:
    """httpx through the ASGI app; `raise_server_exceptions=False` so a bug shows as its 500."""
    with client_on(demo_services, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def auditor(demo_services: Services) -> dict[str, str]:
    """The headers of an auditor's request."""
    return bearer(demo_services.tokens.issue("Jeanne Auditrice", Role.AUDITOR))


@pytest.fixture(scope="module", params=BACKENDS)
def demo(request: pytest.FixtureRequest) -> Iterator[DemoStore]:
    """The demo in one store for a module's tests, which only read it; SQLite, then PostgreSQL."""
    with demo_store(request) as store:
        yield store
