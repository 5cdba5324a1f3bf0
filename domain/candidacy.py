"""A candidacy: one application to a call, an entity inside the Call aggregate.

It is submitted, may be reviewed, and is then withdrawn by its candidate or
decided once (selected or rejected) by the call's deciding body. That body may
later withdraw a selection: the candidacy is then withdrawn, by a decision
which, like any decision, a later one may reverse by naming it.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar
from uuid import UUID

from domain.base import Aggregate
from domain.decision import Decided
from domain.errors import (
    CandidacyAlreadyDecidedError,
    CandidacyNotSelectedError,
    CandidacyWithdrawnError,
    ReversalError,
)


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

    @property
    def withdrawn_by_candidate(self) -> bool:
        """Withdrawn, and not by a decision (a selection withdrawn by the body is decided)."""
        return self.status == CandidacyStatus.WITHDRAWN and self.decision_version is None

    def require_decidable(self, reverses_version: int | None, in_call: str) -> None:
        """Decided once; a later decision must name the one it reverses."""
        if self.withdrawn_by_candidate:
            raise CandidacyWithdrawnError(
                f"candidacy {self.project_title!r} was withdrawn and cannot be decided"
            )
        self._require_reverses_its_decision(reverses_version, in_call)
        if self.status != CandidacyStatus.SUBMITTED and reverses_version is None:
            raise CandidacyAlreadyDecidedError(
                f"candidacy {self.project_title!r} was already {self.status} on"
                f" {self.decided_on}; a new decision must name that one in `reverses`"
            )

    def require_selected(self, on: date, reverses_version: int | None, in_call: str) -> None:
        """A selection is withdrawn only while it stands, on or after the day it was made.

        The withdrawal amends the selection: a `reverses`, if given, must name it.
        """
        if self.status != CandidacyStatus.SELECTED:
            raise CandidacyNotSelectedError(
                f"candidacy {self.project_title!r} of {in_call} is {self.status}, not selected:"
                " it has no selection to withdraw"
            )
        if self.decided_on is not None and on < self.decided_on:
            raise CandidacyNotSelectedError(
                f"candidacy {self.project_title!r} of {in_call} was selected on"
                f" {self.decided_on}; a withdrawal dated {on} comes before that"
            )
        self._require_reverses_its_decision(reverses_version, in_call)

    def _require_reverses_its_decision(self, reverses_version: int | None, in_call: str) -> None:
        if reverses_version is not None and reverses_version != self.decision_version:
            raise ReversalError(
                f"the decision reversed (version {reverses_version} of {in_call})"
                f" is not the decision on candidacy {self.project_title!r}"
            )


class CandidacyStatusChanged(Aggregate.Event):
    """An event that moves a candidacy to `new_status`, whoever moved it."""

    new_status: ClassVar[CandidacyStatus]
    candidacy_id: UUID

    # `aggregate` is the Call that holds the candidacy (the library types it Any).
    def apply(self, aggregate: Any) -> None:
        aggregate.candidacies[self.candidacy_id].status = self.new_status


class CandidacyDecided(Decided, CandidacyStatusChanged):
    """The call's deciding body moved a candidacy to `new_status`, by a decision.

    The candidacy keeps the decision in force: its day, and its version in the
    call, which a later decision names to reverse it.
    """

    def apply(self, aggregate: Any) -> None:
        super().apply(aggregate)
        candidacy = aggregate.candidacies[self.candidacy_id]
        candidacy.decided_on = self.effective_on
        candidacy.decision_version = self.originator_version
