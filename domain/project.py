"""Supported projects and their lifecycle.

proposed → approved → in_progress → completed, and abandoned from any state
before completion. Approving and abandoning are decisions. A completed or
abandoned project takes no more funding.
"""

from datetime import date
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import event

from domain.base import Aggregate
from domain.call import Call
from domain.candidacy import CandidacyStatus
from domain.decision import Decision
from domain.errors import (
    ChronologyError,
    InvalidStatusTransitionError,
    InvalidValueError,
    OriginMismatchError,
    ProjectGroupError,
)
from domain.filiere import Filiere
from domain.money import Amount
from domain.naming import ids
from domain.organisation import Organisation
from domain.text import Label, Role, Title
from domain.values import ValueObject


class ProjectStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


NEXT_STATUSES: dict[ProjectStatus, frozenset[ProjectStatus]] = {
    ProjectStatus.PROPOSED: frozenset({ProjectStatus.APPROVED, ProjectStatus.ABANDONED}),
    ProjectStatus.APPROVED: frozenset({ProjectStatus.IN_PROGRESS, ProjectStatus.ABANDONED}),
    ProjectStatus.IN_PROGRESS: frozenset({ProjectStatus.COMPLETED, ProjectStatus.ABANDONED}),
    ProjectStatus.COMPLETED: frozenset(),
    ProjectStatus.ABANDONED: frozenset(),
}
DECIDED_STATUSES = frozenset({ProjectStatus.APPROVED, ProjectStatus.ABANDONED})


class ProjectPartner(ValueObject):
    organisation_id: UUID
    role: Role


class OriginCandidacy(ValueObject):
    """The selected candidacy a project comes from."""

    call_id: UUID
    candidacy_id: UUID


class Project(Aggregate):
    """An action or project supported in a filière."""

    # Events
    class Proposed(Aggregate.Created):
        filiere_id: UUID
        title: Title
        partners: tuple[ProjectPartner, ...]
        estimated_budget: Amount | None
        origin_candidacy: OriginCandidacy | None

    class PartnerJoined(Aggregate.Event):
        organisation_id: UUID
        role: Role

    class StatusChanged(Aggregate.Event):
        """A decision when it approves or abandons the project; else `decision` is None."""

        status: ProjectStatus
        decision: Decision | None

    class MilestoneReached(Aggregate.Event):
        label: Label

    @classmethod
    def propose(
        cls,
        filiere: Filiere,
        title: str,
        proposed_on: date,
        partners: tuple[ProjectPartner, ...] = (),
        estimated_budget: Decimal | None = None,
        origin_call: Call | None = None,
        origin_candidacy_id: UUID | None = None,
    ) -> "Project":
        filiere.require_active("new project")
        origin = None
        if origin_candidacy_id is not None:
            if origin_call is None:
                raise InvalidValueError("origin_candidacy_id needs the call it belongs to")
            candidacy = origin_call.candidacy(origin_candidacy_id)
            if candidacy.status != CandidacyStatus.SELECTED:
                raise InvalidStatusTransitionError(
                    f"candidacy {candidacy.project_title!r} is {candidacy.status}; only a"
                    " selected candidacy becomes a project"
                )
            if origin_call.filiere_id != filiere.id:
                # The ids are well formed; what they name contradicts what is recorded.
                raise OriginMismatchError(
                    f"the origin call {origin_call.title!r} belongs to another filière than"
                    f" {filiere.name!r}"
                )
            origin = OriginCandidacy(call_id=origin_call.id, candidacy_id=origin_candidacy_id)
        ids = [p.organisation_id for p in partners]
        if len(set(ids)) != len(ids):
            raise InvalidValueError("a partner is listed twice")
        return cls(
            filiere_id=filiere.id,
            title=title,
            partners=partners,
            estimated_budget=estimated_budget,
            origin_candidacy=origin,
            effective_on=proposed_on,
        )

    @event(Proposed)
    def __init__(
        self,
        filiere_id: UUID,
        title: str,
        partners: tuple[ProjectPartner, ...],
        estimated_budget: Decimal | None,
        origin_candidacy: OriginCandidacy | None,
        effective_on: date,
    ) -> None:
        self.filiere_id = filiere_id
        self.title = title
        self.partners = list(partners)
        self.estimated_budget = estimated_budget
        self.origin_candidacy = origin_candidacy
        self.proposed_on = effective_on
        self.status = ProjectStatus.PROPOSED
        self.status_since = effective_on
        self.milestones: list[tuple[date, str]] = []

    @property
    def takes_funding(self) -> bool:
        return self.status not in (ProjectStatus.COMPLETED, ProjectStatus.ABANDONED)

    @property
    def partner_ids(self) -> set[UUID]:
        return {p.organisation_id for p in self.partners}

    def join_partner(self, partner: Organisation, role: str, joined_on: date) -> None:
        partner.require_not_archived()
        if partner.id in self.partner_ids:
            raise ProjectGroupError(
                f"{partner.name!r} is already a partner of {self.title!r}{ids(partner)}"
            )
        self._partner_joined(organisation_id=partner.id, role=role, effective_on=joined_on)

    @event(PartnerJoined)
    def _partner_joined(self, organisation_id: UUID, role: str, effective_on: date) -> None:
        self.partners.append(ProjectPartner(organisation_id=organisation_id, role=role))

    def change_status(
        self, status: ProjectStatus, effective_on: date, decision: Decision | None = None
    ) -> None:
        if status not in NEXT_STATUSES[self.status]:
            allowed = ", ".join(sorted(NEXT_STATUSES[self.status])) or "none"
            raise InvalidStatusTransitionError(
                f"project {self.title!r} is {self.status}; it can move to: {allowed}, not {status}"
            )
        if status in DECIDED_STATUSES and decision is None:
            raise InvalidValueError(
                f"decision: moving a project to {status} is a decision; give one"
            )
        if decision is not None and decision.decided_on != effective_on:
            raise InvalidValueError("effective_on: must be the decision's decided_on")
        if effective_on < self.status_since:
            raise ChronologyError(
                f"project {self.title!r} has been {self.status} since {self.status_since};"
                f" it cannot change on {effective_on}"
            )
        self._status_changed(status=status, decision=decision, effective_on=effective_on)

    @event(StatusChanged)
    def _status_changed(
        self, status: ProjectStatus, decision: Decision | None, effective_on: date
    ) -> None:
        self.status = status
        self.status_since = effective_on

    def reach_milestone(
        self,
        label: Label,
        reached_on: date,
    ) -> None:
        self._milestone_reached(label=label, effective_on=reached_on)

    @event(MilestoneReached)
    def _milestone_reached(self, label: str, effective_on: date) -> None:
        self.milestones.append((effective_on, label))
