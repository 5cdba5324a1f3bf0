"""The real FastAPI app on a fresh store (SQLite and PostgreSQL), driven through httpx."""

from collections.abc import Iterator
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from api.bootstrap import Services
from application.context import CommandContext
from infrastructure.auth_store import Role
from tests.api.http import bearer, client_on
from tests.application.refusals import open_call
from tests.world import World

SETUP = CommandContext(actor="setup")


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    """httpx through the ASGI app; `raise_server_exceptions=False` so a bug shows as its 500."""
    with client_on(services, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def tokens(services: Services) -> dict[Role, str]:
    """One token per role, each acting for a person named after the role."""
    return {role: services.tokens.issue(f"{role.value.title()} Person", role) for role in Role}


@pytest.fixture
def reader(tokens: dict[Role, str]) -> dict[str, str]:
    return bearer(tokens[Role.READER])


@pytest.fixture
def recorder(tokens: dict[Role, str]) -> dict[str, str]:
    return bearer(tokens[Role.RECORDER])


@pytest.fixture
def call(services: Services, world: World) -> UUID:
    """A call of the world's filière, open for candidacies."""
    return open_call(services.app, SETUP, world)
