"""State aid under the de minimis regime: what one beneficiary received, capped over 3 years.

The ceiling is counted over the three years before an agreement's day: 200,000
EUR for agreements signed before 2024-01-01 (Regulation (EU) No 1407/2013),
300,000 EUR from then on (Regulation (EU) 2023/2831). One aggregate per
beneficiary, its id derived from the beneficiary's, holds each de minimis aid.
"""

from datetime import date
from decimal import Decimal
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import Aggregate
from domain.errors import DeMinimisCeilingError
from domain.money import Amount, format_eur

_NAMESPACE = uuid5(NAMESPACE_URL, "https://filieres.invalid/de-minimis")
NEW_CEILING_FROM = date(2024, 1, 1)


def ceiling_on(day: date) -> Decimal:
    return Decimal("300000.00") if day >= NEW_CEILING_FROM else Decimal("200000.00")


def three_years_before(day: date) -> date:
    """The first day of the three years that end on `day` (29 February falls back a day)."""
    try:
        return day.replace(year=day.year - 3)
    except ValueError:
        return day.replace(year=day.year - 3, day=28)


class DeMinimisRegister(Aggregate):
    """The de minimis aid one beneficiary received, by funding line and agreement day."""

    # Events
    class Opened(Aggregate.Created):
        beneficiary_id: UUID

    class AidRecorded(Aggregate.Event):
        """The line's aid from then on (signed on `granted_on`); amount None: withdrawn."""

        funding_id: UUID
        granted_on: date
        amount: Amount | None

    @staticmethod
    def create_id(beneficiary_id: UUID) -> UUID:
        return uuid5(_NAMESPACE, str(beneficiary_id))

    @event(Opened)
    def __init__(self, beneficiary_id: UUID, effective_on: date) -> None:
        self.beneficiary_id = beneficiary_id
        self.aids: dict[UUID, tuple[date, Decimal]] = {}

    def received_over_three_years(self, day: date, leaving_out: UUID) -> Decimal:
        start = three_years_before(day)
        return sum(
            (a for f, (d, a) in self.aids.items() if f != leaving_out and start < d <= day),
            Decimal("0.00"),
        )

    def record_aid(
        self, funding_id: UUID, granted_on: date, amount: Decimal, beneficiary_name: str
    ) -> None:
        """Refused when the aid over the three years to `granted_on` would pass the ceiling."""
        if self.aids.get(funding_id) == (granted_on, amount):
            return
        received = self.received_over_three_years(granted_on, funding_id)
        ceiling = ceiling_on(granted_on)
        if received + amount > ceiling:
            raise DeMinimisCeilingError(
                f"{beneficiary_name!r} already received {format_eur(received)} of de minimis aid"
                f" in the three years to {granted_on}; {format_eur(amount)} more would pass the"
                f" ceiling of {format_eur(ceiling)}"
            )
        self._aid_recorded(
            funding_id=funding_id, granted_on=granted_on, amount=amount, effective_on=granted_on
        )

    def withdraw_aid(self, funding_id: UUID, effective_on: date) -> None:
        """The line's aid no longer counts (its funding was cancelled)."""
        if funding_id in self.aids:
            granted_on = self.aids[funding_id][0]
            self._aid_recorded(
                funding_id=funding_id, granted_on=granted_on, amount=None, effective_on=effective_on
            )

    @event(AidRecorded)
    def _aid_recorded(
        self, funding_id: UUID, granted_on: date, amount: Decimal | None, effective_on: date
    ) -> None:
        if amount is None:
            self.aids.pop(funding_id, None)
        else:
            self.aids[funding_id] = (granted_on, amount)
