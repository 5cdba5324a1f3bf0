"""Pieces every request and answer shares: payload rules, amounts, decisions, command answers."""

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from domain.decision import Decision
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
Person = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class Payload(BaseModel):
    """A request body: unknown fields are refused rather than silently dropped."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class VotePayload(Payload):
    for_: int = Field(alias="for", ge=0, le=10_000, strict=True)
    against: int = Field(ge=0, le=10_000, strict=True)
    abstain: int = Field(ge=0, le=10_000, strict=True)


class DecisionPayload(Payload):
    """Who decided, when and why; `reverses` is the log position of a decision it overturns."""

    body_id: UUID
    decided_on: date
    decided_by: list[Person] = Field(default=[], max_length=100)
    rationale: LongText
    reference: Annotated[str, StringConstraints(max_length=500)] | None = None
    vote: VotePayload | None = None
    reverses: int | None = Field(default=None, gt=0, strict=True)

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
