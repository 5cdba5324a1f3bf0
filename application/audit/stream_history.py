"""The history of one aggregate: each version's stored event and the state it left.

The state is rebuilt by the library itself, one stored event at a time
(`mapper.to_domain_event`, then `event.mutate`), so an auditor sees exactly
what the application would have loaded at that version, not a re-reading of
the current code's views.
"""

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Protocol, cast
from uuid import UUID

from eventsourcing.domain import CanMutateAggregate
from eventsourcing.persistence import Mapper, StoredEvent
from pydantic import BaseModel

from application.audit.event_record import AuditEvent
from domain.base import Aggregate
from domain.errors import NotFoundError


@dataclass(frozen=True)
class LoggedEvent:
    """One stored event as the log holds it, and as auditors read it (with its chain hashes)."""

    record: AuditEvent
    stored: StoredEvent


class StreamSource(Protocol):
    """Where the audit reads an aggregate's stored events, with their positions and hashes."""

    def stream(self, aggregate_id: UUID) -> list[LoggedEvent]:
        """Every stored event of the aggregate, in version order; empty for an unknown id."""
        ...


@dataclass(frozen=True)
class StreamVersion:
    event: AuditEvent
    state: dict[str, Any]
    """The aggregate after the event, as plain JSON."""


@dataclass(frozen=True)
class StreamHistory:
    aggregate_id: UUID
    aggregate_type: str
    versions: list[StreamVersion]


def stream_history(mapper: Mapper[Any], source: StreamSource, aggregate_id: UUID) -> StreamHistory:
    """Every version of the aggregate, oldest first; NotFoundError when nothing has that id."""
    logged = source.stream(aggregate_id)
    if not logged:
        raise NotFoundError(f"no aggregate with id {aggregate_id}")
    versions = []
    aggregate: Aggregate | None = None
    for entry in logged:
        event = cast(CanMutateAggregate[UUID], mapper.to_domain_event(entry.stored))
        aggregate = cast(Aggregate, event.mutate(aggregate))
        versions.append(StreamVersion(event=entry.record, state=aggregate_state(aggregate)))
    return StreamHistory(
        aggregate_id=aggregate_id,
        aggregate_type=logged[0].record.aggregate_type,
        versions=versions,
    )


def aggregate_state(aggregate: Aggregate) -> dict[str, Any]:
    """The aggregate's id, version and public attributes as JSON values."""
    state: dict[str, Any] = {"id": str(aggregate.id), "version": aggregate.version}
    for name, value in vars(aggregate).items():
        if not name.startswith("_"):
            state[name] = plain(value)
    return state


def plain(value: Any) -> Any:
    """A domain value as JSON: ids, days and instants as text, amounts with two places.

    Sets are sorted so that two replays of one history render identically.
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(plain(k)): plain(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((plain(v) for v in value), key=repr)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return str(value)
