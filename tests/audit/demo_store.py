"""A store holding the Roannais history, recorded once per test module and backend.

The report tests only read, so one recording serves a whole module: the demo
takes seconds, and every test would otherwise record it again.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from api.bootstrap import Services, build
from application.roannais_history import RoannaisIds, record_roannais_history
from tests.conftest import fresh_store

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
"""Params of a module-scoped fixture that runs its tests on SQLite, then on PostgreSQL."""


@dataclass(frozen=True)
class DemoStore:
    url: str
    services: Services
    ids: RoannaisIds


@contextmanager
def demo_store(request: pytest.FixtureRequest) -> Iterator[DemoStore]:
    """The demo recorded in a new store of the backend `request.param` names, removed after."""
    with fresh_store(request.param, request) as url:
        services = build(database_url=url)
        try:
            ids = record_roannais_history(services.app)
            yield DemoStore(url, services, ids)
        finally:
            services.close()
