"""A candidacy: one application to a call, an entity inside the Call aggregate.

It is submitted, may be reviewed, and is then withdrawn by its candidate or
decided once (selected or rejected) by the call's deciding body.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from domain.base import Aggregate
from domain.decision import Decided
from domain.errors import CandidacyAlreadyDecidedError, CandidacyWithdrawnError, ReversalError


class CandidacyStatus(StrEnum):
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    SELECTED = "selected"
    REJECTED = "rejected"


@dataclass
class Review:
    reviewer: str
    score: int | None
    opinion: str
    reviewed_on: date


@dataclass
class Candidacy:
    """One application to a call (an entity inside the Call aggregate)."""

    id: UUID
    candidate_id: UUID
    project_title: str
    requested_amount: Decimal | None
    submitted_on: date
    status: CandidacyStatus = CandidacyStatus.SUBMITTED
    reviews: list[Review] = field(default_factory=list)
    decided_on: date | None = None
    decision_version: int | None = None

    def require_undecided(self, action: str) -> None:
        if self.status == CandidacyStatus.WITHDRAWN:
            raise CandidacyWithdrawnError(
                f"candidacy {self.project_title!r} was withdrawn and cannot be {action}"
            )
        if self.status != CandidacyStatus.SUBMITTED:
            raise CandidacyAlreadyDecidedError(
                f"candidacy {self.project_title!r} was {self.status} on"
                f" {self.decided_on} and cannot be {action}"
            )

    def require_decidable(self, reverses_version: int | None, in_call: str) -> None:
        """Decided once; a later decision must name the one it reverses."""
        if self.status == CandidacyStatus.WITHDRAWN:
            raise CandidacyWithdrawnError(
                f"candidacy {self.project_title!r} was withdrawn and cannot be decided"
            )
        if reverses_version is not None and reverses_version != self.decision_version:
            raise ReversalError(
                f"the decision reversed (version {reverses_version} of {in_call})"
                f" is not the decision on candidacy {self.project_title!r}"
            )
        if self.status != CandidacyStatus.SUBMITTED and reverses_version is None:
            raise CandidacyAlreadyDecidedError(
                f"candidacy {self.project_title!r} was already {self.status} on"
                f" {self.decided_on}; a new decision must name that one in `reverses`"
            )


class CandidacyStatusChanged(Aggregate.Event):
    """An event that moves a candidacy to `new_status`, whoever moved it."""

    new_status: ClassVar[CandidacyStatus]
    candidacy_id: UUID


class CandidacyDecided(Decided, CandidacyStatusChanged):
    """The call's deciding body moved a candidacy to `new_status`."""
