"""The agreement (convention) of a funding line: what French open data publishes of it."""

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from domain.values import ValueObject


class PaymentTerms(StrEnum):
    SINGLE = "single"
    INSTALMENTS = "instalments"
    OTHER = "other"


class StateAidRegime(StrEnum):
    NONE = "none"
    DE_MINIMIS = "de_minimis"
    OTHER = "other"


class PaymentPeriod(ValueObject):
    from_: date = Field(alias="from")
    to: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "PaymentPeriod":
        if self.to is not None and self.to < self.from_:
            raise ValueError(f"payment_period: ends on {self.to}, before it begins ({self.from_})")
        return self

    def holds(self, day: date) -> bool:
        return self.from_ <= day and (self.to is None or day <= self.to)

    def __str__(self) -> str:
        return f"from {self.from_}" + ("" if self.to is None else f" to {self.to}")


class Agreement(ValueObject):
    """The convention a funder and its beneficiary sign: what the SCDL publishes of it."""

    signed_on: date
    reference: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)
    ]
    purpose: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=256)]
    payment_terms: PaymentTerms
    payment_period: PaymentPeriod
    eu_notified: bool
    state_aid_regime: StateAidRegime
    rae_id: Annotated[str, StringConstraints(strip_whitespace=True, max_length=5)] | None = None
    aid_scheme: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = (
        None
    )
