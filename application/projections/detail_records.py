"""What the detail views answer: one call, project or funding line with its current state.

Each entity carries `version`, the aggregate version of the last event applied to
it, and `position`, that event's place in the log: a client can send `version` back
as `expected_version`, and wait for `position` to read its own writes.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import Field, PlainSerializer

from application.projections.records import ReadModel
from domain.money import Amount, Total

ShareText = Annotated[
    Decimal, PlainSerializer(lambda d: f"{d:.4f}", return_type=str, when_used="json")
]
"""A share of a budget, between 0 and 1, as a decimal string with 4 places."""


# Calls
class CandidacyReview(ReadModel):
    reviewer: str
    score: int | None
    opinion: str
    reviewed_on: date
    position: int


class CandidacyDetails(ReadModel):
    id: UUID
    candidate_id: UUID
    project_title: str
    requested_amount: Amount | None
    submitted_on: date
    status: str
    """submitted (not decided yet), withdrawn, selected or rejected."""
    withdrawn_on: date | None
    decided_on: date | None
    """The date of the decision in force: a reversal replaces the one it reverses."""
    decision_position: int | None
    """Log position of the event that decided the candidacy as it stands."""
    review_count: int
    reviews: list[CandidacyReview]


class CallDetails(ReadModel):
    id: UUID
    filiere_id: UUID
    title: str
    kind: str
    issuer_id: UUID
    opens_on: date
    closes_on: date
    budget_envelope: Amount | None
    max_selected: int | None
    status: str
    launched_on: date
    closed_on: date | None
    """When submissions were closed."""
    concluded_on: date | None
    candidacies_by_status: dict[str, int]
    """Current status of every candidacy: submitted, withdrawn, selected, rejected."""
    selected_amount: Total
    """Sum of the amounts requested by the selected candidacies (none requested counts 0)."""
    candidacies: list[CandidacyDetails]
    """In the order they were submitted."""
    version: int
    position: int


# Projects
class ProjectPartnerLine(ReadModel):
    organisation_id: UUID
    role: str
    joined_on: date


class MilestoneLine(ReadModel):
    label: str
    reached_on: date
    position: int


class StatusChange(ReadModel):
    status: str
    effective_on: date
    position: int
    """Log position of the event: the proposal for `proposed`, else the status change."""
    decision_position: int | None
    """Same as `position` when the change was a decision (approved, abandoned), else None."""


class ProjectDetails(ReadModel):
    id: UUID
    filiere_id: UUID
    title: str
    status: str
    status_since: date
    proposed_on: date
    estimated_budget: Amount | None
    origin_call_id: UUID | None
    origin_candidacy_id: UUID | None
    partners: list[ProjectPartnerLine]
    milestones: list[MilestoneLine]
    status_history: list[StatusChange]
    """From the proposal to the current status, in log order."""
    version: int
    position: int


# Funding
class LedgerEntry(ReadModel):
    """One event of a funding line, as a line of its ledger."""

    kind: str
    """granted, amount_revised, disbursed or cancelled."""
    effective_on: date
    """The decision's date, or the day a disbursement was paid."""
    amount: Amount | None
    """Granted (None when unknown), revised to, or paid; None for a cancellation."""
    position: int
    body_id: UUID | None
    """The deciding body; None for a disbursement (not a decision)."""
    decided_on: date | None


class PaymentPeriodRecord(ReadModel):
    from_: date = Field(alias="from")
    to: date | None


class AgreementRecord(ReadModel):
    """The funding line's agreement (convention)."""

    signed_on: date
    reference: str
    purpose: str
    payment_terms: str
    payment_period: PaymentPeriodRecord
    eu_notified: bool
    state_aid_regime: str
    rae_id: str | None
    aid_scheme: str | None


class FundingLedger(ReadModel):
    id: UUID
    project_id: UUID
    funder_id: UUID
    beneficiary_id: UUID | None
    """None where the source names no beneficiary."""
    kind: str
    nature: str | None
    """cash, in_kind or cash_and_in_kind; None where the source does not say."""
    amount: Amount | None
    """None while no decision has set it."""
    currency: str
    granted_on: date
    project_budget: Amount | None
    """The project's estimated budget, if it has one."""
    share_of_budget: ShareText | None
    """amount / the project's estimated budget, 4 places; None if either is unknown."""
    agreement: AgreementRecord | None
    disbursed: Total
    """Paid less what was recovered."""
    recovered: Total
    """Paid back by the beneficiary (reversements)."""
    remaining: Total | None
    """amount − disbursed; 0.00 once cancelled; None while the amount is unknown."""
    cancelled_on: date | None
    entries: list[LedgerEntry]
    """In log order."""
    version: int
    position: int
