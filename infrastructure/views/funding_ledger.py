"""FundingLedger in SQL: one row per funding line, one per entry of its ledger.

The write statements are built once, at import, with named placeholders:
building a statement and its cache key costs SQLAlchemy more than running it.
"""

from collections import defaultdict
from collections.abc import Sequence
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
    Update,
    Uuid,
    bindparam,
    insert,
    select,
    update,
)

from application.projections.detail_records import FundingLedger, LedgerEntry
from application.projections.funding_ledger import FundingLedgerView, LedgerEntryKind
from application.projections.records import DecisionNote
from domain.funding import FundingKind
from infrastructure.views.base import SQLAlchemyView
from infrastructure.views.column_types import Cents

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

# Writing statements
_INSERT_FUNDING = insert(fundings)
_INSERT_ENTRY = insert(entries)
_FUNDING_IS = fundings.c.funding_id == bindparam("b_funding_id")
_TOUCHED: dict[str, Any] = {"version": bindparam("b_version"), "position": bindparam("b_position")}
_REVISE = update(fundings).where(_FUNDING_IS).values(amount=bindparam("b_amount"), **_TOUCHED)
_DISBURSE = (
    update(fundings)
    .where(_FUNDING_IS)
    .values(disbursed=fundings.c.disbursed + bindparam("b_amount"), **_TOUCHED)
)
_CANCEL = (
    update(fundings).where(_FUNDING_IS).values(cancelled_on=bindparam("b_cancelled_on"), **_TOUCHED)
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
        def write(connection: Connection) -> None:
            connection.execute(
                _INSERT_FUNDING,
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
                connection,
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
        def write(connection: Connection) -> None:
            _entry(
                connection,
                funding_id,
                LedgerEntryKind.AMOUNT_REVISED,
                decision.decided_on,
                amount,
                tracking,
                decision,
            )
            _touch(connection, _REVISE, funding_id, version, tracking, b_amount=amount)

        self._apply(tracking, write)

    def disbursed(
        self, funding_id: UUID, amount: Decimal, paid_on: date, version: int, tracking: Tracking
    ) -> None:
        def write(connection: Connection) -> None:
            _entry(
                connection, funding_id, LedgerEntryKind.DISBURSED, paid_on, amount, tracking, None
            )
            _touch(connection, _DISBURSE, funding_id, version, tracking, b_amount=amount)

        self._apply(tracking, write)

    def cancelled(
        self, funding_id: UUID, decision: DecisionNote, version: int, tracking: Tracking
    ) -> None:
        def write(connection: Connection) -> None:
            _entry(
                connection,
                funding_id,
                LedgerEntryKind.CANCELLED,
                decision.decided_on,
                None,
                tracking,
                decision,
            )
            _touch(
                connection,
                _CANCEL,
                funding_id,
                version,
                tracking,
                b_cancelled_on=decision.decided_on,
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
    connection: Connection,
    change: Update,
    funding_id: UUID,
    version: int,
    tracking: Tracking,
    **values: Any,
) -> None:
    """Run `change`, which also sets the funding's version and position to this event's."""
    connection.execute(
        change,
        {
            "b_funding_id": funding_id,
            "b_version": version,
            "b_position": tracking.notification_id,
            **values,
        },
    )


def _entry(
    connection: Connection,
    funding_id: UUID,
    kind: LedgerEntryKind,
    effective_on: date,
    amount: Decimal | None,
    tracking: Tracking,
    decision: DecisionNote | None,
) -> None:
    connection.execute(
        _INSERT_ENTRY,
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
