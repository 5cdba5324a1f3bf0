"""Helpers shared by the domain tests (this module holds no test)."""

from collections.abc import Callable
from datetime import date
from uuid import uuid4

import pytest

from domain.base import Aggregate
from domain.call import Call
from domain.decision import Decision
from domain.errors import DomainError
from domain.filiere import Filiere

BODY = uuid4()
OPENS, CLOSES = date(2011, 3, 1), date(2011, 6, 30)


def decided(on: date) -> Decision:
    """A decision of some body on `on` (the domain does not check who decides)."""
    return Decision(body_id=BODY, decided_on=on, decided_by=("Présidente A",), rationale="test")


def an_open_call(filiere: Filiere, title: str = "Appel", **limits: object) -> Call:
    """A call open from OPENS to CLOSES, launched 2011-02-01, its events collected."""
    call = Call.launch(
        filiere,
        title,
        "call_for_projects",
        uuid4(),
        OPENS,
        CLOSES,
        decided(date(2011, 2, 1)),
        **limits,  # type: ignore[arg-type]
    )
    call.collect_events()
    return call


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
