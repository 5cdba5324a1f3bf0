"""FiliereOverview's money: each funding line, its funder's totals in the filière and the filière's.

Cancelled fundings count in `disbursed` for what was paid, never in `granted`; what a
beneficiary paid back (a recovery) is taken off `disbursed`.
"""

from decimal import Decimal
from typing import NamedTuple
from uuid import UUID

from eventsourcing.persistence import Tracking

from application.projections.rows import Rows
from application.projections.views.filiere_overview import VIEW, ZERO, bump, note_decision, one
from application.projections.views.filiere_overview_tables import (
    FUNDERS,
    FUNDINGS,
    OVERVIEW,
    PROJECTS,
    FunderRow,
    OverviewRow,
)
from domain.funding import Funding


class Money(NamedTuple):
    """What a change adds to a filière's (and its funder's) totals."""

    granted: Decimal = ZERO
    disbursed: Decimal = ZERO
    lines_without_amount: int = 0


# Funding
@VIEW.handles
def funding_granted(event: Funding.Granted, rows: Rows, at: Tracking) -> None:
    filiere_id = one(rows, PROJECTS, event.project_id)["filiere_id"]
    funder_id = event.funder_id
    rows.insert(
        FUNDINGS,
        {
            "funding_id": event.originator_id,
            "filiere_id": filiere_id,
            "funder_id": funder_id,
            "amount": event.amount,
            "cancelled": False,
        },
    )
    if rows.get(FUNDERS, (filiere_id, funder_id)) is None:
        rows.insert(
            FUNDERS,
            {
                "filiere_id": filiere_id,
                "funder_id": funder_id,
                "granted": ZERO,
                "disbursed": ZERO,
                "lines_without_amount": 0,
            },
        )
    _add_money(rows, filiere_id, funder_id, at, _granted(event.amount))
    note_decision(rows, filiere_id, event, event.decision, at)


@VIEW.handles
def amount_revised(event: Funding.AmountRevised, rows: Rows, at: Tracking) -> None:
    line = one(rows, FUNDINGS, event.originator_id)
    rows.update(FUNDINGS, (event.originator_id,), {"amount": event.amount})
    _add_money(rows, line["filiere_id"], line["funder_id"], at, _granted(event.amount))
    _add_money(rows, line["filiere_id"], line["funder_id"], at, _granted(line["amount"], -1))
    note_decision(rows, line["filiere_id"], event, event.decision, at)


@VIEW.handles
def disbursed(event: Funding.DisbursementRecorded, rows: Rows, at: Tracking) -> None:
    line = one(rows, FUNDINGS, event.originator_id)
    _add_money(rows, line["filiere_id"], line["funder_id"], at, Money(disbursed=event.amount))


@VIEW.handles
def recovered(event: Funding.RecoveryRecorded, rows: Rows, at: Tracking) -> None:
    """A reversement: what was paid back no longer counts as disbursed."""
    line = one(rows, FUNDINGS, event.originator_id)
    _add_money(rows, line["filiere_id"], line["funder_id"], at, Money(disbursed=-event.amount))


@VIEW.handles
def funding_cancelled(event: Funding.Cancelled, rows: Rows, at: Tracking) -> None:
    line = one(rows, FUNDINGS, event.originator_id)
    rows.update(FUNDINGS, (event.originator_id,), {"cancelled": True})
    _add_money(rows, line["filiere_id"], line["funder_id"], at, _granted(line["amount"], -1))
    note_decision(rows, line["filiere_id"], event, event.decision, at)


def _granted(amount: Decimal | None, sign: int = 1) -> Money:
    """What a grant line of this amount adds to the totals (with `sign` -1: takes away)."""
    return Money(lines_without_amount=sign) if amount is None else Money(granted=sign * amount)


def _add_money(rows: Rows, filiere_id: UUID, funder_id: UUID, at: Tracking, money: Money) -> None:
    overview = rows.get(OVERVIEW, (filiere_id,))
    if overview is not None:
        bump(rows, filiere_id, at, _plus(overview, money))
    funder = rows.get(FUNDERS, (filiere_id, funder_id))
    if funder is not None:
        rows.update(FUNDERS, (filiere_id, funder_id), _plus(funder, money))


def _plus(totals: OverviewRow | FunderRow, money: Money) -> dict[str, object]:
    return {
        "granted": totals["granted"] + money.granted,
        "disbursed": totals["disbursed"] + money.disbursed,
        "lines_without_amount": totals["lines_without_amount"] + money.lines_without_amount,
    }
