"""Granting funding, revising its amount, recording disbursements, cancelling."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from application.base import FilieresApplicationBase, choice, command
from application.context import CommandContext, CommandResult
from application.decision_checks import DecisionSubject
from domain.decision import Decision
from domain.funding import Funding, FundingKind
from domain.money import to_amount
from domain.organisation import Organisation
from domain.project import Project


class FundingCommands(FilieresApplicationBase):
    @command
    def grant_funding(
        self,
        ctx: CommandContext,
        project_id: UUID,
        funder_id: UUID,
        kind: FundingKind,
        decision: Decision,
        amount: Decimal | str | None = None,
    ) -> CommandResult:
        project = self.load(Project, project_id)
        funder = self.load(Organisation, funder_id)
        self.check_decision(
            decision, self._subject(f"funding of {project.title!r}", project, funder_id)
        )
        funding = Funding.grant(
            project,
            funder,
            choice(FundingKind, kind, "kind"),
            decision,
            None if amount is None else to_amount(amount),
        )
        return self.record(ctx, funding)

    @command
    def revise_funding_amount(
        self,
        ctx: CommandContext,
        funding_id: UUID,
        amount: Decimal | str,
        decision: Decision,
        expected_version: int | None = None,
    ) -> CommandResult:
        funding = self._decided_funding(funding_id, expected_version, decision, "the amount")
        funding.revise_amount(to_amount(amount), decision)
        return self.record(ctx, funding)

    @command
    def record_disbursement(
        self,
        ctx: CommandContext,
        funding_id: UUID,
        amount: Decimal | str,
        paid_on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        funding = self.load_for_update(Funding, funding_id, expected_version)
        funding.record_disbursement(to_amount(amount), paid_on)
        return self.record(ctx, funding)

    @command
    def cancel_funding(
        self,
        ctx: CommandContext,
        funding_id: UUID,
        decision: Decision,
        expected_version: int | None = None,
    ) -> CommandResult:
        funding = self._decided_funding(funding_id, expected_version, decision, "the cancellation")
        funding.cancel(decision)
        return self.record(ctx, funding)

    def _decided_funding(
        self, funding_id: UUID, expected_version: int | None, decision: Decision, what: str
    ) -> Funding:
        """The funding line, once `decision` about it passed the governance checks."""
        funding = self.load_for_update(Funding, funding_id, expected_version)
        project = self.load(Project, funding.project_id)
        subject = self._subject(
            f"{what} of the funding of {project.title!r}", project, funding.funder_id
        )
        self.check_decision(decision, subject, funding_id)
        return funding

    @staticmethod
    def _subject(description: str, project: Project, funder_id: UUID) -> DecisionSubject:
        return DecisionSubject(
            description,
            acting_organisation_id=funder_id,
            must_belong=True,
            concerned_organisation_ids=frozenset(project.partner_ids),
        )
