"""Money: Decimal with exactly two places, positive, in EUR. No float ever."""

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, PlainSerializer

from domain.errors import InvalidValueError

Currency = Literal["EUR"]
CENT = Decimal("0.01")
# Far above any regional programme, and within what Decimal and SQL numerics hold exactly.
MAXIMUM = Decimal("999999999999.99")
DECIMAL_TEXT = re.compile(r"-?\d{1,30}(\.\d{1,30})?")


def to_amount(value: Any) -> Decimal:
    """Parse an amount; refuse floats, more than two places, zero, negatives and absurd sums."""
    if isinstance(value, float):
        raise InvalidValueError(
            f'amount {value!r} is a float; give a decimal string such as "1200.00"'
        )
    if isinstance(value, str):
        if not DECIMAL_TEXT.fullmatch(value.strip()):
            raise InvalidValueError(
                f'amount {value[:40]!r} is not a decimal number such as "1200.00"'
            )
        value = Decimal(value.strip())
    elif isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    if not isinstance(value, Decimal) or not value.is_finite():
        raise InvalidValueError(f"amount {value!r} is not a decimal number")
    if value <= 0:
        raise InvalidValueError(f"amount {value} must be positive")
    if value > MAXIMUM:
        raise InvalidValueError(f"amount {value} is above the maximum of {format_eur(MAXIMUM)}")
    if value != value.quantize(CENT):
        raise InvalidValueError(f"amount {value} has more than two decimal places")
    return value.quantize(CENT)


Amount = Annotated[
    Decimal,
    BeforeValidator(to_amount),  # its ValueError becomes pydantic's field error
    PlainSerializer(lambda d: f"{d:.2f}", return_type=str, when_used="json"),
]
"""A positive EUR amount with two decimal places, serialised as a string."""

Total = Annotated[
    Decimal,
    PlainSerializer(lambda d: f"{d:.2f}", return_type=str, when_used="json"),
]
"""A sum of amounts (zero allowed), as the read models report it; serialised as a string."""


def format_eur(amount: Decimal | None) -> str:
    """Human display: '18 000 000.00 EUR', or 'amount unknown'."""
    if amount is None:
        return "amount unknown"
    return f"{amount:,.2f}".replace(",", " ") + " EUR"
