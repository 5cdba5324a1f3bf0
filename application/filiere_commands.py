"""Filières: launch, chef de file, project group, objectives, closing."""

from uuid import UUID

from pydantic import Field

from application.base import FilieresApplicationBase
from application.command import Command, handler
from application.context import CommandContext, CommandResult
from application.decision_checks import ASSOCIATION_DECIDES, DecisionSubject
from application.payload import DecisionOnly, DecisionPayload, EffectiveDay, Payload
from domain.errors import (
    FiliereClosedError,
    NotAPartnerError,
    OrganisationArchivedError,
    ProjectGroupError,
)
from domain.filiere import Filiere, FiliereKind, Name, Objective
from domain.organisation import Organisation


class OnFiliere(Command):
    """A command on a launched filière, at the version its caller expects if given."""

    filiere_id: UUID
    expected_version: int | None = None


class FiliereCreate(Payload):
    name: Name
    kind: FiliereKind
    lead_partner_id: UUID
    launched_on: EffectiveDay = Field(description="Not before the decision's date.")
    decision: DecisionPayload
    objectives: list[Objective] = Field(default=[], max_length=50)


class LaunchFiliere(FiliereCreate, Command):
    """The bureau launches a filière (or an axis) with its chef de file."""

    refusals = (NotAPartnerError, OrganisationArchivedError)
    deciders = ASSOCIATION_DECIDES

    launched_on: EffectiveDay | None = None  # type: ignore[assignment]
    """None: on the day of the decision (the API asks for it)."""


class LeadPartnerChange(Payload):
    lead_partner_id: UUID
    decision: DecisionPayload


class ChangeLeadPartner(LeadPartnerChange, OnFiliere):
    """Another partner becomes chef de file, by a decision."""

    refusals = (FiliereClosedError, NotAPartnerError, OrganisationArchivedError, ProjectGroupError)
    deciders = ASSOCIATION_DECIDES


class ProjectGroupJoin(Payload):
    organisation_id: UUID
    joined_on: EffectiveDay


class JoinProjectGroup(ProjectGroupJoin, OnFiliere):
    """An organisation joins the filière's project group."""

    refusals = (FiliereClosedError, OrganisationArchivedError, ProjectGroupError)


class ProjectGroupLeave(Payload):
    organisation_id: UUID
    left_on: EffectiveDay


class LeaveProjectGroup(ProjectGroupLeave, OnFiliere):
    """An organisation leaves the filière's project group."""

    refusals = (ProjectGroupError,)


class ObjectiveSet(Payload):
    objective: Objective
    effective_on: EffectiveDay


class SetObjective(ObjectiveSet, OnFiliere):
    """The filière takes on an objective."""

    refusals = (FiliereClosedError,)


class CloseFiliere(DecisionOnly, OnFiliere):
    """The filière is closed, by a decision."""

    refusals = (FiliereClosedError,)
    deciders = ASSOCIATION_DECIDES


class FiliereCommands(FilieresApplicationBase):
    @handler
    def launch_filiere(self, ctx: CommandContext, command: LaunchFiliere) -> CommandResult:
        lead_partner = self.load(Organisation, command.lead_partner_id)
        checked = self.check_decision(
            command.decision.to_domain(),
            DecisionSubject(
                f"the launch of filière {command.name!r}",
                concerned_organisation_ids=frozenset({command.lead_partner_id}),
            ),
        )
        filiere = Filiere.launch(
            command.name,
            command.kind,
            lead_partner,
            checked.decision,
            tuple(command.objectives),
            command.launched_on,
        )
        return self.record_decided(ctx, checked, filiere)

    @handler
    def change_lead_partner(self, ctx: CommandContext, command: ChangeLeadPartner) -> CommandResult:
        filiere = self.load_for_update(Filiere, command.filiere_id, command.expected_version)
        lead_partner = self.load(Organisation, command.lead_partner_id)
        checked = self.check_decision(
            command.decision.to_domain(),
            DecisionSubject(
                f"the chef de file of {filiere.name!r}",
                concerned_organisation_ids=frozenset({lead_partner.id, filiere.lead_partner_id}),
            ),
            filiere.id,
        )
        filiere.change_lead_partner(lead_partner, checked.decision)
        return self.record_decided(ctx, checked, filiere)

    @handler
    def join_project_group(self, ctx: CommandContext, command: JoinProjectGroup) -> CommandResult:
        filiere = self.load_for_update(Filiere, command.filiere_id, command.expected_version)
        filiere.add_to_project_group(
            self.load(Organisation, command.organisation_id), command.joined_on
        )
        return self.record(ctx, filiere)

    @handler
    def leave_project_group(self, ctx: CommandContext, command: LeaveProjectGroup) -> CommandResult:
        filiere = self.load_for_update(Filiere, command.filiere_id, command.expected_version)
        member = self.load(Organisation, command.organisation_id)
        filiere.remove_from_project_group(member, command.left_on)
        return self.record(ctx, filiere)

    @handler
    def set_objective(self, ctx: CommandContext, command: SetObjective) -> CommandResult:
        filiere = self.load_for_update(Filiere, command.filiere_id, command.expected_version)
        filiere.set_objective(command.objective, command.effective_on)
        return self.record(ctx, filiere)

    @handler
    def close_filiere(self, ctx: CommandContext, command: CloseFiliere) -> CommandResult:
        filiere = self.load_for_update(Filiere, command.filiere_id, command.expected_version)
        checked = self.check_decision(
            command.decision.to_domain(),
            DecisionSubject(f"the closing of filière {filiere.name!r}"),
            filiere.id,
        )
        filiere.close(checked.decision)
        return self.record_decided(ctx, checked, filiere)
