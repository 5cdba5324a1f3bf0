"""The event and aggregate bases: pydantic events on the library's Aggregate.

Every event carries `effective_on` (when it happened in the world) beside the
library's `timestamp` (when it was recorded), and `meta`, the envelope that the
application stamps when it stores the event (who recorded it, in which request,
caused by which earlier event).
"""

from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate as LibraryAggregate
from eventsourcing.domain import CanInitAggregate, CanMutateAggregate
from pydantic import BaseModel, ConfigDict

from domain.values import ValueObject


class EventRef(ValueObject):
    """Points at one stored event: an aggregate's id and version."""

    aggregate_id: UUID
    version: int


class EventMetadata(ValueObject):
    """Set by the application when storing; never by the domain."""

    recorded_by: str
    correlation_id: UUID
    causation: EventRef | None = None


class DomainEvent(BaseModel):
    """An immutable fact, validated by pydantic."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    originator_id: UUID
    originator_version: int
    timestamp: datetime
    effective_on: date
    meta: EventMetadata | None = None


class Aggregate(LibraryAggregate):
    """Base of the six aggregates."""

    class Event(DomainEvent, CanMutateAggregate[UUID]):
        pass

    class Created(Event, CanInitAggregate[UUID]):
        originator_topic: str
