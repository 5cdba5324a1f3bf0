"""Funding lines: money a funder commits to a project.

A decision to support can precede its amount: then `amount` is unknown until
revised, and nothing can be disbursed. Disbursed never exceeds granted; every
amount is a positive Decimal with two places, in EUR. A cancelled line takes
nothing more.
"""

from datetime import date
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import event

from domain.agreement import Agreement
from domain.base import Aggregate
from domain.decision import Decided, Decision
from domain.errors import (
    AgreementError,
    AmountUnknownError,
    ChronologyError,
    DisbursementExceedsGrantError,
    FundingCancelledError,
    ProjectClosedError,
    RecoveryExceedsPaymentsError,
)
from domain.money import Amount, Currency, format_eur, to_amount
from domain.organisation import Organisation
from domain.project import Project


class FundingKind(StrEnum):
    GRANT = "grant"
    LOAN = "loan"
    IN_KIND = "in_kind"
    STUDY = "study"
    UNKNOWN = "unknown"
    """The source does not publish the form of the support."""


class FundingNature(StrEnum):
    """Whether the aid is paid in money, given in kind, or both (SCDL's `nature`)."""

    CASH = "cash"
    IN_KIND = "in_kind"
    CASH_AND_IN_KIND = "cash_and_in_kind"


class Funding(Aggregate):
    """One funder's commitment to one project."""

    # Events
    class Granted(Aggregate.Created, Decided):
        project_id: UUID
        funder_id: UUID
        kind: FundingKind
        amount: Amount | None
        currency: Currency
        beneficiary_id: UUID | None = None
        """The organisation that receives the aid; None where the source names none."""
        nature: FundingNature | None = None
        """None where the source does not say (and for lines granted before it was asked)."""

    class AmountRevised(Decided):
        amount: Amount

    class DisbursementRecorded(Aggregate.Event):
        amount: Amount
        paid_on: date

    class Cancelled(Decided):
        pass

    class AgreementSigned(Aggregate.Event):
        agreement: Agreement

    class RecoveryRecorded(Aggregate.Event):
        """A reversement: the beneficiary paid back part of what it was paid."""

        amount: Amount
        recovered_on: date

    @classmethod
    def grant(
        cls,
        project: Project,
        funder: Organisation,
        kind: FundingKind,
        decision: Decision,
        amount: Decimal | None = None,
        beneficiary: Organisation | None = None,
        nature: FundingNature | None = FundingNature.CASH,
    ) -> "Funding":
        if not project.takes_funding:
            raise ProjectClosedError(
                f"project {project.title!r} is {project.status} and takes no more funding"
            )
        funder.require_not_archived()
        if beneficiary is not None:
            beneficiary.require_not_archived("the beneficiary ")
        return cls(
            project_id=project.id,
            funder_id=funder.id,
            kind=kind,
            amount=amount,
            currency="EUR",
            beneficiary_id=None if beneficiary is None else beneficiary.id,
            nature=nature,
            decision=decision,
            effective_on=decision.decided_on,
        )

    @event(Granted)
    def __init__(
        self,
        project_id: UUID,
        funder_id: UUID,
        kind: FundingKind,
        amount: Decimal | None,
        currency: str,
        decision: Decision,
        effective_on: date,
        beneficiary_id: UUID | None = None,
        nature: FundingNature | None = None,
    ) -> None:
        self.project_id = project_id
        self.beneficiary_id = beneficiary_id
        self.nature = nature
        self.funder_id = funder_id
        self.kind = kind
        self.amount = amount
        self.currency = currency
        self.granted_on = effective_on
        self.disbursements: list[tuple[date, Decimal]] = []
        self.recoveries: list[tuple[date, Decimal]] = []
        self.agreement: Agreement | None = None
        self.cancelled_on: date | None = None

    @property
    def disbursed(self) -> Decimal:
        """What the beneficiary was paid and kept: payments less recoveries."""
        paid = sum((amount for _, amount in self.disbursements), Decimal("0.00"))
        return paid - sum((amount for _, amount in self.recoveries), Decimal("0.00"))

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_on is not None

    def revise_amount(self, amount: Decimal, decision: Decision) -> None:
        amount = to_amount(amount)
        self._require_not_cancelled("revised")
        if amount < self.disbursed:
            raise DisbursementExceedsGrantError(
                f"{format_eur(self.disbursed)} has already been disbursed; the amount cannot"
                f" be revised to {format_eur(amount)}"
            )
        if decision.decided_on < self.granted_on:
            raise ChronologyError(
                f"a revision dated {decision.decided_on} precedes the grant of {self.granted_on}"
            )
        self._amount_revised(amount=amount, decision=decision, effective_on=decision.decided_on)

    @event(AmountRevised)
    def _amount_revised(self, amount: Decimal, decision: Decision, effective_on: date) -> None:
        self.amount = amount

    def record_disbursement(self, amount: Decimal, paid_on: date) -> None:
        amount = to_amount(amount)
        self._require_not_cancelled("paid")
        if self.amount is None:
            raise AmountUnknownError(
                "the amount of this funding is not known yet; nothing can be disbursed"
                " until a decision sets it"
            )
        self._require_after_grant(paid_on, f"a payment on {paid_on}")
        if self.agreement is not None and not self.agreement.payment_period.holds(paid_on):
            raise AgreementError(
                f"a payment on {paid_on} is outside the agreement's payment period"
                f" ({self.agreement.payment_period})"
            )
        if self.disbursed + amount > self.amount:
            raise DisbursementExceedsGrantError(
                f"disbursing {format_eur(amount)} brings the total disbursed to"
                f" {format_eur(self.disbursed + amount)}, above the {format_eur(self.amount)}"
                " granted"
            )
        self._disbursement_recorded(amount=amount, paid_on=paid_on, effective_on=paid_on)

    @event(DisbursementRecorded)
    def _disbursement_recorded(self, amount: Decimal, paid_on: date, effective_on: date) -> None:
        self.disbursements.append((paid_on, amount))

    def sign_agreement(self, agreement: Agreement) -> None:
        self._require_not_cancelled("signed")
        if self.amount is None:
            raise AmountUnknownError(
                "the amount of this funding is not known yet; an agreement is signed only once"
                " a decision sets it"
            )
        if self.agreement is not None:
            raise AgreementError(
                f"this funding's agreement {self.agreement.reference!r} was signed on"
                f" {self.agreement.signed_on}"
            )
        self._require_after_grant(agreement.signed_on, f"signed_on: {agreement.signed_on}")
        outside = [d for d, _ in self.disbursements if not agreement.payment_period.holds(d)]
        if outside:
            raise AgreementError(
                f"the payment of {outside[0]} is outside the payment period"
                f" ({agreement.payment_period})"
            )
        self._agreement_signed(agreement=agreement, effective_on=agreement.signed_on)

    @event(AgreementSigned)
    def _agreement_signed(self, agreement: Agreement, effective_on: date) -> None:
        self.agreement = agreement

    def record_recovery(self, amount: Decimal, recovered_on: date) -> None:
        amount = to_amount(amount)
        self._require_after_grant(recovered_on, f"recovered_on: {recovered_on}")
        if amount > self.disbursed:
            raise RecoveryExceedsPaymentsError(
                f"a recovery of {format_eur(amount)} is more than the {format_eur(self.disbursed)}"
                " paid and not yet recovered"
            )
        self._recovery_recorded(amount=amount, recovered_on=recovered_on, effective_on=recovered_on)

    @event(RecoveryRecorded)
    def _recovery_recorded(self, amount: Decimal, recovered_on: date, effective_on: date) -> None:
        self.recoveries.append((recovered_on, amount))

    def cancel(self, decision: Decision) -> None:
        self._require_not_cancelled("cancelled again")
        self._cancelled(decision=decision, effective_on=decision.decided_on)

    @event(Cancelled)
    def _cancelled(self, decision: Decision, effective_on: date) -> None:
        self.cancelled_on = effective_on

    def _require_after_grant(self, day: date, named: str) -> None:
        """Refuse what `named` dates on `day` when that day comes before the grant."""
        if day < self.granted_on:
            raise ChronologyError(f"{named} precedes the grant decided on {self.granted_on}")

    def _require_not_cancelled(self, action: str) -> None:
        if self.cancelled_on is not None:
            raise FundingCancelledError(
                f"this funding was cancelled on {self.cancelled_on} and cannot be {action}"
            )
