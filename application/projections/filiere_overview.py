"""FiliereOverview: per filière, its lead partner, group, calls, candidacies, projects and money."""

from abc import abstractmethod
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from application.projections.events import decision_note, topics_handled
from application.projections.records import DecisionNote, FiliereOverview
from application.projections.view import View
from domain.call import Call, CallStatus
from domain.candidacy import CandidacyStatus
from domain.filiere import Filiere
from domain.funding import Funding
from domain.organisation import Organisation
from domain.project import Project, ProjectStatus


class FiliereOverviewView(View):
    name = "filiere_overview"
    version = 1

    @abstractmethod
    def organisation_named(self, organisation_id: UUID, name: str, tracking: Tracking) -> None: ...

    @abstractmethod
    def filiere_launched(
        self,
        filiere_id: UUID,
        name: str,
        kind: str,
        lead_partner_id: UUID,
        decision: DecisionNote,
        tracking: Tracking,
    ) -> None: ...

    @abstractmethod
    def lead_partner_changed(
        self, filiere_id: UUID, lead_partner_id: UUID, decision: DecisionNote, tracking: Tracking
    ) -> None: ...

    @abstractmethod
    def project_group_joined(
        self, filiere_id: UUID, organisation_id: UUID, joined_on: date, tracking: Tracking
    ) -> None: ...

    @abstractmethod
    def project_group_left(
        self, filiere_id: UUID, organisation_id: UUID, tracking: Tracking
    ) -> None: ...

    @abstractmethod
    def filiere_closed(
        self, filiere_id: UUID, closed_on: date, decision: DecisionNote, tracking: Tracking
    ) -> None: ...

    @abstractmethod
    def call_launched(
        self,
        call_id: UUID,
        filiere_id: UUID,
        title: str,
        decision: DecisionNote,
        tracking: Tracking,
    ) -> None: ...

    @abstractmethod
    def call_status_changed(
        self,
        call_id: UUID,
        status: CallStatus,
        decision: DecisionNote | None,
        tracking: Tracking,
    ) -> None: ...

    @abstractmethod
    def candidacy_submitted(
        self, call_id: UUID, candidacy_id: UUID, tracking: Tracking
    ) -> None: ...

    @abstractmethod
    def candidacy_status_changed(
        self,
        call_id: UUID,
        candidacy_id: UUID,
        status: CandidacyStatus,
        decision: DecisionNote | None,
        tracking: Tracking,
    ) -> None: ...

    @abstractmethod
    def project_proposed(self, project_id: UUID, filiere_id: UUID, tracking: Tracking) -> None: ...

    @abstractmethod
    def project_status_changed(
        self,
        project_id: UUID,
        status: ProjectStatus,
        decision: DecisionNote | None,
        tracking: Tracking,
    ) -> None: ...

    @abstractmethod
    def funding_granted(
        self,
        funding_id: UUID,
        project_id: UUID,
        funder_id: UUID,
        amount: Decimal | None,
        decision: DecisionNote,
        tracking: Tracking,
    ) -> None: ...

    @abstractmethod
    def funding_amount_revised(
        self, funding_id: UUID, amount: Decimal, decision: DecisionNote, tracking: Tracking
    ) -> None: ...

    @abstractmethod
    def funding_disbursed(self, funding_id: UUID, amount: Decimal, tracking: Tracking) -> None: ...

    @abstractmethod
    def funding_cancelled(
        self, funding_id: UUID, decision: DecisionNote, tracking: Tracking
    ) -> None: ...

    # Reading
    @abstractmethod
    def overview(self, filiere_id: UUID) -> FiliereOverview | None: ...

    @abstractmethod
    def overviews(self) -> list[FiliereOverview]:
        """Every filière, in the order they were launched."""


class FiliereOverviewProjection(Projection[FiliereOverviewView]):
    name = FiliereOverviewView.name

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """Events of other types do not change the overview."""

    @process_event.register(Organisation.Registered)
    def _registered(self, event: Any, tracking: Tracking) -> None:
        self.view.organisation_named(event.originator_id, event.name, tracking)

    @process_event.register(Organisation.Renamed)
    def _renamed(self, event: Any, tracking: Tracking) -> None:
        self.view.organisation_named(event.originator_id, event.name, tracking)

    @process_event.register(Filiere.Launched)
    def _filiere_launched(self, event: Any, tracking: Tracking) -> None:
        self.view.filiere_launched(
            event.originator_id,
            event.name,
            event.kind,
            event.lead_partner_id,
            decision_note(event, tracking),
            tracking,
        )

    @process_event.register(Filiere.LeadPartnerChanged)
    def _lead_partner_changed(self, event: Any, tracking: Tracking) -> None:
        self.view.lead_partner_changed(
            event.originator_id, event.lead_partner_id, decision_note(event, tracking), tracking
        )

    @process_event.register(Filiere.ProjectGroupMemberJoined)
    def _member_joined(self, event: Any, tracking: Tracking) -> None:
        self.view.project_group_joined(
            event.originator_id, event.organisation_id, event.effective_on, tracking
        )

    @process_event.register(Filiere.ProjectGroupMemberLeft)
    def _member_left(self, event: Any, tracking: Tracking) -> None:
        self.view.project_group_left(event.originator_id, event.organisation_id, tracking)

    @process_event.register(Filiere.Closed)
    def _filiere_closed(self, event: Any, tracking: Tracking) -> None:
        self.view.filiere_closed(
            event.originator_id, event.effective_on, decision_note(event, tracking), tracking
        )

    @process_event.register(Call.Launched)
    def _call_launched(self, event: Any, tracking: Tracking) -> None:
        self.view.call_launched(
            event.originator_id,
            event.filiere_id,
            event.title,
            decision_note(event, tracking),
            tracking,
        )

    @process_event.register(Call.SubmissionsClosed)
    def _submissions_closed(self, event: Any, tracking: Tracking) -> None:
        self.view.call_status_changed(
            event.originator_id, CallStatus.SUBMISSIONS_CLOSED, None, tracking
        )

    @process_event.register(Call.Concluded)
    def _concluded(self, event: Any, tracking: Tracking) -> None:
        self.view.call_status_changed(
            event.originator_id, CallStatus.CONCLUDED, decision_note(event, tracking), tracking
        )

    @process_event.register(Call.CandidacySubmitted)
    def _submitted(self, event: Any, tracking: Tracking) -> None:
        self.view.candidacy_submitted(event.originator_id, event.candidacy_id, tracking)

    @process_event.register(Call.CandidacyWithdrawn)
    def _withdrawn(self, event: Any, tracking: Tracking) -> None:
        self.view.candidacy_status_changed(
            event.originator_id, event.candidacy_id, CandidacyStatus.WITHDRAWN, None, tracking
        )

    @process_event.register(Call.CandidacySelected)
    def _selected(self, event: Any, tracking: Tracking) -> None:
        self.view.candidacy_status_changed(
            event.originator_id,
            event.candidacy_id,
            CandidacyStatus.SELECTED,
            decision_note(event, tracking),
            tracking,
        )

    @process_event.register(Call.CandidacyRejected)
    def _rejected(self, event: Any, tracking: Tracking) -> None:
        self.view.candidacy_status_changed(
            event.originator_id,
            event.candidacy_id,
            CandidacyStatus.REJECTED,
            decision_note(event, tracking),
            tracking,
        )

    @process_event.register(Project.Proposed)
    def _proposed(self, event: Any, tracking: Tracking) -> None:
        self.view.project_proposed(event.originator_id, event.filiere_id, tracking)

    @process_event.register(Project.StatusChanged)
    def _project_status(self, event: Any, tracking: Tracking) -> None:
        note = decision_note(event, tracking) if event.decision else None
        self.view.project_status_changed(event.originator_id, event.status, note, tracking)

    @process_event.register(Funding.Granted)
    def _granted(self, event: Any, tracking: Tracking) -> None:
        self.view.funding_granted(
            event.originator_id,
            event.project_id,
            event.funder_id,
            event.amount,
            decision_note(event, tracking),
            tracking,
        )

    @process_event.register(Funding.AmountRevised)
    def _revised(self, event: Any, tracking: Tracking) -> None:
        self.view.funding_amount_revised(
            event.originator_id, event.amount, decision_note(event, tracking), tracking
        )

    @process_event.register(Funding.DisbursementRecorded)
    def _disbursed(self, event: Any, tracking: Tracking) -> None:
        self.view.funding_disbursed(event.originator_id, event.amount, tracking)

    @process_event.register(Funding.Cancelled)
    def _cancelled(self, event: Any, tracking: Tracking) -> None:
        self.view.funding_cancelled(event.originator_id, decision_note(event, tracking), tracking)


FiliereOverviewProjection.topics = topics_handled(FiliereOverviewProjection)
