"""EventIndex: every event by filière, effective and recorded time, and actor.

Auditors filter the log by these, and time travel selects a filière's events
up to a day or an instant from it without reading the whole log.
"""

from abc import abstractmethod
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic
from pydantic import BaseModel, ConfigDict

from application.projections.events import event_name
from application.projections.view import View
from domain.base import DomainEvent
from domain.events import ALL_EVENTS


class IndexedEvent(BaseModel):
    """What the index learns from one event; the view resolves its filière and `visible_on`."""

    model_config = ConfigDict(frozen=True)

    aggregate_id: UUID
    version: int
    event_type: str
    effective_on: date
    recorded_at: datetime
    recorded_by: str | None
    correlation_id: UUID | None
    filiere_id: UUID | None
    """Known from the event itself (a filière's own events, a call's or project's creation)."""
    parent_id: UUID | None
    """For an aggregate's first event: its filière, or a funding's project."""

    @property
    def aggregate_type(self) -> str:
        return self.event_type.partition(".")[0]


class EventIndexView(View):
    name = "event_index"
    version = 1

    @abstractmethod
    def event_indexed(self, event: IndexedEvent, tracking: Tracking) -> None: ...


class EventIndexProjection(Projection[EventIndexView]):
    name = EventIndexView.name
    topics = tuple(sorted(get_topic(cls) for cls in ALL_EVENTS))

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.event_indexed(indexed(domain_event), tracking)


def indexed(event: DomainEvent) -> IndexedEvent:
    meta = event.meta
    name = event_name(event)
    filiere_id: UUID | None = None
    parent_id: UUID | None = None
    if name.startswith("Filiere."):
        filiere_id = event.originator_id
    elif name in ("Call.Launched", "Project.Proposed"):
        filiere_id = parent_id = getattr(event, "filiere_id")  # noqa: B009
    elif name == "Funding.Granted":
        parent_id = getattr(event, "project_id")  # noqa: B009
    return IndexedEvent(
        aggregate_id=event.originator_id,
        version=event.originator_version,
        event_type=name,
        effective_on=event.effective_on,
        recorded_at=event.timestamp,
        recorded_by=meta.recorded_by if meta else None,
        correlation_id=meta.correlation_id if meta else None,
        filiere_id=filiere_id,
        parent_id=parent_id,
    )
