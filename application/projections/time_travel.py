"""Views as they stood at the end of a day (effective time) or as known at an instant (recorded).

Computed from the events, by the same projections that keep the current
views, folded over only the events that pass the cutoff: no separate logic
that could drift from what the views show today.
"""

from abc import ABC, abstractmethod
from datetime import UTC, date, datetime
from uuid import UUID

from application.projections.detail_records import CallDetails, FundingLedger, ProjectDetails
from application.projections.records import FiliereOverview, ReadModel


class Cutoff(ReadModel):
    """Which events count: those effective by the end of `as_of` and recorded by `known_at`.

    An event counts for `as_of` from its `visible_on` day: its effective day,
    never before the earlier events of its own aggregate or of its parent.
    """

    as_of: date | None = None
    known_at: datetime | None = None

    @property
    def is_now(self) -> bool:
        return self.as_of is None and self.known_at is None

    @property
    def known_at_utc(self) -> datetime | None:
        """A naive instant is read as UTC, the zone every instant is stored in."""
        if self.known_at is None or self.known_at.tzinfo is not None:
            return self.known_at
        return self.known_at.replace(tzinfo=UTC)

    def describe(self) -> str:
        parts = []
        if self.as_of is not None:
            parts.append(f"as of {self.as_of}")
        if self.known_at is not None:
            parts.append(f"as known at {self.known_at.isoformat()}")
        return " and ".join(parts)


class HistoricalViews(ABC):
    """The views' read models under a cutoff; None for what did not exist (or was not known) yet."""

    @abstractmethod
    def overview(self, filiere_id: UUID, cutoff: Cutoff) -> FiliereOverview | None: ...

    @abstractmethod
    def call(self, call_id: UUID, cutoff: Cutoff) -> CallDetails | None: ...

    @abstractmethod
    def project(self, project_id: UUID, cutoff: Cutoff) -> ProjectDetails | None: ...

    @abstractmethod
    def funding(self, funding_id: UUID, cutoff: Cutoff) -> FundingLedger | None: ...
