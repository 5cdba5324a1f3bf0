"""Filières (sector programmes) and transversal axes, each led by a partner.

A lead partner (chef de file) must be an organisation of kind partner. Each
partner leads at least one active filière once the programme is set up: that
is reported by the application, not blocked, since a change of lead passes
through a moment where it does not hold.
"""

from datetime import date
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import event

from domain.base import Aggregate, AggregateSnapshot, AggregateState
from domain.decision import Decided, Decision
from domain.errors import (
    FiliereClosedError,
    InvalidValueError,
    NotAPartnerError,
    ProjectGroupError,
)
from domain.naming import ids
from domain.organisation import Organisation
from domain.text import Name, Objective


class FiliereKind(StrEnum):
    FILIERE = "filiere"
    AXIS = "axis"


def _require_active_partner(organisation: Organisation) -> None:
    if not organisation.is_partner:
        raise NotAPartnerError(
            f"{organisation.name!r} is of kind {organisation.kind}; a lead partner"
            " (chef de file) must be a partner of the association"
            f"{ids(organisation)}"
        )
    organisation.require_not_archived()


class FiliereState(AggregateState):
    """Every attribute of a Filiere, as its snapshot holds them."""

    name: str
    kind: FiliereKind
    lead_partner_id: UUID
    objectives: list[str]
    launched_on: date
    project_group: dict[UUID, date]
    closed_on: date | None


class Filiere(Aggregate):
    """A sector programme or axis, its chef de file and its project group."""

    class Snapshot(AggregateSnapshot):
        state: FiliereState

    # Events
    class Launched(Aggregate.Created, Decided):
        name: Name
        kind: FiliereKind
        lead_partner_id: UUID
        objectives: tuple[Objective, ...]

    class LeadPartnerChanged(Decided):
        lead_partner_id: UUID

    class ProjectGroupMemberJoined(Aggregate.Event):
        organisation_id: UUID

    class ProjectGroupMemberLeft(Aggregate.Event):
        organisation_id: UUID

    class ObjectiveSet(Aggregate.Event):
        objective: Objective

    class Closed(Decided):
        pass

    @classmethod
    def launch(
        cls,
        name: str,
        kind: FiliereKind,
        lead_partner: Organisation,
        decision: Decision,
        objectives: tuple[str, ...] = (),
        launched_on: date | None = None,
    ) -> "Filiere":
        """Launched on the day of its decision unless `launched_on` says later."""
        _require_active_partner(lead_partner)
        if launched_on is not None and launched_on < decision.decided_on:
            raise InvalidValueError(
                f"launched_on: {launched_on} comes before the decision of {decision.decided_on}"
            )
        return cls(
            name=name,
            kind=kind,
            lead_partner_id=lead_partner.id,
            objectives=objectives,
            decision=decision,
            effective_on=launched_on or decision.decided_on,
        )

    @event(Launched)
    def __init__(
        self,
        name: str,
        kind: FiliereKind,
        lead_partner_id: UUID,
        objectives: tuple[str, ...],
        decision: Decision,
        effective_on: date,
    ) -> None:
        self.name = name
        self.kind = kind
        self.lead_partner_id = lead_partner_id
        self.objectives = list(objectives)
        self.launched_on = effective_on
        self.project_group: dict[UUID, date] = {}
        self.closed_on: date | None = None

    @property
    def is_active(self) -> bool:
        return self.closed_on is None

    def require_active(self, action: str) -> None:
        if self.closed_on is not None:
            raise FiliereClosedError(
                f"filière {self.name!r} was closed on {self.closed_on} and takes no {action}"
            )

    def change_lead_partner(self, lead_partner: Organisation, decision: Decision) -> None:
        self.require_active("new lead partner")
        _require_active_partner(lead_partner)
        if lead_partner.id == self.lead_partner_id:
            raise ProjectGroupError(
                f"{lead_partner.name!r} already leads {self.name!r}{ids(lead_partner)}"
            )
        self._lead_partner_changed(
            lead_partner_id=lead_partner.id, decision=decision, effective_on=decision.decided_on
        )

    @event(LeadPartnerChanged)
    def _lead_partner_changed(
        self, lead_partner_id: UUID, decision: Decision, effective_on: date
    ) -> None:
        self.lead_partner_id = lead_partner_id

    def add_to_project_group(self, member: Organisation, joined_on: date) -> None:
        self.require_active("new project-group member")
        member.require_not_archived()
        if member.id in self.project_group:
            raise ProjectGroupError(
                f"{member.name!r} is already in the project group of {self.name!r}{ids(member)}"
            )
        self._member_joined(organisation_id=member.id, effective_on=joined_on)

    @event(ProjectGroupMemberJoined)
    def _member_joined(self, organisation_id: UUID, effective_on: date) -> None:
        self.project_group[organisation_id] = effective_on

    def remove_from_project_group(self, member: Organisation, left_on: date) -> None:
        if member.id not in self.project_group:
            raise ProjectGroupError(
                f"{member.name!r} is not in the project group of {self.name!r}{ids(member)}"
            )
        self._member_left(organisation_id=member.id, effective_on=left_on)

    @event(ProjectGroupMemberLeft)
    def _member_left(self, organisation_id: UUID, effective_on: date) -> None:
        del self.project_group[organisation_id]

    def set_objective(self, objective: Objective, effective_on: date) -> None:
        self.require_active("new objective")
        self._objective_set(objective=objective, effective_on=effective_on)

    @event(ObjectiveSet)
    def _objective_set(self, objective: str, effective_on: date) -> None:
        self.objectives.append(objective)

    def close(self, decision: Decision) -> None:
        self.require_active("closing")
        self._closed(decision=decision, effective_on=decision.decided_on)

    @event(Closed)
    def _closed(self, decision: Decision, effective_on: date) -> None:
        self.closed_on = effective_on
