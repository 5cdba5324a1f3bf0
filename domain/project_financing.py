"""Co-financing: the known amounts granted to one project by all its funders.

Their sum never exceeds the project's estimated budget. One aggregate per
project, its id derived from the project's, holds each funding line's known
amount, so two funders granting at once cannot both pass the check unseen:
the second save finds the version taken and is refused.
"""

from datetime import date
from decimal import Decimal
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import Aggregate
from domain.errors import OverFinancedError
from domain.money import Amount, format_eur
from domain.values import ValueObject

_NAMESPACE = uuid5(NAMESPACE_URL, "https://filieres.invalid/project-financing")


class FinancingLine(ValueObject):
    funding_id: UUID
    amount: Amount


class ProjectFinancing(Aggregate):
    """Each funding line's known amount for one project (cancelled lines count for nothing)."""

    # Events
    class Opened(Aggregate.Created):
        """With the lines granted before it was kept."""

        project_id: UUID
        lines: tuple[FinancingLine, ...]

    class LineSet(Aggregate.Event):
        """The line's known amount from then on; None once unknown or cancelled."""

        funding_id: UUID
        amount: Amount | None

    @staticmethod
    def create_id(project_id: UUID) -> UUID:
        return uuid5(_NAMESPACE, str(project_id))

    @event(Opened)
    def __init__(
        self, project_id: UUID, lines: tuple[FinancingLine, ...], effective_on: date
    ) -> None:
        self.project_id = project_id
        self.amounts: dict[UUID, Decimal] = {line.funding_id: line.amount for line in lines}

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), Decimal("0.00"))

    def set_line(
        self,
        funding_id: UUID,
        amount: Decimal | None,
        budget: Decimal | None,
        project_title: str,
        effective_on: date,
    ) -> None:
        """Refused when the known amounts would exceed the budget (none: nothing to exceed)."""
        if self.amounts.get(funding_id) == amount:
            return
        others = self.total - self.amounts.get(funding_id, Decimal("0.00"))
        if amount is not None and budget is not None and others + amount > budget:
            raise OverFinancedError(
                f"the known amounts granted to {project_title!r} would total"
                f" {format_eur(others + amount)} ({format_eur(others)} already granted by its"
                f" funders and {format_eur(amount)} for this line), above its estimated budget of"
                f" {format_eur(budget)}"
            )
        self._line_set(funding_id=funding_id, amount=amount, effective_on=effective_on)

    @event(LineSet)
    def _line_set(self, funding_id: UUID, amount: Decimal | None, effective_on: date) -> None:
        if amount is None:
            self.amounts.pop(funding_id, None)
        else:
            self.amounts[funding_id] = amount
