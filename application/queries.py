"""Queries on aggregates: by id, at a version, and the programme summary read from the log.

The read models of the projections issue will replace the summary's full scan.
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar, cast
from uuid import UUID

from eventsourcing.utils import get_topic

from application.base import FilieresApplicationBase
from domain.base import Aggregate
from domain.call import Call
from domain.filiere import Filiere
from domain.funding import Funding
from domain.organisation import Organisation
from domain.project import Project

A = TypeVar("A", bound=Aggregate)
PAGE = 500


@dataclass
class FiliereSummary:
    """What `make run` prints per filière."""

    name: str
    kind: str
    lead_partner: str
    calls: int = 0
    candidacies: Counter[str] = field(default_factory=Counter)
    projects: Counter[str] = field(default_factory=Counter)
    granted: Decimal = Decimal("0.00")
    disbursed: Decimal = Decimal("0.00")
    lines_without_amount: int = 0


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

    def programme_summary(self) -> list[FiliereSummary]:
        organisations = {o.id: o for o in self.all_of(Organisation)}
        summaries = {
            f.id: FiliereSummary(f.name, f.kind, organisations[f.lead_partner_id].name)
            for f in self.all_of(Filiere)
        }
        for call in self.all_of(Call):
            summary = summaries[call.filiere_id]
            summary.calls += 1
            summary.candidacies.update(c.status.value for c in call.candidacies.values())
        projects = {p.id: p for p in self.all_of(Project)}
        for project in projects.values():
            summaries[project.filiere_id].projects[project.status.value] += 1
        for funding in self.all_of(Funding):
            if funding.is_cancelled:
                continue
            summary = summaries[projects[funding.project_id].filiere_id]
            if funding.amount is None:
                summary.lines_without_amount += 1
            else:
                summary.granted += funding.amount
            summary.disbursed += funding.disbursed
        return list(summaries.values())


def _created_event_classes(aggregate_type: type[Aggregate]) -> list[type]:
    return [
        value
        for value in vars(aggregate_type).values()
        if isinstance(value, type) and issubclass(value, Aggregate.Created)
    ]
