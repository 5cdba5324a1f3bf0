"""The real FastAPI app on a fresh store (SQLite and PostgreSQL), driven through httpx."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.bootstrap import Services, build
from api.main import create_app
from infrastructure.auth_store import Role


@pytest.fixture
def services(database_url: str) -> Iterator[Services]:
    built = build(database_url=database_url)
    yield built
    built.close()


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    """httpx through the ASGI app; `raise_server_exceptions=False` so a bug shows as its 500."""
    with TestClient(create_app(services), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def tokens(services: Services) -> dict[Role, str]:
    """One token per role, each acting for a person named after the role."""
    return {role: services.tokens.issue(f"{role.value.title()} Person", role) for role in Role}
