"""ProjectDetails: each project with its status and how it got there, partners and milestones."""

from abc import abstractmethod
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from application.projections.detail_records import ProjectDetails
from application.projections.events import decision_note, topics_handled
from application.projections.records import DecisionNote
from application.projections.view import View
from domain.project import Project, ProjectPartner, ProjectStatus


class ProjectDetailsView(View):
    name = "project_details"
    version = 1

    # Every write takes `version`, the project's aggregate version after the event.
    @abstractmethod
    def project_proposed(
        self,
        project_id: UUID,
        filiere_id: UUID,
        title: str,
        partners: tuple[ProjectPartner, ...],
        estimated_budget: Decimal | None,
        origin_call_id: UUID | None,
        origin_candidacy_id: UUID | None,
        proposed_on: date,
        version: int,
        tracking: Tracking,
    ) -> None:
        """The project, its first partners (joined on `proposed_on`) and its first status."""

    @abstractmethod
    def partner_joined(
        self,
        project_id: UUID,
        organisation_id: UUID,
        role: str,
        joined_on: date,
        version: int,
        tracking: Tracking,
    ) -> None: ...

    @abstractmethod
    def status_changed(
        self,
        project_id: UUID,
        status: ProjectStatus,
        effective_on: date,
        decision: DecisionNote | None,
        version: int,
        tracking: Tracking,
    ) -> None: ...

    @abstractmethod
    def milestone_reached(
        self, project_id: UUID, label: str, reached_on: date, version: int, tracking: Tracking
    ) -> None: ...

    # Reading
    @abstractmethod
    def project(self, project_id: UUID) -> ProjectDetails | None: ...

    @abstractmethod
    def projects_of_filiere(self, filiere_id: UUID) -> list[ProjectDetails]:
        """The filière's projects, in the order they were proposed."""


class ProjectDetailsProjection(Projection[ProjectDetailsView]):
    name = ProjectDetailsView.name

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """Events of other types do not change the projects."""

    @process_event.register(Project.Proposed)
    def _proposed(self, event: Any, tracking: Tracking) -> None:
        origin = event.origin_candidacy
        self.view.project_proposed(
            event.originator_id,
            event.filiere_id,
            event.title,
            tuple(event.partners),
            event.estimated_budget,
            None if origin is None else origin.call_id,
            None if origin is None else origin.candidacy_id,
            event.effective_on,
            event.originator_version,
            tracking,
        )

    @process_event.register(Project.PartnerJoined)
    def _partner_joined(self, event: Any, tracking: Tracking) -> None:
        self.view.partner_joined(
            event.originator_id,
            event.organisation_id,
            event.role,
            event.effective_on,
            event.originator_version,
            tracking,
        )

    @process_event.register(Project.StatusChanged)
    def _status_changed(self, event: Any, tracking: Tracking) -> None:
        note = decision_note(event, tracking) if event.decision else None
        self.view.status_changed(
            event.originator_id,
            ProjectStatus(event.status),
            event.effective_on,
            note,
            event.originator_version,
            tracking,
        )

    @process_event.register(Project.MilestoneReached)
    def _milestone(self, event: Any, tracking: Tracking) -> None:
        self.view.milestone_reached(
            event.originator_id,
            event.label,
            event.effective_on,
            event.originator_version,
            tracking,
        )


ProjectDetailsProjection.topics = topics_handled(ProjectDetailsProjection)
