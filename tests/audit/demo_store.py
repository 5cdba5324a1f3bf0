"""A store holding the Roannais history, recorded once per test module and backend.

The report tests only read, so one recording serves a whole module: the demo
takes seconds, and every test would otherwise record it again.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
import pytest

from api.bootstrap import Services, build
from application.roannais_history import RoannaisIds, record_roannais_history

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
"""Params of a module-scoped fixture that runs its tests on SQLite, then on PostgreSQL."""


@dataclass(frozen=True)
class DemoStore:
    url: str
    services: Services
    ids: RoannaisIds


@contextmanager
def demo_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoStore]:
    """The demo recorded in a new store of the backend `request.param` names, removed after."""
    with _new_database(request, tmp_path_factory) as url:
        services = build(database_url=url)
        try:
            ids = record_roannais_history(services.app)
            yield DemoStore(url, services, ids)
        finally:
            services.close()


@contextmanager
def _new_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('demo') / 'filieres.db'}"
        return
    # As tests/conftest.py's `postgres_url`, which is per test, not per module.
    admin_url: str = request.getfixturevalue("postgres_admin_url")
    name = f"filieres_test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{admin_url.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
