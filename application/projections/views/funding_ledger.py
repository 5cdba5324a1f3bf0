"""FundingLedger: each funding line with its amount, what was paid and what remains, and its ledger.

The ledger has one entry per event of the line: granted, amount_revised,
disbursed, cancelled. Each line carries the funding's aggregate version and
log position after the last event applied to it.
"""

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, TypedDict
from uuid import UUID

from eventsourcing.persistence import Tracking

from application.projections.detail_records import FundingLedger, LedgerEntry
from application.projections.rows import Reader, Rows
from application.projections.tables import INDEXED, KEY, POSITION, UNIQUE, Table, Text
from application.projections.view import View
from application.projections.view_reads import DetailReads, children
from domain.decision import Decision
from domain.funding import Funding

ZERO = Decimal("0.00")


class LedgerEntryKind(StrEnum):
    GRANTED = "granted"
    AMOUNT_REVISED = "amount_revised"
    DISBURSED = "disbursed"
    CANCELLED = "cancelled"


class FundingLine(TypedDict):
    funding_id: Annotated[UUID, KEY]
    grant_position: Annotated[int, POSITION, UNIQUE]
    project_id: Annotated[UUID, INDEXED]
    funder_id: UUID
    kind: Annotated[str, Text(32)]
    amount: Decimal | None
    currency: Annotated[str, Text(3)]
    granted_on: date
    disbursed: Decimal
    cancelled_on: date | None
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


FUNDINGS = Table("funding_ledger", FundingLine)
ENTRIES = Table("funding_ledger_entries", EntryRow)
VIEW = View("funding_ledger", version=1, tables=(FUNDINGS, ENTRIES))


@VIEW.handles
def granted(event: Funding.Granted, rows: Rows, at: Tracking) -> None:
    decided_on = event.decision.decided_on
    rows.insert(
        FUNDINGS,
        {
            "funding_id": event.originator_id,
            "grant_position": at.notification_id,
            "project_id": event.project_id,
            "funder_id": event.funder_id,
            "kind": event.kind.value,
            "amount": event.amount,
            "currency": event.currency,
            "granted_on": decided_on,
            "disbursed": ZERO,
            "cancelled_on": None,
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
