"""A store holding the Roannais history for a whole test module (or package), and its app.

The report tests only read, so one store serves a module: a copy of the demo
recorded once per session and backend (`demo_copy` in tests/conftest.py).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from api.bootstrap import Services, build
from application.roannais_history import RoannaisIds
from tests.conftest import BACKENDS, demo_copy

__all__ = ["BACKENDS", "DemoStore", "demo_store"]


@dataclass(frozen=True)
class DemoStore:
    url: str
    services: Services
    ids: RoannaisIds


@contextmanager
def demo_store(request: pytest.FixtureRequest) -> Iterator[DemoStore]:
    """A copy of the demo in a new store of the backend `request.param` names, removed after."""
    with demo_copy(request.param, request) as (url, ids):
        services = build(database_url=url)
        try:
            yield DemoStore(url, services, ids)
        finally:
            services.close()
