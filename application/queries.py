"""Queries on aggregates, read from the log: by id, at a version, all of a type.

What API clients read about the programme comes from the views (application.projections).
"""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TypeVar, cast
from uuid import UUID

from eventsourcing.utils import get_topic

from application.base import FilieresApplicationBase
from domain.base import Aggregate, DomainEvent
from domain.errors import NotFoundError
from domain.filiere import Filiere
from domain.organisation import Organisation

A = TypeVar("A", bound=Aggregate)
PAGE = 500


class ProgrammeQueries(FilieresApplicationBase):
    def event_count(self) -> int:
        return self.recorder.max_notification_id() or 0

    def ids_of(self, aggregate_type: type[Aggregate]) -> Iterator[UUID]:
        """Ids of every aggregate of a type, in the order they were created."""
        created = [get_topic(cls) for cls in _created_event_classes(aggregate_type)]
        start = 1
        while True:
            page = self.recorder.select_notifications(start=start, limit=PAGE, topics=created)
            yield from (cast(UUID, n.originator_id) for n in page)
            if len(page) < PAGE:
                return
            start = page[-1].id + 1

    def load_known_at(self, aggregate_type: type[A], aggregate_id: UUID, known_at: datetime) -> A:
        """The aggregate as its events recorded by `known_at` (UTC when naive) left it;
        NotFoundError when none was recorded yet."""
        if known_at.tzinfo is None:
            known_at = known_at.replace(tzinfo=UTC)
        self.load(aggregate_type, aggregate_id)  # of that type, or NotFoundError
        version = None
        for stored in self.repository.event_store.get(aggregate_id):
            if cast(DomainEvent, stored).timestamp > known_at:
                break
            version = stored.originator_version
        if version is None:
            raise NotFoundError(
                f"{aggregate_type.__name__} {aggregate_id} was not recorded yet at"
                f" {known_at.isoformat()}"
            )
        return self.load(aggregate_type, aggregate_id, version)

    def all_of(self, aggregate_type: type[A]) -> list[A]:
        return [self.load(aggregate_type, i) for i in self.ids_of(aggregate_type)]

    def partners_without_active_filiere(self) -> list[Organisation]:
        """Partners leading no active filière (reported, not blocked)."""
        leading = {f.lead_partner_id for f in self.all_of(Filiere) if f.is_active}
        return [
            o
            for o in self.all_of(Organisation)
            if o.is_partner and not o.is_archived and o.id not in leading
        ]


def _created_event_classes(aggregate_type: type[Aggregate]) -> list[type]:
    return [
        value
        for value in vars(aggregate_type).values()
        if isinstance(value, type) and issubclass(value, Aggregate.Created)
    ]
