"""The eventsourcing Application the commands share: load, check, act, save."""

import logging
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any, ClassVar, Protocol, TypeVar, cast, runtime_checkable
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError

from application.audit.snapshot_proof import seal_proven_snapshots
from application.command import Command, Handler, handlers_of
from application.context import CommandContext, CommandResult
from application.decision_checks import DecisionSubject, check_decision, interests_in
from domain.base import Aggregate, DomainEvent, EventRef
from domain.decision import Decision
from domain.errors import (
    ConcurrencyError,
    NotFoundError,
    ReversalError,
    StaleVersionError,
)
from domain.governing_body import GoverningBody
from domain.naming import ids
from domain.organisation import Organisation

logger = logging.getLogger(__name__)
A = TypeVar("A", bound=Aggregate)

# Positions recorded inside `holding_listeners()`, per thread or task, so concurrent requests
# sharing one application never see each other's.
_held_positions: ContextVar[list[int] | None] = ContextVar("held_positions", default=None)


@dataclass(frozen=True)
class CheckedDecision:
    """A decision that passed the checks: as recorded, what it reverses, the body that took it."""

    decision: Decision
    reverses: int | None
    body: GoverningBody
    subject: DecisionSubject


@runtime_checkable
class KnowsLastVersion(Protocol):
    """A recorder that reads an aggregate's last version without loading its event."""

    def last_version(self, originator_id: UUID) -> int | None: ...


class FilieresApplicationBase(Application[UUID]):
    """Configured by `infrastructure.persistence.event_store_env` (store, mapper, transcoder)."""

    name = "Filieres"
    handlers: ClassVar[dict[type[Command], Handler[Any, Any]]] = {}
    """Each command class's handler, as the `@handler` methods of this class declare them."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        super().__init__(env)
        seal_proven_snapshots(self)  # a store older than snapshot seals: once
        self.after_record: list[Callable[[int], None]] = []
        """Called with the log position of each command's last event (the views catch up)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.handlers = handlers_of(cls)

    def execute(self, ctx: CommandContext, command: Command) -> CommandResult:
        """Run `command` through the handler of its class (a method marked `@handler`)."""
        handle = self.handlers.get(type(command))
        if handle is None:
            raise TypeError(f"{type(self).__name__} has no handler for {type(command).__name__}")
        return handle(self, ctx, command)

    # Loading
    def load(self, aggregate_type: type[A], aggregate_id: UUID, version: int | None = None) -> A:
        """An aggregate of the given type, current or at a version; NotFoundError otherwise."""
        label = _label(aggregate_type)
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            raise NotFoundError(f"no {label} with id {aggregate_id}") from None
        if not isinstance(aggregate, aggregate_type):
            raise NotFoundError(f"no {label} with id {aggregate_id}")
        if version is not None and aggregate.version != version:
            raise NotFoundError(f"{label} {aggregate_id} has no version {version}")
        return aggregate

    def load_for_update(
        self, aggregate_type: type[A], aggregate_id: UUID, expected_version: int | None
    ) -> A:
        aggregate = self.load(aggregate_type, aggregate_id)
        if expected_version is not None and aggregate.version != expected_version:
            named = ids(aggregate) if isinstance(aggregate, Organisation | GoverningBody) else ""
            raise StaleVersionError(
                f"{_label(aggregate_type)} {aggregate_id} is at version"
                f" {aggregate.version}, not {expected_version}{named}"
            )
        return aggregate

    # Saving
    def record(self, ctx: CommandContext, *aggregates: Aggregate) -> CommandResult:
        """Save the aggregates' new events in one transaction, stamped with ctx's metadata.

        The first is the command's subject; the others (what it is checked against) are
        saved before it, so that the command's position is that of the subject's last event.
        """
        metadata = ctx.metadata()
        for aggregate in aggregates:
            pending = cast(list[DomainEvent], aggregate.pending_events)
            pending[:] = [event.model_copy(update={"meta": metadata}) for event in pending]
        try:
            recordings = self.save(*aggregates[1:], aggregates[0])
        except IntegrityError:
            raise ConcurrencyError(
                "another command changed the same aggregate at the same time; read it again"
                " and retry"
            ) from None
        position = recordings[-1].notification.id
        held = _held_positions.get()
        if held is None:
            self._tell_listeners(position)
        else:
            held.append(position)
        main = aggregates[0]
        return CommandResult(id=main.id, version=main.version, position=position)

    @contextmanager
    def holding_listeners(self) -> Iterator[None]:
        """Tell `after_record` listeners only once the block ends without error.

        For a command saved inside a larger transaction: its events are not
        committed, so not visible to the views, until that transaction ends.
        """
        held: list[int] = []
        token = _held_positions.set(held)
        try:
            yield
        finally:
            _held_positions.reset(token)
        if held:
            self._tell_listeners(max(held))

    def _tell_listeners(self, position: int) -> None:
        for listener in self.after_record:
            try:
                listener(position)
            except Exception:
                # The command is stored; a view that failed catches up at the next read.
                logger.exception("a listener failed after the command at position %s", position)

    def current_version(self, aggregate_id: UUID) -> int | None:
        """The version of an aggregate's last stored event, without loading it; None if unknown."""
        if isinstance(self.recorder, KnowsLastVersion):
            return self.recorder.last_version(aggregate_id)
        last = self.recorder.select_events(aggregate_id, desc=True, limit=1)
        return last[0].originator_version if last else None

    # Decisions
    def check_decision(
        self, decision: Decision, subject: DecisionSubject, subject_id: UUID | None = None
    ) -> CheckedDecision:
        """Refuse a decision governance does not allow; the decision as it will be recorded."""
        body = self.load(GoverningBody, decision.body_id)
        checked = check_decision(body, decision, subject, self._organisation_name)
        if decision.reverses is not None and subject_id is None:
            raise ReversalError("a decision that creates something has nothing to reverse")
        reverses = self.reversed_version(decision, subject_id) if subject_id else None
        return CheckedDecision(checked, reverses, body, subject)

    def record_decided(
        self, ctx: CommandContext, checked: CheckedDecision, *aggregates: Aggregate
    ) -> CommandResult:
        """Save the decided aggregate(s) and, for a decision taken in a sitting, its body's
        délibération number, in one transaction: two decisions never get the same number."""
        decision = checked.decision
        if decision.sitting_id is None or decision.deliberation_number is None:
            return self.record(ctx, *aggregates)
        body = checked.body
        number = body.number_deliberation(
            decision.sitting_id,
            decision.decided_on,
            aggregates[0].id,
            checked.subject.description,
            decision.recused,
            interests_in(body, checked.subject, decision.recused, decision.decided_on),
        )
        assert number == decision.deliberation_number, "the body moved on since the check"
        result = self.record(ctx, *aggregates, checked.body)
        return replace(result, deliberation_number=number)

    def _organisation_name(self, organisation_id: UUID) -> str:
        return f"{self.load(Organisation, organisation_id).name!r} ({organisation_id})"

    def reversed_version(self, decision: Decision, aggregate_id: UUID) -> int | None:
        """The version of the decision event that `decision.reverses` names, if any."""
        if decision.reverses is None:
            return None
        found = self.recorder.select_notifications(start=decision.reverses, limit=1)
        if not found or found[0].id != decision.reverses:
            raise ReversalError(f"no event at log position {decision.reverses} to reverse")
        notification = found[0]
        if notification.originator_id != aggregate_id:
            raise ReversalError(
                f"the event at position {decision.reverses} belongs to another aggregate;"
                " a decision reverses only a decision on the same subject"
            )
        event = self.mapper.to_domain_event(notification)
        if getattr(event, "decision", None) is None:
            raise ReversalError(f"the event at position {decision.reverses} is not a decision")
        return notification.originator_version

    def event_ref(self, aggregate_id: UUID, version: int | None) -> EventRef | None:
        return None if version is None else EventRef(aggregate_id=aggregate_id, version=version)


def _label(aggregate_type: type) -> str:
    """`GoverningBody` → `governing body`, as error messages name it."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", aggregate_type.__name__).lower()
