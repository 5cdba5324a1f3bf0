"""Calls for projects and for expressions of interest, with their candidacies.

A candidacy is submitted between the call's opening and closing dates and
before its submissions are closed. Selection and rejection come only after the
closing; each candidacy is decided once (a later decision may reverse it by
naming it); the selected never outnumber `max_selected` and their requested
amounts never exceed the `budget_envelope`.
"""

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from eventsourcing.domain import event
from pydantic import Field, StringConstraints

from domain.base import Aggregate, AggregateSnapshot, AggregateState
from domain.candidacy import (
    Candidacy,
    CandidacyDecided,
    CandidacyStatus,
    CandidacyStatusChanged,
    Review,
)
from domain.decision import Decided, Decision, PersonName
from domain.errors import (
    AlreadyRecordedError,
    BudgetEnvelopeExceededError,
    CallConcludedError,
    CallNotOpenError,
    ChronologyError,
    InvalidValueError,
    MaxSelectedExceededError,
    NotFoundError,
    OrganisationArchivedError,
    SubmissionsStillOpenError,
)
from domain.filiere import Filiere
from domain.money import Amount, format_eur
from domain.naming import ids
from domain.organisation import Organisation

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Opinion = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Score = Annotated[int, Field(ge=0, le=100)]


class CallKind(StrEnum):
    CALL_FOR_PROJECTS = "call_for_projects"
    CALL_FOR_EXPRESSIONS_OF_INTEREST = "call_for_expressions_of_interest"


class CallStatus(StrEnum):
    OPEN = "open"
    SUBMISSIONS_CLOSED = "submissions_closed"
    CONCLUDED = "concluded"


class CallState(AggregateState):
    """Every attribute of a Call, as its snapshot holds them."""

    filiere_id: UUID
    title: str
    kind: CallKind
    issuer_id: UUID
    opens_on: date
    closes_on: date
    budget_envelope: Decimal | None
    max_selected: int | None
    launched_on: date
    status: CallStatus
    closed_on: date | None
    candidacies: dict[UUID, Candidacy]


class Call(Aggregate):
    """A call issued by the association, or answered by it, in one filière."""

    class Snapshot(AggregateSnapshot):
        state: CallState

    # Events
    class Launched(Aggregate.Created, Decided):
        filiere_id: UUID
        title: Title
        kind: CallKind
        issuer_id: UUID
        opens_on: date
        closes_on: date
        budget_envelope: Amount | None
        max_selected: Annotated[int, Field(ge=1)] | None

    class CandidacySubmitted(Aggregate.Event):
        candidacy_id: UUID
        candidate_id: UUID
        project_title: Title
        requested_amount: Amount | None

    class CandidacyWithdrawn(CandidacyStatusChanged):
        new_status = CandidacyStatus.WITHDRAWN

    class CandidacyReviewed(Aggregate.Event):
        candidacy_id: UUID
        reviewer: PersonName
        score: Score | None
        opinion: Opinion

    class SubmissionsClosed(Aggregate.Event):
        pass

    class CandidacySelected(CandidacyDecided):
        new_status = CandidacyStatus.SELECTED

    class CandidacyRejected(CandidacyDecided):
        new_status = CandidacyStatus.REJECTED

    class Concluded(Decided):
        pass

    @classmethod
    def launch(
        cls,
        filiere: Filiere,
        title: str,
        kind: CallKind,
        issuer_id: UUID,
        opens_on: date,
        closes_on: date,
        decision: Decision,
        budget_envelope: Decimal | None = None,
        max_selected: int | None = None,
    ) -> "Call":
        filiere.require_active("new call")
        if closes_on < opens_on:
            raise InvalidValueError(
                f"a call cannot close ({closes_on}) before it opens ({opens_on})"
            )
        return cls(
            filiere_id=filiere.id,
            title=title,
            kind=kind,
            issuer_id=issuer_id,
            opens_on=opens_on,
            closes_on=closes_on,
            budget_envelope=budget_envelope,
            max_selected=max_selected,
            decision=decision,
            effective_on=decision.decided_on,
        )

    @event(Launched)
    def __init__(
        self,
        filiere_id: UUID,
        title: str,
        kind: CallKind,
        issuer_id: UUID,
        opens_on: date,
        closes_on: date,
        budget_envelope: Decimal | None,
        max_selected: int | None,
        decision: Decision,
        effective_on: date,
    ) -> None:
        self.filiere_id = filiere_id
        self.title = title
        self.kind = kind
        self.issuer_id = issuer_id
        self.opens_on = opens_on
        self.closes_on = closes_on
        self.budget_envelope = budget_envelope
        self.max_selected = max_selected
        self.launched_on = effective_on
        self.status = CallStatus.OPEN
        self.closed_on: date | None = None
        self.candidacies: dict[UUID, Candidacy] = {}

    # Queries
    def candidacy(self, candidacy_id: UUID) -> Candidacy:
        try:
            return self.candidacies[candidacy_id]
        except KeyError:
            raise NotFoundError(f"call {self.title!r} has no candidacy {candidacy_id}") from None

    def with_status(self, status: CandidacyStatus) -> list[Candidacy]:
        return [c for c in self.candidacies.values() if c.status == status]

    @property
    def selected_amount(self) -> Decimal:
        return sum(
            (
                c.requested_amount or Decimal("0.00")
                for c in self.with_status(CandidacyStatus.SELECTED)
            ),
            Decimal("0.00"),
        )

    # Submissions
    def submit_candidacy(
        self,
        candidacy_id: UUID,
        candidate: Organisation,
        project_title: str,
        submitted_on: date,
        requested_amount: Decimal | None = None,
    ) -> None:
        self._require_not_concluded()
        if candidate.is_archived:
            raise OrganisationArchivedError(
                f"{candidate.name!r} was archived on {candidate.archived_on}{ids(candidate)}"
            )
        if self.status != CallStatus.OPEN:
            raise CallNotOpenError(
                f"call {self.title!r}: submissions were closed on {self.closed_on};"
                f" no candidacy can be submitted on {submitted_on}"
            )
        if not self.opens_on <= submitted_on <= self.closes_on:
            raise CallNotOpenError(
                f"call {self.title!r} takes candidacies from {self.opens_on} to"
                f" {self.closes_on}, not on {submitted_on}"
            )
        if candidacy_id in self.candidacies:
            raise AlreadyRecordedError(f"candidacy {candidacy_id} already exists in this call")
        self._candidacy_submitted(
            candidacy_id=candidacy_id,
            candidate_id=candidate.id,
            project_title=project_title,
            requested_amount=requested_amount,
            effective_on=submitted_on,
        )

    @event(CandidacySubmitted)
    def _candidacy_submitted(
        self,
        candidacy_id: UUID,
        candidate_id: UUID,
        project_title: str,
        requested_amount: Decimal | None,
        effective_on: date,
    ) -> None:
        self.candidacies[candidacy_id] = Candidacy(
            id=candidacy_id,
            candidate_id=candidate_id,
            project_title=project_title,
            requested_amount=requested_amount,
            submitted_on=effective_on,
        )

    def withdraw_candidacy(self, candidacy_id: UUID, withdrawn_on: date) -> None:
        self._require_not_concluded()
        candidacy = self._undecided(candidacy_id, "withdrawn")
        if withdrawn_on < candidacy.submitted_on:
            raise ChronologyError(
                f"a candidacy submitted on {candidacy.submitted_on} cannot be withdrawn"
                f" on {withdrawn_on}"
            )
        self._candidacy_withdrawn(candidacy_id=candidacy_id, effective_on=withdrawn_on)

    @event(CandidacyWithdrawn)
    def _candidacy_withdrawn(self, candidacy_id: UUID, effective_on: date) -> None:
        self.candidacies[candidacy_id].status = CandidacyStatus.WITHDRAWN

    def review_candidacy(
        self,
        candidacy_id: UUID,
        reviewer: str,
        opinion: str,
        reviewed_on: date,
        score: int | None = None,
    ) -> None:
        self._require_not_concluded()
        self._undecided(candidacy_id, "reviewed")
        self._candidacy_reviewed(
            candidacy_id=candidacy_id,
            reviewer=reviewer,
            score=score,
            opinion=opinion,
            effective_on=reviewed_on,
        )

    @event(CandidacyReviewed)
    def _candidacy_reviewed(
        self,
        candidacy_id: UUID,
        reviewer: str,
        score: int | None,
        opinion: str,
        effective_on: date,
    ) -> None:
        self.candidacies[candidacy_id].reviews.append(
            Review(reviewer=reviewer, score=score, opinion=opinion, reviewed_on=effective_on)
        )

    def close_submissions(self, closed_on: date) -> None:
        self._require_not_concluded()
        if self.status != CallStatus.OPEN:
            raise CallNotOpenError(
                f"call {self.title!r}: submissions already closed on {self.closed_on}"
            )
        if closed_on < self.opens_on:
            raise ChronologyError(
                f"call {self.title!r} opens on {self.opens_on} and cannot close on {closed_on}"
            )
        self._submissions_closed(effective_on=closed_on)

    @event(SubmissionsClosed)
    def _submissions_closed(self, effective_on: date) -> None:
        self.status = CallStatus.SUBMISSIONS_CLOSED
        self.closed_on = effective_on

    # Decisions on candidacies
    def select_candidacy(
        self, candidacy_id: UUID, decision: Decision, reverses_version: int | None = None
    ) -> None:
        candidacy = self._decidable(candidacy_id, decision, reverses_version)
        already_selected = candidacy.status == CandidacyStatus.SELECTED
        selected = self.with_status(CandidacyStatus.SELECTED)
        if (
            self.max_selected is not None
            and len(selected) + 1 - already_selected > self.max_selected
        ):
            raise MaxSelectedExceededError(
                f"call {self.title!r} selects at most {self.max_selected} candidacies;"
                f" {len(selected)} already are"
            )
        if self.budget_envelope is not None and candidacy.requested_amount is not None:
            total = self.selected_amount + candidacy.requested_amount * (1 - already_selected)
            if total > self.budget_envelope:
                raise BudgetEnvelopeExceededError(
                    f"selecting {candidacy.project_title!r}"
                    f" ({format_eur(candidacy.requested_amount)})"
                    f" brings the selected total to {format_eur(total)}, above the call's"
                    f" envelope of {format_eur(self.budget_envelope)}"
                )
        self._candidacy_selected(
            candidacy_id=candidacy_id, decision=decision, effective_on=decision.decided_on
        )

    @event(CandidacySelected)
    def _candidacy_selected(
        self, candidacy_id: UUID, decision: Decision, effective_on: date
    ) -> None:
        self._mark_decided(candidacy_id, CandidacyStatus.SELECTED, effective_on)

    def reject_candidacy(
        self, candidacy_id: UUID, decision: Decision, reverses_version: int | None = None
    ) -> None:
        self._decidable(candidacy_id, decision, reverses_version)
        self._candidacy_rejected(
            candidacy_id=candidacy_id, decision=decision, effective_on=decision.decided_on
        )

    @event(CandidacyRejected)
    def _candidacy_rejected(
        self, candidacy_id: UUID, decision: Decision, effective_on: date
    ) -> None:
        self._mark_decided(candidacy_id, CandidacyStatus.REJECTED, effective_on)

    def conclude(self, decision: Decision) -> None:
        self._require_not_concluded()
        if self.status != CallStatus.SUBMISSIONS_CLOSED:
            raise SubmissionsStillOpenError(
                f"call {self.title!r} cannot be concluded while its submissions are open"
            )
        pending = self.with_status(CandidacyStatus.SUBMITTED)
        if pending:
            titles = ", ".join(repr(c.project_title) for c in pending)
            raise SubmissionsStillOpenError(
                f"call {self.title!r} cannot be concluded: {len(pending)} candidacies are"
                f" not decided ({titles})"
            )
        self._concluded(decision=decision, effective_on=decision.decided_on)

    @event(Concluded)
    def _concluded(self, decision: Decision, effective_on: date) -> None:
        self.status = CallStatus.CONCLUDED

    # Helpers
    def _mark_decided(self, candidacy_id: UUID, status: CandidacyStatus, on: date) -> None:
        candidacy = self.candidacies[candidacy_id]
        candidacy.status = status
        candidacy.decided_on = on
        candidacy.decision_version = self.version + 1

    def _require_not_concluded(self) -> None:
        if self.status == CallStatus.CONCLUDED:
            raise CallConcludedError(f"call {self.title!r} is concluded and takes nothing more")

    def _undecided(self, candidacy_id: UUID, action: str) -> Candidacy:
        candidacy = self.candidacy(candidacy_id)
        candidacy.require_undecided(action)
        return candidacy

    def _decidable(
        self, candidacy_id: UUID, decision: Decision, reverses_version: int | None
    ) -> Candidacy:
        self._require_not_concluded()
        candidacy = self.candidacy(candidacy_id)
        if self.status != CallStatus.SUBMISSIONS_CLOSED or self.closed_on is None:
            raise SubmissionsStillOpenError(
                f"call {self.title!r}: no candidacy is selected or rejected before its"
                " submissions are closed"
            )
        if decision.decided_on < self.closed_on:
            raise SubmissionsStillOpenError(
                f"call {self.title!r} closed its submissions on {self.closed_on}; a decision"
                f" dated {decision.decided_on} comes before that"
            )
        candidacy.require_decidable(reverses_version, f"call {self.title!r}")
        return candidacy
