"""Calls for projects and for expressions of interest, with their candidacies.

The Call aggregate: the events it records and how each changes it. What it
refuses, and why, is in `domain/call_rules.py`; its kinds, statuses and state
in `domain/call_state.py`. The deciding body may withdraw a selection it made,
until the call is concluded.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from eventsourcing.domain import event
from pydantic import Field

from domain import call_rules as rules
from domain.base import Aggregate, AggregateSnapshot
from domain.call_state import CallKind, CallState, CallStatus, Score
from domain.candidacy import (
    Candidacy,
    CandidacyDecided,
    CandidacyStatus,
    CandidacyStatusChanged,
    Review,
)
from domain.decision import Decided, Decision, PersonName
from domain.errors import InvalidValueError, NotFoundError
from domain.filiere import Filiere
from domain.money import Amount
from domain.organisation import Organisation
from domain.text import Opinion, Title

__all__ = ["Call", "CallKind", "CallState", "CallStatus", "Opinion", "Score", "Title"]


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

    class SelectionWithdrawn(CandidacyDecided):
        new_status = CandidacyStatus.WITHDRAWN

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
        rules.check_submission(self, candidacy_id, candidate, submitted_on)
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
        rules.check_withdrawal(self, candidacy_id, withdrawn_on)
        self.trigger_event(
            self.CandidacyWithdrawn, candidacy_id=candidacy_id, effective_on=withdrawn_on
        )

    def review_candidacy(
        self,
        candidacy_id: UUID,
        reviewer: str,
        opinion: str,
        reviewed_on: date,
        score: int | None = None,
    ) -> None:
        rules.undecided(self, candidacy_id, "reviewed")
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
        rules.check_closing(self, closed_on)
        self._submissions_closed(effective_on=closed_on)

    @event(SubmissionsClosed)
    def _submissions_closed(self, effective_on: date) -> None:
        self.status = CallStatus.SUBMISSIONS_CLOSED
        self.closed_on = effective_on

    # Decisions on candidacies: each event's own `apply` moves the candidacy (domain/candidacy.py)
    def select_candidacy(
        self, candidacy_id: UUID, decision: Decision, reverses_version: int | None = None
    ) -> None:
        rules.check_selection(self, candidacy_id, decision, reverses_version)
        self._decide(self.CandidacySelected, candidacy_id, decision)

    def reject_candidacy(
        self, candidacy_id: UUID, decision: Decision, reverses_version: int | None = None
    ) -> None:
        rules.decidable(self, candidacy_id, decision, reverses_version)
        self._decide(self.CandidacyRejected, candidacy_id, decision)

    def withdraw_selection(
        self, candidacy_id: UUID, decision: Decision, reverses_version: int | None = None
    ) -> None:
        """The deciding body takes back a selection: a place and its amount come free."""
        rules.check_selection_withdrawal(self, candidacy_id, decision, reverses_version)
        self._decide(self.SelectionWithdrawn, candidacy_id, decision)

    def _decide(
        self, decided: type[CandidacyDecided], candidacy_id: UUID, decision: Decision
    ) -> None:
        self.trigger_event(
            decided, candidacy_id=candidacy_id, decision=decision, effective_on=decision.decided_on
        )

    def conclude(self, decision: Decision) -> None:
        rules.check_conclusion(self)
        self._concluded(decision=decision, effective_on=decision.decided_on)

    @event(Concluded)
    def _concluded(self, decision: Decision, effective_on: date) -> None:
        self.status = CallStatus.CONCLUDED
