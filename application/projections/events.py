"""Helpers the projections share to read events: their topics and their decisions."""

from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.utils import get_topic

from application.projections.records import DecisionNote
from domain.base import DomainEvent


def topics_handled(projection_class: type) -> tuple[str, ...]:
    """The topics of the event classes a projection's `process_event` is registered for.

    Declared once, by the handlers, so that `topics` (which filters what the
    log subscription delivers) cannot drift from what the projection handles.
    """
    dispatcher = vars(projection_class)["process_event"].dispatcher
    return tuple(sorted(get_topic(cls) for cls in dispatcher.registry if cls is not object))


def event_name(event: DomainEvent) -> str:
    """`Call.CandidacySelected`: the aggregate and the event, as auditors read them."""
    return type(event).__qualname__


def decision_note(event: Any, tracking: Tracking) -> DecisionNote:
    decision = event.decision
    return DecisionNote(
        position=tracking.notification_id,
        aggregate_id=event.originator_id,
        event=event_name(event),
        decided_on=decision.decided_on,
        body_id=decision.body_id,
        rationale=decision.rationale,
    )
