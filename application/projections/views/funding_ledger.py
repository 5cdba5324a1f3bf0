"""FundingLedger: each funding line with its amount, what was paid and what remains, and its ledger.

The ledger has one entry per event of the line: granted, amount_revised,
disbursed, cancelled, agreement_signed, recovered. Each line carries the
funding's aggregate version and log position after the last event applied to
it, its beneficiary, its agreement and its share of its project's budget.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Annotated, TypedDict
from uuid import UUID

from eventsourcing.persistence import Tracking

from application.projections.detail_records import FundingLedger, LedgerEntry
from application.projections.rows import Reader, Rows
from application.projections.tables import INDEXED, KEY, POSITION, UNIQUE, Table, Text
from application.projections.view import View
from application.projections.view_reads import DetailReads, children, rows_where
from domain.decision import Decision
from domain.funding import Funding
from domain.project import Project

ZERO = Decimal("0.00")
SHARE_PLACES = Decimal("0.0001")


class LedgerEntryKind(StrEnum):
    GRANTED = "granted"
    AMOUNT_REVISED = "amount_revised"
    DISBURSED = "disbursed"
    CANCELLED = "cancelled"
    AGREEMENT_SIGNED = "agreement_signed"
    RECOVERED = "recovered"


class FundingLine(TypedDict):
    funding_id: Annotated[UUID, KEY]
    grant_position: Annotated[int, POSITION, UNIQUE]
    project_id: Annotated[UUID, INDEXED]
    funder_id: Annotated[UUID, INDEXED]
    beneficiary_id: UUID | None
    kind: Annotated[str, Text(32)]
    nature: Annotated[str, Text(32)] | None
    amount: Decimal | None
    currency: Annotated[str, Text(3)]
    granted_on: date
    project_budget: Decimal | None
    disbursed: Decimal
    recovered: Decimal
    cancelled_on: date | None
    signed_on: date | None
    reference: Annotated[str, Text(500)] | None
    purpose: Annotated[str, Text(256)] | None
    payment_terms: Annotated[str, Text(32)] | None
    period_from: date | None
    period_to: date | None
    eu_notified: bool | None
    state_aid_regime: Annotated[str, Text(32)] | None
    rae_id: Annotated[str, Text(5)] | None
    aid_scheme: Annotated[str, Text(500)] | None
    version: int
    position: Annotated[int, POSITION]


class EntryRow(TypedDict):
    position: Annotated[int, POSITION, KEY]
    funding_id: Annotated[UUID, INDEXED]
    kind: Annotated[str, Text(32)]
    effective_on: date
    amount: Decimal | None
    body_id: UUID | None
    decided_on: date | None


class ProjectBudgetRow(TypedDict):
    project_id: Annotated[UUID, KEY]
    estimated_budget: Decimal | None


FUNDINGS = Table("funding_ledger", FundingLine)
ENTRIES = Table("funding_ledger_entries", EntryRow)
BUDGETS = Table("funding_ledger_budgets", ProjectBudgetRow)
VIEW = View("funding_ledger", version=2, tables=(FUNDINGS, ENTRIES, BUDGETS))
NO_AGREEMENT = dict.fromkeys(
    (
        "signed_on",
        "reference",
        "purpose",
        "payment_terms",
        "period_from",
        "period_to",
        "eu_notified",
        "state_aid_regime",
        "rae_id",
        "aid_scheme",
    )
)


@VIEW.handles
def project_proposed(event: Project.Proposed, rows: Rows, at: Tracking) -> None:
    """Each project's budget, for its lines' share of it."""
    rows.insert(
        BUDGETS,
        {"project_id": event.originator_id, "estimated_budget": event.estimated_budget},
    )


@VIEW.handles
def granted(event: Funding.Granted, rows: Rows, at: Tracking) -> None:
    decided_on = event.decision.decided_on
    budget = rows.get(BUDGETS, (event.project_id,))
    rows.insert(
        FUNDINGS,
        {
            "funding_id": event.originator_id,
            "grant_position": at.notification_id,
            "project_id": event.project_id,
            "funder_id": event.funder_id,
            "beneficiary_id": event.beneficiary_id,
            "kind": event.kind.value,
            "nature": None if event.nature is None else event.nature.value,
            "amount": event.amount,
            "currency": event.currency,
            "granted_on": decided_on,
            "project_budget": None if budget is None else budget["estimated_budget"],
            "disbursed": ZERO,
            "recovered": ZERO,
            "cancelled_on": None,
            **NO_AGREEMENT,  # type: ignore[typeddict-item]
            "version": event.originator_version,
            "position": at.notification_id,
        },
    )
    _entry(rows, event, LedgerEntryKind.GRANTED, decided_on, event.amount, at, event.decision)


@VIEW.handles
def amount_revised(event: Funding.AmountRevised, rows: Rows, at: Tracking) -> None:
    decided_on = event.decision.decided_on
    _entry(
        rows, event, LedgerEntryKind.AMOUNT_REVISED, decided_on, event.amount, at, event.decision
    )
    _touch(rows, event, at, {"amount": event.amount})


@VIEW.handles
def disbursed(event: Funding.DisbursementRecorded, rows: Rows, at: Tracking) -> None:
    _entry(rows, event, LedgerEntryKind.DISBURSED, event.paid_on, event.amount, at, None)
    line = rows.get(FUNDINGS, (event.originator_id,))
    if line is not None:
        _touch(rows, event, at, {"disbursed": line["disbursed"] + event.amount})


@VIEW.handles
def cancelled(event: Funding.Cancelled, rows: Rows, at: Tracking) -> None:
    decided_on = event.decision.decided_on
    _entry(rows, event, LedgerEntryKind.CANCELLED, decided_on, None, at, event.decision)
    _touch(rows, event, at, {"cancelled_on": decided_on})


@VIEW.handles
def agreement_signed(event: Funding.AgreementSigned, rows: Rows, at: Tracking) -> None:
    agreement = event.agreement
    _entry(rows, event, LedgerEntryKind.AGREEMENT_SIGNED, agreement.signed_on, None, at, None)
    _touch(
        rows,
        event,
        at,
        {
            "signed_on": agreement.signed_on,
            "reference": agreement.reference,
            "purpose": agreement.purpose,
            "payment_terms": agreement.payment_terms.value,
            "period_from": agreement.payment_period.from_,
            "period_to": agreement.payment_period.to,
            "eu_notified": agreement.eu_notified,
            "state_aid_regime": agreement.state_aid_regime.value,
            "rae_id": agreement.rae_id,
            "aid_scheme": agreement.aid_scheme,
        },
    )


@VIEW.handles
def recovered(event: Funding.RecoveryRecorded, rows: Rows, at: Tracking) -> None:
    _entry(rows, event, LedgerEntryKind.RECOVERED, event.recovered_on, event.amount, at, None)
    line = rows.get(FUNDINGS, (event.originator_id,))
    if line is not None:
        _touch(
            rows,
            event,
            at,
            {
                "disbursed": line["disbursed"] - event.amount,
                "recovered": line["recovered"] + event.amount,
            },
        )


def _touch(rows: Rows, event: Funding.Event, at: Tracking, values: dict[str, object]) -> None:
    """Set `values` on the funding line, and its version and position to this event's."""
    values.update(version=event.originator_version, position=at.notification_id)
    rows.update(FUNDINGS, (event.originator_id,), values)


def _entry(
    rows: Rows,
    event: Funding.Event,
    kind: LedgerEntryKind,
    effective_on: date,
    amount: Decimal | None,
    at: Tracking,
    decision: Decision | None,
) -> None:
    rows.insert(
        ENTRIES,
        {
            "position": at.notification_id,
            "funding_id": event.originator_id,
            "kind": kind.value,
            "effective_on": effective_on,
            "amount": amount,
            "body_id": None if decision is None else decision.body_id,
            "decided_on": None if decision is None else decision.decided_on,
        },
    )


# Reads
def fundings_of_funder(db: Reader, funder_id: UUID) -> list[FundingLedger]:
    """The funder's lines, in the order they were granted."""
    return _ledgers(db, rows_where(db, FUNDINGS, "funder_id", funder_id, ("grant_position",)))


def _ledgers(db: Reader, lines: list[FundingLine]) -> list[FundingLedger]:
    """The funding lines (in their order), each with its ledger entries."""
    ids = [line["funding_id"] for line in lines]
    entries = children(db, ENTRIES, "funding_id", ids, ("position",), LedgerEntry.model_validate)
    return [
        FundingLedger.model_validate(
            {
                **line,
                "id": line["funding_id"],
                "remaining": _remaining(line),
                "share_of_budget": share_of_budget(line["amount"], line["project_budget"]),
                "agreement": _agreement(line),
                "entries": entries[line["funding_id"]],
            }
        )
        for line in lines
    ]


READS = DetailReads(VIEW, FUNDINGS, "funding_id", "project_id", ("grant_position",), _ledgers)
"""A funding line by its id; a project's, in the order they were granted."""


def _remaining(line: FundingLine) -> Decimal | None:
    """What is still to be paid: nothing once cancelled, unknown while the amount is."""
    if line["cancelled_on"] is not None:
        return ZERO
    return None if line["amount"] is None else line["amount"] - line["disbursed"]


def share_of_budget(amount: Decimal | None, budget: Decimal | None) -> Decimal | None:
    """amount / budget to 4 places (half up); None if either is unknown."""
    if amount is None or budget is None:
        return None
    return (amount / budget).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def _agreement(line: FundingLine) -> dict[str, object] | None:
    if line["signed_on"] is None:
        return None
    return {
        **{k: line[k] for k in NO_AGREEMENT if not k.startswith("period_")},  # type: ignore[literal-required]
        "payment_period": {"from": line["period_from"], "to": line["period_to"]},
    }
