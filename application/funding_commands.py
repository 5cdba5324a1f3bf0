"""Funding lines: granted by a funder's decision, revised, paid out, cancelled."""

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from application.base import CheckedDecision
from application.command import Command, handler
from application.context import CommandContext, CommandResult
from application.decision_checks import FUNDER_DECIDES, DecisionSubject
from application.funding_checks import FundingChecks
from application.payload import (
    AmountText,
    DecisionOnly,
    DecisionPayload,
    EffectiveDay,
    Payload,
    amount_or_none,
)
from domain.agreement import Agreement, PaymentTerms, StateAidRegime
from domain.errors import (
    AgreementError,
    AmountUnknownError,
    ChronologyError,
    DeMinimisCeilingError,
    DisbursementExceedsGrantError,
    FundingCancelledError,
    OrganisationArchivedError,
    OverFinancedError,
    ProjectClosedError,
    RecoveryExceedsPaymentsError,
)
from domain.funding import Funding, FundingKind, FundingNature
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
    beneficiary_id: UUID | None = Field(
        default=None, description="The organisation receiving the aid; null if not published."
    )
    nature: FundingNature | None = Field(
        default=FundingNature.CASH, description="null when the source does not say."
    )


class GrantFunding(FundingCreate, Command):
    """A funder's body grants a project funding, with or without an amount yet."""

    refusals = (ProjectClosedError, OrganisationArchivedError, OverFinancedError)
    deciders = FUNDER_DECIDES


class AmountRevision(Payload):
    amount: AmountText
    decision: DecisionPayload


class ReviseFundingAmount(AmountRevision, OnFunding):
    """The funder's body sets or changes the amount."""

    refusals = (
        FundingCancelledError,
        DisbursementExceedsGrantError,
        OverFinancedError,
        AgreementError,
        DeMinimisCeilingError,
        ChronologyError,
    )
    deciders = FUNDER_DECIDES


class DisbursementCreate(Payload):
    amount: AmountText
    paid_on: EffectiveDay


class RecordDisbursement(DisbursementCreate, OnFunding):
    """The funder paid part of the amount on a day."""

    refusals = (
        FundingCancelledError,
        AmountUnknownError,
        DisbursementExceedsGrantError,
        AgreementError,
        ChronologyError,
    )


class CancelFunding(DecisionOnly, OnFunding):
    """The funder's body cancels the line."""

    # Its project's financing and its beneficiary's de minimis register are checked again.
    refusals = (FundingCancelledError, OverFinancedError, AgreementError, DeMinimisCeilingError)
    deciders = FUNDER_DECIDES


class PaymentPeriodPayload(Payload):
    from_: date = Field(alias="from")
    to: date | None = None


class AgreementCreate(Payload):
    """The convention, as SCDL « Subventions » publishes it."""

    signed_on: EffectiveDay
    reference: Annotated[str, StringConstraints(max_length=500)]
    purpose: Annotated[str, StringConstraints(max_length=256)]
    payment_terms: PaymentTerms
    payment_period: PaymentPeriodPayload
    eu_notified: bool
    state_aid_regime: StateAidRegime
    rae_id: Annotated[str, StringConstraints(max_length=5)] | None = None
    aid_scheme: Annotated[str, StringConstraints(max_length=500)] | None = None


class SignFundingAgreement(AgreementCreate, OnFunding):
    """The funder and the beneficiary signed the line's agreement; the line needs an amount."""

    refusals = (
        FundingCancelledError,
        AmountUnknownError,
        AgreementError,
        DeMinimisCeilingError,
        ChronologyError,
    )


class RecoveryCreate(Payload):
    amount: AmountText
    recovered_on: EffectiveDay


class RecordRecovery(RecoveryCreate, OnFunding):
    """The beneficiary paid back part of what it was paid (reversement)."""

    refusals = (RecoveryExceedsPaymentsError, ChronologyError)


class FundingCommands(FundingChecks):
    @handler
    def grant_funding(self, ctx: CommandContext, command: GrantFunding) -> CommandResult:
        project = self.load(Project, command.project_id)
        funder = self.load(Organisation, command.funder_id)
        beneficiary_id = command.beneficiary_id
        beneficiary = None if beneficiary_id is None else self.load(Organisation, beneficiary_id)
        checked = self.check_decision(
            command.decision.to_domain(),
            _subject(f"funding of {project.title!r}", project, command.funder_id, beneficiary_id),
        )
        decision = checked.decision
        funding = Funding.grant(
            project,
            funder,
            command.kind,
            decision,
            amount_or_none(command.amount),
            beneficiary,
            command.nature,
        )
        financed = self.financed(funding, project, decision.decided_on)
        return self.record_decided(ctx, checked, funding, *financed)

    @handler
    def revise_funding_amount(
        self, ctx: CommandContext, command: ReviseFundingAmount
    ) -> CommandResult:
        funding, checked = self._decided(command, command.decision, "the amount")
        decision = checked.decision
        funding.revise_amount(to_amount(command.amount), decision)
        project = self.load(Project, funding.project_id)
        rechecked = self.financed(funding, project, decision.decided_on) + self.de_minimis(funding)
        return self.record_decided(ctx, checked, funding, *rechecked)

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
        decision = checked.decision
        funding.cancel(decision)
        project = self.load(Project, funding.project_id)
        rechecked = self.financed(funding, project, decision.decided_on) + self.de_minimis(funding)
        return self.record_decided(ctx, checked, funding, *rechecked)

    @handler
    def sign_funding_agreement(
        self, ctx: CommandContext, command: SignFundingAgreement
    ) -> CommandResult:
        funding = self.load_for_update(Funding, command.funding_id, command.expected_version)
        agreement = Agreement.model_validate(
            command.model_dump(include=set(AgreementCreate.model_fields), by_alias=True)
        )
        funding.sign_agreement(agreement)
        return self.record(ctx, funding, *self.de_minimis(funding))

    @handler
    def record_recovery(self, ctx: CommandContext, command: RecordRecovery) -> CommandResult:
        funding = self.load_for_update(Funding, command.funding_id, command.expected_version)
        funding.record_recovery(to_amount(command.amount), command.recovered_on)
        return self.record(ctx, funding)

    def _decided(
        self, command: OnFunding, payload: DecisionPayload, what: str
    ) -> tuple[Funding, CheckedDecision]:
        """The funding line and the decision about it, once the decision passed the checks."""
        funding = self.load_for_update(Funding, command.funding_id, command.expected_version)
        project = self.load(Project, funding.project_id)
        subject = _subject(
            f"{what} of the funding of {project.title!r}",
            project,
            funding.funder_id,
            funding.beneficiary_id,
        )
        return funding, self.check_decision(payload.to_domain(), subject, funding.id)


def _subject(
    description: str, project: Project, funder_id: UUID, beneficiary_id: UUID | None
) -> DecisionSubject:
    concerned = project.partner_ids | ({beneficiary_id} if beneficiary_id else set())
    return DecisionSubject(
        description,
        acting_organisation_id=funder_id,
        must_belong=True,
        concerned_organisation_ids=frozenset(concerned),
        interested_organisation_ids=frozenset(concerned),
    )
