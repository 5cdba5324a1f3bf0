"""Supported projects: proposal, partners, status, milestones."""

from enum import StrEnum
from uuid import UUID

from pydantic import ConfigDict, Field, model_validator

from application.base import FilieresApplicationBase
from application.command import Command, handler
from application.context import CommandContext, CommandResult
from application.decision_checks import ASSOCIATION_DECIDES, DecisionSubject
from application.payload import (
    AmountText,
    DecisionPayload,
    EffectiveDay,
    Payload,
    amount_or_none,
)
from domain.call import Call
from domain.errors import (
    ChronologyError,
    FiliereClosedError,
    InvalidStatusTransitionError,
    OrganisationArchivedError,
    OriginMismatchError,
    ProjectGroupError,
)
from domain.filiere import Filiere
from domain.organisation import Organisation
from domain.project import Label, Project, ProjectPartner, ProjectStatus, Role, Title

# What a project may become: every status but the one it starts with.
NewStatus = StrEnum(  # type: ignore[misc]  # mypy cannot list computed members
    "NewStatus", {s.name: s.value for s in ProjectStatus if s != ProjectStatus.PROPOSED}
)


class PartnerPayload(Payload):
    # A domain ProjectPartner is accepted as well.
    model_config = ConfigDict(from_attributes=True)

    organisation_id: UUID
    role: Role


class OnProject(Command):
    """A command on a proposed project, at the version its caller expects if given."""

    project_id: UUID
    expected_version: int | None = None


class ProjectCreate(Payload):
    filiere_id: UUID
    title: Title
    proposed_on: EffectiveDay
    partners: list[PartnerPayload] = Field(default=[], max_length=200)
    estimated_budget: AmountText | None = None
    origin_call_id: UUID | None = None
    origin_candidacy_id: UUID | None = None

    @model_validator(mode="after")
    def _origin_names_both(self) -> "ProjectCreate":
        if (self.origin_call_id is None) != (self.origin_candidacy_id is None):
            raise ValueError("origin_candidacy_id and origin_call_id go together")
        return self


class ProposeProject(ProjectCreate, Command):
    """A project is proposed in a filière, from a selected candidacy or not."""

    # A candidacy that is not selected does not become a project: a status refusal.
    refusals = (FiliereClosedError, InvalidStatusTransitionError, OriginMismatchError)


class ProjectPartnerJoin(Payload):
    organisation_id: UUID
    role: Role
    joined_on: EffectiveDay


class JoinProjectPartner(ProjectPartnerJoin, OnProject):
    """An organisation becomes a partner of the project."""

    refusals = (OrganisationArchivedError, ProjectGroupError)


class StatusChange(Payload):
    status: NewStatus
    effective_on: EffectiveDay
    decision: DecisionPayload | None = Field(
        default=None, description="Required for approved and abandoned."
    )


class ChangeProjectStatus(StatusChange, OnProject):
    """The project is approved, started, completed or abandoned (the first and last decided)."""

    refusals = (InvalidStatusTransitionError, ChronologyError)
    deciders = ASSOCIATION_DECIDES + "; only approving and abandoning take a decision"


class MilestoneCreate(Payload):
    label: Label
    reached_on: EffectiveDay


class ReachMilestone(MilestoneCreate, OnProject):
    """The project reached a milestone."""


class ProjectCommands(FilieresApplicationBase):
    @handler
    def propose_project(self, ctx: CommandContext, command: ProposeProject) -> CommandResult:
        filiere = self.load(Filiere, command.filiere_id)
        partners = tuple(
            ProjectPartner(organisation_id=p.organisation_id, role=p.role) for p in command.partners
        )
        for partner in partners:
            self.load(Organisation, partner.organisation_id)
        call_id, candidacy_id = command.origin_call_id, command.origin_candidacy_id
        origin_call = None if call_id is None else self.load(Call, call_id)
        project = Project.propose(
            filiere,
            command.title,
            command.proposed_on,
            partners,
            amount_or_none(command.estimated_budget),
            origin_call,
            candidacy_id,
        )
        if origin_call is not None and candidacy_id is not None:
            # The selection is what led to this project.
            selection = origin_call.candidacy(candidacy_id).decision_version
            ctx = ctx.caused_by(self.event_ref(origin_call.id, selection))
        return self.record(ctx, project)

    @handler
    def join_project_partner(
        self, ctx: CommandContext, command: JoinProjectPartner
    ) -> CommandResult:
        project = self.load_for_update(Project, command.project_id, command.expected_version)
        project.join_partner(
            self.load(Organisation, command.organisation_id), command.role, command.joined_on
        )
        return self.record(ctx, project)

    @handler
    def change_project_status(
        self, ctx: CommandContext, command: ChangeProjectStatus
    ) -> CommandResult:
        project = self.load_for_update(Project, command.project_id, command.expected_version)
        if command.decision is None:
            project.change_status(ProjectStatus(command.status), command.effective_on, None)
            return self.record(ctx, project)
        checked = self.check_decision(
            command.decision.to_domain(),
            DecisionSubject(
                f"the project {project.title!r} becoming {command.status}",
                concerned_organisation_ids=frozenset(project.partner_ids),
                interested_organisation_ids=frozenset(project.partner_ids),
            ),
            project.id,
        )
        project.change_status(ProjectStatus(command.status), command.effective_on, checked.decision)
        return self.record_decided(ctx, checked, project)

    @handler
    def reach_milestone(self, ctx: CommandContext, command: ReachMilestone) -> CommandResult:
        project = self.load_for_update(Project, command.project_id, command.expected_version)
        project.reach_milestone(command.label, command.reached_on)
        return self.record(ctx, project)
