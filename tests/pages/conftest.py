"""The pages on the demo store: one copy of the Roannais history for every test here (the
pages only read it), the real app over it, and a token per role.

On SQLite only: the pages read through the same queries as the API, whose tests already
run on both backends; what is tested here is what a person sees.
"""

import re
from collections.abc import Iterator
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from api.bootstrap import Services, build
from application.roannais_history import RoannaisIds
from infrastructure.auth_store import Role
from tests.api.http import client_on
from tests.conftest import demo_copy

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture(scope="session")
def demo_store(request: pytest.FixtureRequest) -> Iterator[tuple[Services, RoannaisIds]]:
    with demo_copy("sqlite", request) as (url, ids):
        services = build(database_url=url)
        try:
            yield services, ids
        finally:
            services.close()


@pytest.fixture(scope="session")
def services(demo_store: tuple[Services, RoannaisIds]) -> Services:
    return demo_store[0]


@pytest.fixture(scope="session")
def ids(demo_store: tuple[Services, RoannaisIds]) -> RoannaisIds:
    return demo_store[1]


@pytest.fixture(scope="session")
def viandes(ids: RoannaisIds) -> UUID:
    return ids.filieres["viandes"]


@pytest.fixture(scope="session")
def tokens(services: Services) -> dict[Role, str]:
    return {role: services.tokens.issue(f"{role.value.title()} Lecteur", role) for role in Role}


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    """A browser without cookies, that does not follow redirects by itself."""
    with client_on(services, follow_redirects=False) as client:
        yield client


def sign_in(client: TestClient, token: str, suite: str = "/") -> None:
    form = client.get("/session")
    csrf = CSRF.search(form.text)
    assert csrf, form.text
    answer = client.post("/session", data={"csrf": csrf.group(1), "token": token, "suite": suite})
    assert answer.status_code == 303, answer.text


@pytest.fixture
def reader(client: TestClient, tokens: dict[Role, str]) -> TestClient:
    """The client, signed in with a reader's token."""
    sign_in(client, tokens[Role.READER])
    return client
