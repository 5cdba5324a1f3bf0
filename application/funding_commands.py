"""Funding lines: granted by a funder's decision, revised, paid out, cancelled."""

from uuid import UUID

from pydantic import Field

from application.base import CheckedDecision, FilieresApplicationBase
from application.command import Command, handler
from application.context import CommandContext, CommandResult
from application.decision_checks import DecisionSubject
from application.payload import (
    AmountText,
    DecisionOnly,
    DecisionPayload,
    EffectiveDay,
    Payload,
    amount_or_none,
)
from domain.funding import Funding, FundingKind
from domain.money import to_amount
from domain.organisation import Organisation
from domain.project import Project


class OnFunding(Command):
    """A command on a granted funding line, at the version its caller expects if given."""

    funding_id: UUID
    expected_version: int | None = None


class FundingCreate(Payload):
    project_id: UUID
    funder_id: UUID
    kind: FundingKind
    decision: DecisionPayload
    amount: AmountText | None = Field(
        default=None, description="Omit or null when the decision sets no amount yet."
    )


class GrantFunding(FundingCreate, Command):
    """A funder's body grants a project funding, with or without an amount yet."""


class AmountRevision(Payload):
    amount: AmountText
    decision: DecisionPayload


class ReviseFundingAmount(AmountRevision, OnFunding):
    """The funder's body sets or changes the amount."""


class DisbursementCreate(Payload):
    amount: AmountText
    paid_on: EffectiveDay


class RecordDisbursement(DisbursementCreate, OnFunding):
    """The funder paid part of the amount on a day."""


class CancelFunding(DecisionOnly, OnFunding):
    """The funder's body cancels the line."""


class FundingCommands(FilieresApplicationBase):
    @handler
    def grant_funding(self, ctx: CommandContext, command: GrantFunding) -> CommandResult:
        project = self.load(Project, command.project_id)
        funder = self.load(Organisation, command.funder_id)
        checked = self.check_decision(
            command.decision.to_domain(),
            _subject(f"funding of {project.title!r}", project, command.funder_id),
        )
        funding = Funding.grant(
            project, funder, command.kind, checked.decision, amount_or_none(command.amount)
        )
        return self.record_decided(ctx, checked, funding)

    @handler
    def revise_funding_amount(
        self, ctx: CommandContext, command: ReviseFundingAmount
    ) -> CommandResult:
        funding, checked = self._decided(command, command.decision, "the amount")
        funding.revise_amount(to_amount(command.amount), checked.decision)
        return self.record_decided(ctx, checked, funding)

    @handler
    def record_disbursement(
        self, ctx: CommandContext, command: RecordDisbursement
    ) -> CommandResult:
        funding = self.load_for_update(Funding, command.funding_id, command.expected_version)
        funding.record_disbursement(to_amount(command.amount), command.paid_on)
        return self.record(ctx, funding)

    @handler
    def cancel_funding(self, ctx: CommandContext, command: CancelFunding) -> CommandResult:
        funding, checked = self._decided(command, command.decision, "the cancellation")
        funding.cancel(checked.decision)
        return self.record_decided(ctx, checked, funding)

    def _decided(
        self, command: OnFunding, payload: DecisionPayload, what: str
    ) -> tuple[Funding, CheckedDecision]:
        """The funding line and the decision about it, once the decision passed the checks."""
        funding = self.load_for_update(Funding, command.funding_id, command.expected_version)
        project = self.load(Project, funding.project_id)
        subject = _subject(
            f"{what} of the funding of {project.title!r}", project, funding.funder_id
        )
        return funding, self.check_decision(payload.to_domain(), subject, funding.id)


def _subject(description: str, project: Project, funder_id: UUID) -> DecisionSubject:
    return DecisionSubject(
        description,
        acting_organisation_id=funder_id,
        must_belong=True,
        concerned_organisation_ids=frozenset(project.partner_ids),
        interested_organisation_ids=frozenset(project.partner_ids),
    )
