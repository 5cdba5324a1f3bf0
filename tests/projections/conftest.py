"""Services wired as the CLI and the API wire them, on SQLite and on PostgreSQL."""

from collections.abc import Iterator

import pytest

from api.bootstrap import Services, build
from application.projections.updater import ViewUpdater


@pytest.fixture
def unfollowed(database_url: str) -> Iterator[Services]:
    """Commands recorded while nothing keeps the views current."""
    built = build(database_url=database_url, follow_in_process=False)
    yield built
    built.close()


def contents(updater: ViewUpdater) -> dict[str, dict[str, list[tuple[object, ...]]]]:
    return {view.name: view.table_contents() for view in updater.views}


def positions(updater: ViewUpdater) -> dict[str, int]:
    return {s.name: s.position for s in updater.status()}
