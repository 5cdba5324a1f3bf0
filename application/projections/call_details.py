"""CallDetails: each call with its dates, limits, status and candidacies, their reviews included."""

from abc import abstractmethod
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from application.projections.detail_records import CallDetails
from application.projections.events import decision_note, topics_handled
from application.projections.records import DecisionNote
from application.projections.view import View
from domain.call import Call, CallKind
from domain.candidacy import CandidacyStatus


class CallDetailsView(View):
    name = "call_details"
    version = 1

    # Every write takes `version`, the call's aggregate version after the event.
    @abstractmethod
    def call_launched(
        self,
        call_id: UUID,
        filiere_id: UUID,
        title: str,
        kind: CallKind,
        issuer_id: UUID,
        opens_on: date,
        closes_on: date,
        budget_envelope: Decimal | None,
        max_selected: int | None,
        launched_on: date,
        version: int,
        tracking: Tracking,
    ) -> None: ...

    @abstractmethod
    def candidacy_submitted(
        self,
        call_id: UUID,
        candidacy_id: UUID,
        candidate_id: UUID,
        project_title: str,
        requested_amount: Decimal | None,
        submitted_on: date,
        version: int,
        tracking: Tracking,
    ) -> None: ...

    @abstractmethod
    def candidacy_withdrawn(
        self,
        call_id: UUID,
        candidacy_id: UUID,
        withdrawn_on: date,
        version: int,
        tracking: Tracking,
    ) -> None: ...

    @abstractmethod
    def candidacy_reviewed(
        self,
        call_id: UUID,
        candidacy_id: UUID,
        reviewer: str,
        score: int | None,
        opinion: str,
        reviewed_on: date,
        version: int,
        tracking: Tracking,
    ) -> None: ...

    @abstractmethod
    def submissions_closed(
        self, call_id: UUID, closed_on: date, version: int, tracking: Tracking
    ) -> None: ...

    @abstractmethod
    def candidacy_decided(
        self,
        call_id: UUID,
        candidacy_id: UUID,
        status: CandidacyStatus,
        decision: DecisionNote,
        version: int,
        tracking: Tracking,
    ) -> None:
        """Selected or rejected; a later decision (a reversal) replaces the earlier one."""

    @abstractmethod
    def call_concluded(
        self, call_id: UUID, decision: DecisionNote, version: int, tracking: Tracking
    ) -> None: ...

    # Reading
    @abstractmethod
    def call(self, call_id: UUID) -> CallDetails | None: ...

    @abstractmethod
    def calls_of_filiere(self, filiere_id: UUID) -> list[CallDetails]:
        """The filière's calls, in the order they were launched."""


class CallDetailsProjection(Projection[CallDetailsView]):
    name = CallDetailsView.name

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """Events of other types do not change the calls."""

    @process_event.register(Call.Launched)
    def _launched(self, event: Any, tracking: Tracking) -> None:
        self.view.call_launched(
            event.originator_id,
            event.filiere_id,
            event.title,
            CallKind(event.kind),
            event.issuer_id,
            event.opens_on,
            event.closes_on,
            event.budget_envelope,
            event.max_selected,
            event.effective_on,
            event.originator_version,
            tracking,
        )

    @process_event.register(Call.CandidacySubmitted)
    def _submitted(self, event: Any, tracking: Tracking) -> None:
        self.view.candidacy_submitted(
            event.originator_id,
            event.candidacy_id,
            event.candidate_id,
            event.project_title,
            event.requested_amount,
            event.effective_on,
            event.originator_version,
            tracking,
        )

    @process_event.register(Call.CandidacyWithdrawn)
    def _withdrawn(self, event: Any, tracking: Tracking) -> None:
        self.view.candidacy_withdrawn(
            event.originator_id,
            event.candidacy_id,
            event.effective_on,
            event.originator_version,
            tracking,
        )

    @process_event.register(Call.CandidacyReviewed)
    def _reviewed(self, event: Any, tracking: Tracking) -> None:
        self.view.candidacy_reviewed(
            event.originator_id,
            event.candidacy_id,
            event.reviewer,
            event.score,
            event.opinion,
            event.effective_on,
            event.originator_version,
            tracking,
        )

    @process_event.register(Call.SubmissionsClosed)
    def _closed(self, event: Any, tracking: Tracking) -> None:
        self.view.submissions_closed(
            event.originator_id, event.effective_on, event.originator_version, tracking
        )

    @process_event.register(Call.CandidacySelected)
    def _selected(self, event: Any, tracking: Tracking) -> None:
        self.view.candidacy_decided(
            event.originator_id,
            event.candidacy_id,
            CandidacyStatus.SELECTED,
            decision_note(event, tracking),
            event.originator_version,
            tracking,
        )

    @process_event.register(Call.CandidacyRejected)
    def _rejected(self, event: Any, tracking: Tracking) -> None:
        self.view.candidacy_decided(
            event.originator_id,
            event.candidacy_id,
            CandidacyStatus.REJECTED,
            decision_note(event, tracking),
            event.originator_version,
            tracking,
        )

    @process_event.register(Call.Concluded)
    def _concluded(self, event: Any, tracking: Tracking) -> None:
        self.view.call_concluded(
            event.originator_id,
            decision_note(event, tracking),
            event.originator_version,
            tracking,
        )


CallDetailsProjection.topics = topics_handled(CallDetailsProjection)
