"""Launching filières, naming their chef de file, their project group and objectives."""

from datetime import date
from uuid import UUID

from application.base import FilieresApplicationBase, choice, command
from application.context import CommandContext, CommandResult
from application.decision_checks import DecisionSubject
from domain.decision import Decision
from domain.filiere import Filiere, FiliereKind
from domain.organisation import Organisation


class FiliereCommands(FilieresApplicationBase):
    @command
    def launch_filiere(
        self,
        ctx: CommandContext,
        name: str,
        kind: FiliereKind,
        lead_partner_id: UUID,
        decision: Decision,
        objectives: tuple[str, ...] = (),
        launched_on: date | None = None,
    ) -> CommandResult:
        lead_partner = self.load(Organisation, lead_partner_id)
        self.check_decision(
            decision,
            DecisionSubject(
                f"the launch of filière {name!r}",
                concerned_organisation_ids=frozenset({lead_partner_id}),
            ),
        )
        filiere = Filiere.launch(
            name,
            choice(FiliereKind, kind, "kind"),
            lead_partner,
            decision,
            tuple(objectives),
            launched_on,
        )
        return self.record(ctx, filiere)

    @command
    def change_lead_partner(
        self,
        ctx: CommandContext,
        filiere_id: UUID,
        lead_partner_id: UUID,
        decision: Decision,
        expected_version: int | None = None,
    ) -> CommandResult:
        filiere = self.load_for_update(Filiere, filiere_id, expected_version)
        lead_partner = self.load(Organisation, lead_partner_id)
        self.check_decision(
            decision,
            DecisionSubject(
                f"the chef de file of {filiere.name!r}",
                concerned_organisation_ids=frozenset({lead_partner_id, filiere.lead_partner_id}),
            ),
            filiere_id,
        )
        filiere.change_lead_partner(lead_partner, decision)
        return self.record(ctx, filiere)

    @command
    def join_project_group(
        self,
        ctx: CommandContext,
        filiere_id: UUID,
        organisation_id: UUID,
        joined_on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        filiere = self.load_for_update(Filiere, filiere_id, expected_version)
        filiere.add_to_project_group(self.load(Organisation, organisation_id), joined_on)
        return self.record(ctx, filiere)

    @command
    def leave_project_group(
        self,
        ctx: CommandContext,
        filiere_id: UUID,
        organisation_id: UUID,
        left_on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        filiere = self.load_for_update(Filiere, filiere_id, expected_version)
        filiere.remove_from_project_group(organisation_id, left_on)
        return self.record(ctx, filiere)

    @command
    def set_objective(
        self,
        ctx: CommandContext,
        filiere_id: UUID,
        objective: str,
        effective_on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        filiere = self.load_for_update(Filiere, filiere_id, expected_version)
        filiere.set_objective(objective, effective_on)
        return self.record(ctx, filiere)

    @command
    def close_filiere(
        self,
        ctx: CommandContext,
        filiere_id: UUID,
        decision: Decision,
        expected_version: int | None = None,
    ) -> CommandResult:
        filiere = self.load_for_update(Filiere, filiere_id, expected_version)
        self.check_decision(
            decision, DecisionSubject(f"the closing of filière {filiere.name!r}"), filiere_id
        )
        filiere.close(decision)
        return self.record(ctx, filiere)
