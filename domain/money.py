"""Money: Decimal with exactly two places, positive, in EUR. No float ever."""

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, PlainSerializer

from domain.errors import InvalidValueError

Currency = Literal["EUR"]
CENT = Decimal("0.01")


def to_amount(value: Any) -> Decimal:
    """Parse an amount; refuse floats, more than two places, zero and negatives."""
    if isinstance(value, bool):
        raise InvalidValueError(f"amount {value!r} is not a decimal number")
    if isinstance(value, float):
        raise InvalidValueError(
            f'amount {value!r} is a float; give a decimal string such as "1200.00"'
        )
    if isinstance(value, int):
        value = Decimal(value)
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except InvalidOperation:
            raise InvalidValueError(f"amount {value!r} is not a decimal number") from None
    if not isinstance(value, Decimal):
        raise InvalidValueError(f"amount {value!r} is not a decimal number")
    if not value.is_finite():
        raise InvalidValueError(f"amount {value} is not a finite number")
    if value != value.quantize(CENT):
        raise InvalidValueError(f"amount {value} has more than two decimal places")
    if value <= 0:
        raise InvalidValueError(f"amount {value} must be positive")
    return value.quantize(CENT)


def _reject_as_value_error(value: Any) -> Decimal:
    # pydantic turns ValueError into a field error with the message kept.
    return to_amount(value)


Amount = Annotated[
    Decimal,
    BeforeValidator(_reject_as_value_error),
    PlainSerializer(lambda d: f"{d:.2f}", return_type=str, when_used="json"),
]
"""A positive EUR amount with two decimal places, serialised as a string."""


def format_eur(amount: Decimal | None) -> str:
    """Human display: '18 000 000.00 EUR', or 'amount unknown'."""
    if amount is None:
        return "amount unknown"
    return f"{amount:,.2f}".replace(",", " ") + " EUR"
