"""Fixtures for the command-line tests: the demo store shared by a module's tests."""

from collections.abc import Iterator

import pytest

from tests.audit.demo_store import BACKENDS, DemoStore, demo_store


@pytest.fixture(scope="package", params=BACKENDS)
def demo(request: pytest.FixtureRequest) -> Iterator[DemoStore]:
    """The demo in one store for these tests, which only read it (and issue tokens)."""
    with demo_store(request) as store:
        yield store
