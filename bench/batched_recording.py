"""The application's own commands, their events written many commands to a transaction.

For generating large stores only. Each command runs exactly as in
`FilieresApplication` (load, check, decide, stamp its metadata, save); `save`
here keeps the events in memory instead of writing them, and `flush()` writes
what accumulated through the library's own event store — the same stored
events, the same integrity chain rows, the same snapshots — in one
transaction. Until then the commands load the aggregates they changed from
memory, where they hold exactly the state a replay of their pending events
would give.

A command's result names the log position its last event will take. The
positions are predicted from the log's end, and `flush()` checks the store
gave exactly those: the store must have one writer while this runs.
"""

from collections import OrderedDict
from collections.abc import Mapping
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import ProcessingEvent
from eventsourcing.domain import DomainEventProtocol, MutableOrImmutableAggregate
from eventsourcing.persistence import Notification, Recording

from application.filieres_app import FilieresApplication
from domain.base import Aggregate
from domain.decision import Decision

LOADED_KEPT = 20_000
"""Aggregates kept in memory after they were written (bodies, calls in progress)."""


class BatchedFilieresApplication(FilieresApplication):
    name = FilieresApplication.name  # the same tables, not a log of its own

    def __init__(self, env: Mapping[str, str] | None = None, batch_events: int = 2_000) -> None:
        super().__init__(env)
        self.batch_events = batch_events
        self._pending: ProcessingEvent[UUID] = ProcessingEvent()
        self._in_memory: OrderedDict[UUID, Aggregate] = OrderedDict()
        self._next_position = (self.recorder.max_notification_id() or 0) + 1
        self._first_pending = self._next_position

    def save(  # type: ignore[override]
        self,
        *objs: MutableOrImmutableAggregate[UUID] | DomainEventProtocol[UUID] | None,
        **kwargs: Any,
    ) -> list[Recording[UUID]]:
        before = len(self._pending.events)
        self._pending.collect_events(*objs, **kwargs)
        recordings = []
        for event in self._pending.events[before:]:
            recordings.append(Recording(event, _placeholder(event, self._next_position)))
            self._next_position += 1
        for obj in objs:
            if isinstance(obj, Aggregate):
                self._keep(obj)
        if len(self._pending.events) >= self.batch_events:
            self.flush()
        return recordings

    def load(
        self, aggregate_type: type[Any], aggregate_id: UUID, version: int | None = None
    ) -> Any:
        kept = self._in_memory.get(aggregate_id) or self._pending.aggregates.get(aggregate_id)
        if kept is not None and version is None and isinstance(kept, aggregate_type):
            self._in_memory.move_to_end(aggregate_id)
            return kept
        if version is not None or kept is not None:
            # An earlier version, or an aggregate asked for as another type: the store answers.
            self.flush()
        return super().load(aggregate_type, aggregate_id, version)

    def reversed_version(self, decision: Decision, aggregate_id: UUID) -> int | None:
        if decision.reverses is not None and decision.reverses >= self._first_pending:
            self.flush()  # the reversed decision must be readable from the log
        return super().reversed_version(decision, aggregate_id)

    def flush(self) -> None:
        """Write every pending event in one transaction; check each took its predicted position."""
        pending, self._pending = self._pending, ProcessingEvent()
        if not pending.events:
            return
        recordings = self._record(pending)
        expected = range(self._first_pending, self._first_pending + len(pending.events))
        got = [r.notification.id for r in recordings]
        if got != list(expected):
            raise RuntimeError(
                f"the store gave positions {got[0]}..{got[-1]}, not {expected[0]}..{expected[-1]}:"
                " another process wrote to it"
            )
        self._first_pending = self._next_position
        self._take_snapshots(pending)

    def event_count(self) -> int:
        return self._next_position - 1

    def _keep(self, aggregate: Aggregate) -> None:
        self._in_memory[aggregate.id] = aggregate
        self._in_memory.move_to_end(aggregate.id)
        while len(self._in_memory) > LOADED_KEPT:
            self._in_memory.popitem(last=False)


def _placeholder(event: DomainEventProtocol[UUID], position: int) -> Notification:
    """What the commands read of a recording: its position. The real one comes at `flush()`."""
    return Notification(
        id=position,
        originator_id=event.originator_id,
        originator_version=cast(int, event.originator_version),
        topic="",
        state=b"",
    )
