"""FundingLedger in SQL: one row per funding line, one per entry of its ledger.

The changes go through the batch's pending rows, written together at its end.
"""

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Date,
    Integer,
    MetaData,
    Row,
    String,
    Table,
    Uuid,
    select,
)

from application.projections.detail_records import FundingLedger, LedgerEntry
from application.projections.funding_ledger import FundingLedgerView, LedgerEntryKind
from application.projections.records import DecisionNote
from domain.funding import FundingKind
from infrastructure.views.base import SQLAlchemyView
from infrastructure.views.column_types import Cents
from infrastructure.views.pending_rows import PendingRows

ZERO = Decimal("0.00")
metadata = MetaData()

fundings = Table(
    "funding_ledger",
    metadata,
    Column("funding_id", Uuid, primary_key=True),
    Column("grant_position", BigInteger, nullable=False, unique=True),
    Column("project_id", Uuid, nullable=False, index=True),
    Column("funder_id", Uuid, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("amount", Cents),
    Column("currency", String(3), nullable=False),
    Column("granted_on", Date, nullable=False),
    Column("disbursed", Cents, nullable=False, default=ZERO),
    Column("cancelled_on", Date),
    Column("version", Integer, nullable=False),
    Column("position", BigInteger, nullable=False),
)
entries = Table(
    "funding_ledger_entries",
    metadata,
    Column("position", BigInteger, primary_key=True),
    Column("funding_id", Uuid, nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("effective_on", Date, nullable=False),
    Column("amount", Cents),
    Column("body_id", Uuid),
    Column("decided_on", Date),
)


class SQLAlchemyFundingLedgerView(SQLAlchemyView, FundingLedgerView):
    metadata = metadata

    def funding_granted(
        self,
        funding_id: UUID,
        project_id: UUID,
        funder_id: UUID,
        kind: FundingKind,
        amount: Decimal | None,
        currency: str,
        decision: DecisionNote,
        version: int,
        tracking: Tracking,
    ) -> None:
        def write(rows: PendingRows) -> None:
            rows.insert(
                fundings,
                {
                    "funding_id": funding_id,
                    "grant_position": tracking.notification_id,
                    "project_id": project_id,
                    "funder_id": funder_id,
                    "kind": kind.value,
                    "amount": amount,
                    "currency": currency,
                    "granted_on": decision.decided_on,
                    "disbursed": ZERO,
                    "version": version,
                    "position": tracking.notification_id,
                },
            )
            _entry(
                rows,
                funding_id,
                LedgerEntryKind.GRANTED,
                decision.decided_on,
                amount,
                tracking,
                decision,
            )

        self._apply(tracking, write)

    def amount_revised(
        self,
        funding_id: UUID,
        amount: Decimal,
        decision: DecisionNote,
        version: int,
        tracking: Tracking,
    ) -> None:
        def write(rows: PendingRows) -> None:
            _entry(
                rows,
                funding_id,
                LedgerEntryKind.AMOUNT_REVISED,
                decision.decided_on,
                amount,
                tracking,
                decision,
            )
            _touch(rows, funding_id, lambda _: {"amount": amount}, version, tracking)

        self._apply(tracking, write)

    def disbursed(
        self, funding_id: UUID, amount: Decimal, paid_on: date, version: int, tracking: Tracking
    ) -> None:
        def write(rows: PendingRows) -> None:
            _entry(rows, funding_id, LedgerEntryKind.DISBURSED, paid_on, amount, tracking, None)
            _touch(
                rows,
                funding_id,
                lambda line: {"disbursed": line["disbursed"] + amount},
                version,
                tracking,
            )

        self._apply(tracking, write)

    def cancelled(
        self, funding_id: UUID, decision: DecisionNote, version: int, tracking: Tracking
    ) -> None:
        def write(rows: PendingRows) -> None:
            _entry(
                rows,
                funding_id,
                LedgerEntryKind.CANCELLED,
                decision.decided_on,
                None,
                tracking,
                decision,
            )
            _touch(
                rows,
                funding_id,
                lambda _: {"cancelled_on": decision.decided_on},
                version,
                tracking,
            )

        self._apply(tracking, write)

    # Reading
    def funding(self, funding_id: UUID) -> FundingLedger | None:
        with self.reading() as connection:
            rows = connection.execute(
                select(fundings).where(fundings.c.funding_id == funding_id)
            ).all()
            found = _read_fundings(connection, rows)
        return found[0] if found else None

    def fundings_of_project(self, project_id: UUID) -> list[FundingLedger]:
        with self.reading() as connection:
            rows = connection.execute(
                select(fundings)
                .where(fundings.c.project_id == project_id)
                .order_by(fundings.c.grant_position)
            ).all()
            return _read_fundings(connection, rows)


# Writing helpers
def _touch(
    rows: PendingRows,
    funding_id: UUID,
    change: Callable[[Mapping[str, Any]], dict[str, Any]],
    version: int,
    tracking: Tracking,
) -> None:
    """Apply `change` (new values from the line's current ones) to the funding line, if held.

    It also sets the line's version and position to this event's.
    """
    line = rows.get(fundings, (funding_id,))
    if line is not None:
        values = {**change(line), "version": version, "position": tracking.notification_id}
        rows.update(fundings, (funding_id,), values)


def _entry(
    rows: PendingRows,
    funding_id: UUID,
    kind: LedgerEntryKind,
    effective_on: date,
    amount: Decimal | None,
    tracking: Tracking,
    decision: DecisionNote | None,
) -> None:
    rows.insert(
        entries,
        {
            "position": tracking.notification_id,
            "funding_id": funding_id,
            "kind": kind.value,
            "effective_on": effective_on,
            "amount": amount,
            "body_id": None if decision is None else decision.body_id,
            "decided_on": None if decision is None else decision.decided_on,
        },
    )


# Reading helpers
def _read_fundings(connection: Connection, rows: Sequence[Row[Any]]) -> list[FundingLedger]:
    """The funding lines of `rows` (in their order), each with its ledger entries."""
    entries_of: dict[UUID, list[LedgerEntry]] = defaultdict(list)
    for e in connection.execute(
        select(entries)
        .where(entries.c.funding_id.in_([row.funding_id for row in rows]))
        .order_by(entries.c.position)
    ):
        entries_of[e.funding_id].append(
            LedgerEntry(
                kind=e.kind,
                effective_on=e.effective_on,
                amount=e.amount,
                position=e.position,
                body_id=e.body_id,
                decided_on=e.decided_on,
            )
        )
    return [
        FundingLedger(
            id=row.funding_id,
            project_id=row.project_id,
            funder_id=row.funder_id,
            kind=row.kind,
            amount=row.amount,
            currency=row.currency,
            granted_on=row.granted_on,
            disbursed=row.disbursed,
            remaining=_remaining(row.amount, row.disbursed, row.cancelled_on),
            cancelled_on=row.cancelled_on,
            entries=entries_of[row.funding_id],
            version=row.version,
            position=row.position,
        )
        for row in rows
    ]


def _remaining(
    amount: Decimal | None, disbursed: Decimal, cancelled_on: date | None
) -> Decimal | None:
    """What is still to be paid: nothing once cancelled, unknown while the amount is."""
    if cancelled_on is not None:
        return ZERO
    return None if amount is None else amount - disbursed
