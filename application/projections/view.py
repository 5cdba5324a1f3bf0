"""A view: its name, version, tables and handlers; the store that keeps it; its projection.

A view module declares one `View`, its tables, and registers a handler per
event class (or per base class, for every event that shares it):

    VIEW = View("funding_ledger", version=1, tables=(FUNDINGS, ENTRIES))

    @VIEW.handles
    def granted(event: Funding.Granted, rows: Rows, at: Tracking) -> None: ...

The handler's first parameter says which events it takes; an event goes to
the handler of the nearest class in its MRO. The view's `topics` (what the
log subscription delivers) follow from the handlers.

Its `ViewStore`, a tracking recorder, applies each event exactly once: the
rows a handler changes and the view's position commit in one transaction.
"""

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from types import UnionType
from typing import TypeVar, Union, cast, get_args, get_origin, get_type_hints

from eventsourcing.persistence import Tracking, TrackingRecorder
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic

from application.projections.rows import Reader, Rows
from application.projections.tables import Table
from domain.base import DomainEvent
from domain.events import ALL_EVENTS

E = TypeVar("E", bound=DomainEvent)
Handler = Callable[[DomainEvent, Rows, Tracking], None]
AnyTable = Table[Mapping[str, object]]


class View:
    """What a view is made of; its store and projection are built from it."""

    def __init__(self, name: str, version: int, tables: Sequence[AnyTable]) -> None:
        self.name = name
        self.version = version
        """Bumped by code that changes the view's tables or meaning; a bump rebuilds it at start."""
        self.tables = tuple(tables)
        self._handlers: dict[type, Handler] = {}
        self._resolved: dict[type, Handler | None] = {}

    def handles(
        self, handler: Callable[[E, Rows, Tracking], None]
    ) -> Callable[[E, Rows, Tracking], None]:
        """Register `handler` for the event class(es) its first parameter is annotated with."""
        first = next(iter(get_type_hints(handler).values()))
        classes = get_args(first) if get_origin(first) in (Union, UnionType) else (first,)
        for event_class in classes:
            if event_class in self._handlers:
                raise TypeError(f"{self.name} already handles {event_class.__qualname__}")
            self._handlers[event_class] = cast(Handler, handler)
        self._resolved.clear()
        return handler

    def handler_for(self, event_class: type) -> Handler | None:
        """The handler of the nearest class of `event_class`'s MRO; None: the view ignores it."""
        try:
            return self._resolved[event_class]
        except KeyError:
            found = next(
                (self._handlers[c] for c in event_class.__mro__ if c in self._handlers), None
            )
            self._resolved[event_class] = found
            return found

    @property
    def topics(self) -> tuple[str, ...]:
        """The topics of every event class some handler takes."""
        return tuple(sorted(get_topic(c) for c in ALL_EVENTS if self.handler_for(c) is not None))


class ViewBatch(ABC):
    """Several events applied in one transaction, the view's position written once at the end."""

    position: int
    """The view's position when the batch began, read under a lock."""

    @abstractmethod
    def advance_to(self, position: int) -> None:
        """Record that the view has considered every event up to `position`."""


class ViewStore(TrackingRecorder, ABC):
    """Where a view's rows and position are kept: one implementation for every view."""

    definition: View

    @property
    def name(self) -> str:
        return self.definition.name

    @property
    def version(self) -> int:
        return self.definition.version

    @abstractmethod
    def apply(self, tracking: Tracking, handler: Handler, event: DomainEvent) -> None:
        """Let `handler` change the rows for `event`, unless an event at or past `tracking` was.

        In a batch the changes join the batch's; otherwise they commit at once
        with the position.
        """

    @abstractmethod
    def batch(self, application_name: str) -> AbstractContextManager[ViewBatch]:
        """Apply the events processed inside the block in one transaction."""

    @abstractmethod
    def reading(self) -> AbstractContextManager[Reader]:
        """The view's rows for one read."""

    @abstractmethod
    def stored_version(self) -> int | None:
        """The version the stored tables were built with, None when they were never built."""

    @abstractmethod
    def record_version(self) -> None:
        """Mark tables created empty just now as built at the code's version (no drop)."""

    @abstractmethod
    def reset(self) -> None:
        """Drop the view's tables and position, create them empty at the code's version."""

    @abstractmethod
    def table_contents(self) -> dict[str, list[tuple[object, ...]]]:
        """Every table of the view with its rows in a stable order (to compare two builds)."""


class ViewProjection(Projection[ViewStore]):
    """The library's projection for any view: each event to the view's handler for it."""

    def __init__(self, view: ViewStore) -> None:
        super().__init__(view)
        self.name = view.name
        self.topics = view.definition.topics
        self._handler_for = view.definition.handler_for

    def process_event(self, domain_event: DomainEvent, tracking: Tracking) -> None:
        handler = self._handler_for(type(domain_event))
        if handler is not None:
            self.view.apply(tracking, handler, domain_event)
