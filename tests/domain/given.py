"""Helpers shared by the domain tests (this module holds no test)."""

from collections.abc import Callable

import pytest

from domain.base import Aggregate
from domain.errors import DomainError


def event_types(aggregate: Aggregate) -> list[str]:
    return [type(e).__name__ for e in aggregate.collect_events()]


def assert_refused(
    aggregate: Aggregate, error: type[DomainError], match: str, command: Callable[[], object]
) -> None:
    """The command raises `error`, and the aggregate neither changed version nor holds an event."""
    version = aggregate.version
    with pytest.raises(error, match=match):
        command()
    assert aggregate.version == version
    assert aggregate.collect_events() == []
