"""FundingLedger: each funding line with its amount, what was paid and what remains, and its ledger.

The ledger has one entry per event of the line: granted, amount_revised,
disbursed, cancelled.
"""

from abc import abstractmethod
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from application.projections.detail_records import FundingLedger
from application.projections.events import decision_note, topics_handled
from application.projections.records import DecisionNote
from application.projections.view import View
from domain.funding import Funding, FundingKind


class LedgerEntryKind(StrEnum):
    GRANTED = "granted"
    AMOUNT_REVISED = "amount_revised"
    DISBURSED = "disbursed"
    CANCELLED = "cancelled"


class FundingLedgerView(View):
    name = "funding_ledger"
    version = 1

    # Every write takes `version`, the funding's aggregate version after the event.
    @abstractmethod
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
    ) -> None: ...

    @abstractmethod
    def amount_revised(
        self,
        funding_id: UUID,
        amount: Decimal,
        decision: DecisionNote,
        version: int,
        tracking: Tracking,
    ) -> None: ...

    @abstractmethod
    def disbursed(
        self, funding_id: UUID, amount: Decimal, paid_on: date, version: int, tracking: Tracking
    ) -> None: ...

    @abstractmethod
    def cancelled(
        self, funding_id: UUID, decision: DecisionNote, version: int, tracking: Tracking
    ) -> None: ...

    # Reading
    @abstractmethod
    def funding(self, funding_id: UUID) -> FundingLedger | None: ...

    @abstractmethod
    def fundings_of_project(self, project_id: UUID) -> list[FundingLedger]:
        """The project's funding lines, in the order they were granted."""


class FundingLedgerProjection(Projection[FundingLedgerView]):
    name = FundingLedgerView.name

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """Events of other types do not change the ledgers."""

    @process_event.register(Funding.Granted)
    def _granted(self, event: Any, tracking: Tracking) -> None:
        self.view.funding_granted(
            event.originator_id,
            event.project_id,
            event.funder_id,
            FundingKind(event.kind),
            event.amount,
            event.currency,
            decision_note(event, tracking),
            event.originator_version,
            tracking,
        )

    @process_event.register(Funding.AmountRevised)
    def _revised(self, event: Any, tracking: Tracking) -> None:
        self.view.amount_revised(
            event.originator_id,
            event.amount,
            decision_note(event, tracking),
            event.originator_version,
            tracking,
        )

    @process_event.register(Funding.DisbursementRecorded)
    def _disbursed(self, event: Any, tracking: Tracking) -> None:
        self.view.disbursed(
            event.originator_id,
            event.amount,
            event.paid_on,
            event.originator_version,
            tracking,
        )

    @process_event.register(Funding.Cancelled)
    def _cancelled(self, event: Any, tracking: Tracking) -> None:
        self.view.cancelled(
            event.originator_id,
            decision_note(event, tracking),
            event.originator_version,
            tracking,
        )


FundingLedgerProjection.topics = topics_handled(FundingLedgerProjection)
