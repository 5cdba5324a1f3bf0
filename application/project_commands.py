"""Proposing projects, their partners, their lifecycle and milestones."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from application.base import FilieresApplicationBase, choice, command
from application.context import CommandContext, CommandResult
from application.decision_checks import DecisionSubject
from domain.call import Call
from domain.decision import Decision
from domain.errors import InvalidValueError
from domain.filiere import Filiere
from domain.money import to_amount
from domain.organisation import Organisation
from domain.project import Project, ProjectPartner, ProjectStatus


class ProjectCommands(FilieresApplicationBase):
    @command
    def propose_project(
        self,
        ctx: CommandContext,
        filiere_id: UUID,
        title: str,
        proposed_on: date,
        partners: tuple[ProjectPartner, ...] = (),
        estimated_budget: Decimal | str | None = None,
        origin_call_id: UUID | None = None,
        origin_candidacy_id: UUID | None = None,
    ) -> CommandResult:
        filiere = self.load(Filiere, filiere_id)
        for partner in partners:
            self.load(Organisation, partner.organisation_id)
        if (origin_call_id is None) != (origin_candidacy_id is None):
            raise InvalidValueError("origin_candidacy_id and origin_call_id go together")
        origin_call = None if origin_call_id is None else self.load(Call, origin_call_id)
        project = Project.propose(
            filiere,
            title,
            proposed_on,
            tuple(partners),
            None if estimated_budget is None else to_amount(estimated_budget),
            origin_call,
            origin_candidacy_id,
        )
        if origin_call is not None and origin_candidacy_id is not None:
            # The selection is what led to this project.
            selection = origin_call.candidacy(origin_candidacy_id).decision_version
            ctx = ctx.caused_by(self.event_ref(origin_call.id, selection))
        return self.record(ctx, project)

    @command
    def join_project_partner(
        self,
        ctx: CommandContext,
        project_id: UUID,
        organisation_id: UUID,
        role: str,
        joined_on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        project = self.load_for_update(Project, project_id, expected_version)
        project.join_partner(self.load(Organisation, organisation_id), role, joined_on)
        return self.record(ctx, project)

    @command
    def change_project_status(
        self,
        ctx: CommandContext,
        project_id: UUID,
        status: ProjectStatus,
        effective_on: date,
        decision: Decision | None = None,
        expected_version: int | None = None,
    ) -> CommandResult:
        project = self.load_for_update(Project, project_id, expected_version)
        if decision is not None:
            self.check_decision(
                decision,
                DecisionSubject(
                    f"the project {project.title!r} becoming {status}",
                    concerned_organisation_ids=frozenset(project.partner_ids),
                ),
                project_id,
            )
        project.change_status(choice(ProjectStatus, status, "status"), effective_on, decision)
        return self.record(ctx, project)

    @command
    def reach_milestone(
        self,
        ctx: CommandContext,
        project_id: UUID,
        label: str,
        reached_on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        project = self.load_for_update(Project, project_id, expected_version)
        project.reach_milestone(label, reached_on)
        return self.record(ctx, project)
