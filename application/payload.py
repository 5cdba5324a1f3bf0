"""What a command says, as its caller gives it: the rules every payload follows, shared pieces.

A payload is the part of a command its caller states (an HTTP request's body,
the CLI's options, a test's values); the command adds what it acts on. The HTTP
API takes payloads as request bodies as they are, so their names and fields are
the API's request schemas.
"""

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any, get_args
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from domain.base import Assumption, Citation, Source
from domain.decision import Decision, PersonName, Text
from domain.money import to_amount
from domain.text import stored_form, text_problem


def _amount_text(value: Any) -> Any:
    """A Decimal as its text; a float or a text refused with what is wrong with it."""
    if isinstance(value, Decimal):
        value = format(value, "f")
    if isinstance(value, float | str):
        to_amount(value)  # its refusal (a float, 3 places, zero, not a number) names the fault
    return value


AmountText = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]{1,12}(\.[0-9]{1,2})?$"),
    BeforeValidator(_amount_text),  # runs first: its refusals say more than the pattern
    Field(
        description='Euros as a decimal string, at most 2 places, e.g. "18000000.00".',
        examples=["18000000.00"],
    ),
]
"""Kept as given (so a request's fingerprint is its own text); parsed by `to_amount`."""


def amount_or_none(text: str | None) -> Decimal | None:
    """The amount an optional `AmountText` field gives, if it gives one."""
    return None if text is None else to_amount(text)


def today() -> date:
    """The day (UTC) a command is made: what a payload that gives no day means."""
    return datetime.now(UTC).date()


def _not_after_today(day: date) -> date:
    if day > today():
        raise ValueError(f"{day} is after today ({today()}): nothing is recorded before it happens")
    return day


EffectiveDay = Annotated[
    date,
    AfterValidator(_not_after_today),
    Field(description="The day it happened: not after the current day (UTC)."),
]
"""A day on which something took effect: a command refuses one after the current day (422)."""

Person = PersonName
LongText = Text

# For query parameters: C0 control characters but tab, newline and carriage return.
NO_CONTROL_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
LOG_POSITION_MAX = 2**63 - 1
"""The largest log position a 64-bit SQL integer holds."""
NOT_A_DAY = "a date is written as text, YYYY-MM-DD"
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class Payload(BaseModel):
    """Unknown fields are refused rather than silently dropped; text is checked and kept in NFC."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _dates_as_text(cls, value: Any, info: ValidationInfo) -> Any:
        # pydantic would read a number as a Unix timestamp (5e-264 became 1970-01-01), and an
        # instant at midnight as its day, dropping its offset (even one no UTC instant has).
        textual = isinstance(value, str) and _ISO_DAY.fullmatch(value)
        if isinstance(value, int | float | str) and not isinstance(value, bool) and not textual:
            annotation = cls.model_fields[info.field_name].annotation if info.field_name else None
            if _is_day(annotation):
                raise ValueError(NOT_A_DAY)
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _acceptable_text(cls, value: Any) -> Any:
        """Every text refused as `domain.text` says, or kept in its stored form (NFC)."""
        if isinstance(value, str):
            return _accepted(value)
        if isinstance(value, list | tuple) and any(isinstance(item, str) for item in value):
            return type(value)(_accepted(item) if isinstance(item, str) else item for item in value)
        return value


def _is_day(annotation: Any) -> bool:
    """`date`, or a union or an `Annotated` of it (`EffectiveDay | None`)."""
    return annotation is date or any(_is_day(arg) for arg in get_args(annotation))


def _accepted(text: str) -> str:
    problem = text_problem(text)
    if problem is not None:
        raise ValueError(problem)
    return stored_form(text)


class VotePayload(Payload):
    # Read from a domain Vote's attributes too, as the application's callers hold them.
    model_config = ConfigDict(from_attributes=True)

    for_: int = Field(alias="for", ge=0, le=10_000, strict=True)
    against: int = Field(ge=0, le=10_000, strict=True)
    abstain: int = Field(ge=0, le=10_000, strict=True)


class DecisionPayload(Payload):
    """Who decided, when and why; `reverses` is the log position of a decision it overturns."""

    # A domain Decision is accepted as well: the demo and the tests build those.
    model_config = ConfigDict(from_attributes=True)

    body_id: UUID
    decided_on: EffectiveDay
    decided_by: list[Person] = Field(default=[], max_length=100)
    """Each person once."""
    rationale: LongText
    reference: Annotated[str, StringConstraints(max_length=500)] | None = None
    vote: VotePayload | None = None
    reverses: int | None = Field(default=None, gt=0, le=LOG_POSITION_MAX, strict=True)
    sitting_id: UUID | None = Field(
        default=None, description="The body's sitting (held on decided_on) that took it."
    )
    sitting_not_published: bool = Field(
        default=False,
        description="History whose sitting was never published: recorded, shown unverified.",
    )
    recused: list[Person] = Field(
        default=[], max_length=100, description="Voting members who did not take part."
    )

    @field_validator("decided_by", "recused")
    @classmethod
    def _each_person_once(cls, people: list[str]) -> list[str]:
        if len(set(people)) != len(people):
            raise ValueError("names the same person twice")
        return people

    @model_validator(mode="after")
    def _sitting_known_or_not(self) -> "DecisionPayload":
        if self.sitting_not_published and self.sitting_id is not None:
            raise ValueError("sitting_id and sitting_not_published: give one or the other")
        return self

    def to_domain(self) -> Decision:
        return Decision.model_validate(self.model_dump(by_alias=True))


class EffectiveOn(Payload):
    effective_on: EffectiveDay


class DecisionOnly(Payload):
    decision: DecisionPayload


class SourcePayload(Payload):
    """Where the fact a command records is written."""

    document: Citation = Field(
        description="The document: a minute, a convention, a public sheet (by its title).",
        examples=["Fiche « Roanne Territoire », villes-campagnes, avril 2013"],
    )
    locator: Citation | None = Field(
        default=None,
        description="Where in it: a section, a page, an article.",
        examples=["Résultats obtenus, Filière Viandes"],
    )

    def to_domain(self) -> Source:
        return Source(document=self.document, locator=self.locator)


def _each_assumption_once(assumptions: list[str]) -> list[str]:
    if len(set(assumptions)) != len(assumptions):
        raise ValueError("states the same assumption twice")
    return assumptions


Assumptions = Annotated[
    list[Assumption],
    AfterValidator(_each_assumption_once),
    Field(
        max_length=50,
        description="What the recorder supposed where the source is silent, one sentence each.",
    ),
]


class Cited(Payload):
    """What every command may add to its payload: its source and the recorder's assumptions.

    Both are kept in the metadata of every event the command records, not in
    the events' state: they say how the fact is known, not what it is.
    """

    source: SourcePayload | None = None
    assumptions: Assumptions = []


CITED_FIELDS = frozenset(Cited.model_fields)
