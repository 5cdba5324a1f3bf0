"""Each event goes to the handler of its nearest class: a new kind of decision needs no new one."""

from typing import ClassVar

import pytest
from eventsourcing.utils import get_topic

from application.projections.views import VIEWS, call_details, decision_register, filiere_overview
from domain.call import Call
from domain.candidacy import CandidacyDecided, CandidacyStatus
from domain.decision import Decided
from domain.events import ALL_EVENTS


class CandidacyDeferred(CandidacyDecided):
    """A kind of candidacy decision no view has heard of."""

    new_status: ClassVar[CandidacyStatus] = CandidacyStatus.REJECTED


@pytest.mark.parametrize("kind", [CandidacyDeferred, Call.SelectionWithdrawn])
def test_a_new_kind_of_candidacy_decision_is_handled_by_the_views_as_it_is(kind) -> None:
    assert decision_register.VIEW.handler_for(kind) is decision_register.candidacy_decided
    assert call_details.VIEW.handler_for(kind) is call_details.decided
    assert filiere_overview.VIEW.handler_for(kind) is filiere_overview.candidacy_moved


def test_every_decision_has_its_row_in_the_register_and_every_event_is_indexed() -> None:
    register, index = decision_register.VIEW, next(v for v in VIEWS if v.name == "event_index")
    decisions = [c for c in ALL_EVENTS if issubclass(c, Decided)]
    assert len(decisions) == 11
    assert all(register.handler_for(c) is not None for c in decisions)
    assert set(index.topics) == {get_topic(c) for c in ALL_EVENTS}


def test_what_a_view_does_not_handle_is_not_delivered_to_it() -> None:
    funding_events = {t for t in ALL_EVENTS if t.__qualname__.startswith("Funding.")}
    assert {get_topic(c) for c in funding_events} == set(
        next(v for v in VIEWS if v.name == "funding_ledger").topics
    )
