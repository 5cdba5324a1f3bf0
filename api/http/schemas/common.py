"""Pieces every request and answer shares: payload rules, amounts, decisions, command answers."""

import re
from datetime import date
from typing import Annotated, Any, get_args
from uuid import UUID

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from domain.decision import Decision, PersonName, Text
from domain.money import to_amount


def _positive_amount(text: str) -> str:
    to_amount(text)  # its refusal (zero, above the maximum) becomes this field's error
    return text


AmountText = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]{1,12}(\.[0-9]{1,2})?$"),
    AfterValidator(_positive_amount),
    Field(
        description='Euros as a decimal string, at most 2 places, e.g. "18000000.00".',
        examples=["18000000.00"],
    ),
]
Person = PersonName
LongText = Text


# C0 control characters but tab, newline and carriage return: PostgreSQL text cannot hold NUL,
# and none of them belongs in a name or a rationale.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NO_CONTROL_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
LOG_POSITION_MAX = 2**63 - 1
"""The largest log position a 64-bit SQL integer holds."""
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_NOT_A_DAY = "a date is written as text, YYYY-MM-DD"


def _day_as_text(value: Any) -> Any:
    """pydantic reads a number (or a numeric string) as a Unix timestamp: 0 became 1970-01-01."""
    if isinstance(value, str) and not _ISO_DAY.fullmatch(value):
        raise ValueError(_NOT_A_DAY)
    return value


Day = Annotated[date, BeforeValidator(_day_as_text)]
"""A day in a query parameter: YYYY-MM-DD only."""
_ISO_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ].+")


def _instant_as_text(value: Any) -> Any:
    if isinstance(value, str) and not _ISO_INSTANT.fullmatch(value):
        raise ValueError("an instant is written as text, YYYY-MM-DDTHH:MM:SS with its offset")
    return value


Moment = Annotated[AwareDatetime, BeforeValidator(_instant_as_text)]
"""An instant in a query parameter: ISO 8601 text with its offset, never a timestamp."""


class Payload(BaseModel):
    """A request body: unknown fields are refused rather than silently dropped."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @field_validator("*", mode="before")
    @classmethod
    def _dates_as_text(cls, value: Any, info: ValidationInfo) -> Any:
        # pydantic would read a number as a Unix timestamp: 5e-264 became 1970-01-01.
        if isinstance(value, int | float) and not isinstance(value, bool) and info.field_name:
            annotation = cls.model_fields[info.field_name].annotation
            if date in (annotation, *get_args(annotation)):
                raise ValueError(_NOT_A_DAY)
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        texts = value if isinstance(value, list | tuple) else [value]
        if any(isinstance(text, str) and _CONTROL.search(text) for text in texts):
            raise ValueError("control characters (such as NUL) are not accepted in text")
        return value


class VotePayload(Payload):
    for_: int = Field(alias="for", ge=0, le=10_000, strict=True)
    against: int = Field(ge=0, le=10_000, strict=True)
    abstain: int = Field(ge=0, le=10_000, strict=True)


class DecisionPayload(Payload):
    """Who decided, when and why; `reverses` is the log position of a decision it overturns."""

    body_id: UUID
    decided_on: date
    decided_by: list[Person] = Field(default=[], max_length=100)
    """Each person once."""
    rationale: LongText
    reference: Annotated[str, StringConstraints(max_length=500)] | None = None
    vote: VotePayload | None = None
    reverses: int | None = Field(default=None, gt=0, le=LOG_POSITION_MAX, strict=True)

    @field_validator("decided_by")
    @classmethod
    def _each_person_once(cls, people: list[str]) -> list[str]:
        if len(set(people)) != len(people):
            raise ValueError("names the same person twice")
        return people

    def to_domain(self) -> Decision:
        return Decision.model_validate(self.model_dump(by_alias=True))


class CommandAnswer(BaseModel):
    """Where the command landed: the aggregate, its new version, the log position."""

    id: UUID
    version: int
    position: int
    candidacy_id: UUID | None = None
    """Set when the command submitted a candidacy."""


class EffectiveOn(Payload):
    effective_on: date


class DecisionOnly(Payload):
    decision: DecisionPayload
