"""The event and aggregate bases: pydantic events on the library's Aggregate.

Every event carries `effective_on` (when it happened in the world) beside the
library's `timestamp` (when it was recorded), and `meta`, the envelope that the
application stamps when it stores the event (who recorded it, in which request,
caused by which earlier event).

A long-lived aggregate also has a snapshot: its attributes at one version,
which the library's repository loads before the events that follow it.
"""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate as LibraryAggregate
from eventsourcing.domain import CanInitAggregate, CanMutateAggregate, CanSnapshotAggregate
from eventsourcing.utils import resolve_topic
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_serializer,
    model_serializer,
    model_validator,
)

from domain.text import Assumption, Citation
from domain.values import ValueObject


class EventRef(ValueObject):
    """Points at one stored event: an aggregate's id and version."""

    aggregate_id: UUID
    version: int


class Source(ValueObject):
    """Where a recorded fact is written: a document (a minute, a convention, a public
    sheet) and, if given, the place in it (a section, a page, an article)."""

    document: Citation
    locator: Citation | None = None


class EventMetadata(ValueObject):
    """Set by the application when storing; never by the domain."""

    recorded_by: str
    correlation_id: UUID
    causation: EventRef | None = None
    source: Source | None = None
    assumptions: tuple[Assumption, ...] = ()

    @property
    def rests_on_assumption(self) -> bool:
        return bool(self.assumptions)

    @model_serializer(mode="wrap")
    def _cited_only_when_given(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # An event recorded without a source or assumptions is stored as it was before they
        # existed: same JSON, same hashes.
        dumped: dict[str, Any] = handler(self)
        if dumped.get("source") is None:
            dumped.pop("source", None)
        if not dumped.get("assumptions"):
            dumped.pop("assumptions", None)
        return dumped


class DomainEvent(BaseModel):
    """An immutable fact, validated by pydantic."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    originator_id: UUID
    originator_version: int
    timestamp: datetime
    effective_on: date
    meta: EventMetadata | None = None

    def fields_of(self, value: type[BaseModel]) -> dict[str, Any]:
        """This event's fields that `value` also has: the value the event records."""
        mine = type(self).model_fields
        return {name: getattr(self, name) for name in value.model_fields if name in mine}


class AggregateState(BaseModel):
    """An aggregate's attributes as its snapshot holds them.

    Each snapshotted aggregate declares a subclass listing every attribute it
    sets, typed, so that a snapshot reads back as the objects a replay gives.
    An attribute left out is refused when the snapshot is taken, never dropped.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    created_on: datetime = Field(alias="_created_on")
    modified_on: datetime = Field(alias="_modified_on")


class AggregateSnapshot(BaseModel, CanSnapshotAggregate[UUID]):
    """The library's snapshot as a pydantic model, stored by the same mapper as the events.

    As in the library, the stored state carries the aggregate's `class_version`
    when above 1, and a state stored by an older version is upcast by the
    aggregate's `upcast_vN_vN+1` static methods, here before it is validated.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    originator_id: UUID
    originator_version: int
    timestamp: datetime
    topic: str
    state: AggregateState

    @model_validator(mode="before")
    @classmethod
    def _upcast_state(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not isinstance(data.get("state"), dict):
            return data
        aggregate_class = resolve_topic(data["topic"])
        state = dict(data["state"])
        version = state.pop("class_version", 1)
        while version < getattr(aggregate_class, "class_version", 1):
            getattr(aggregate_class, f"upcast_v{version}_v{version + 1}")(state)
            version += 1
        return {**data, "state": state}

    @field_serializer("state", mode="wrap")
    def _with_class_version(
        self, state: AggregateState, handler: SerializerFunctionWrapHandler
    ) -> dict[str, Any]:
        dumped: dict[str, Any] = handler(state)
        version = getattr(resolve_topic(self.topic), "class_version", 1)
        if version > 1:
            dumped["class_version"] = version
        return dumped

    def mutate(self, _: Any) -> "Aggregate":
        """The aggregate as it was at this version (the library's `take` made the snapshot)."""
        aggregate: Aggregate = object.__new__(resolve_topic(self.topic))
        fields = type(self.state).model_fields
        aggregate.__dict__.update(
            {field.alias or name: getattr(self.state, name) for name, field in fields.items()},
            _id=self.originator_id,
            _version=self.originator_version,
            _pending_events=[],
        )
        return aggregate


class Aggregate(LibraryAggregate):
    """Base of the six aggregates."""

    class Event(DomainEvent, CanMutateAggregate[UUID]):
        pass

    class Created(Event, CanInitAggregate[UUID]):
        originator_topic: str

    # Not the library's dataclass snapshot, which our mapper cannot store. Each snapshotted
    # aggregate narrows it to a snapshot of its own state.
    Snapshot = AggregateSnapshot  # type: ignore[assignment]
