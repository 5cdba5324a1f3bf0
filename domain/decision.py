"""A decision: which body, on which day, by whom, on what grounds.

Only the bureau and external bodies decide; the directoire prepares and the
conseil d'orientation advises. The people named in `decided_by` must be voting
members of the body on `decided_on` and must not have declared a conflict of
interest with an organisation the decision is about. A decision is never
edited: a later decision names the one it reverses or amends (`reverses`, the
log position of the earlier decision's event).

Every event that records a decision is a `Decided`, so that what lists or
counts decisions needs no change when a new kind of decision appears.
"""

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import (
    Field,
    SerializerFunctionWrapHandler,
    StringConstraints,
    model_serializer,
    model_validator,
)

from domain.base import Aggregate
from domain.text import PersonName, Text
from domain.values import ValueObject


class Vote(ValueObject):
    """How the voting members voted."""

    for_: int = Field(alias="for", ge=0)
    against: int = Field(ge=0)
    abstain: int = Field(ge=0)

    @property
    def total(self) -> int:
        return self.for_ + self.against + self.abstain


class Decision(ValueObject):
    """Who decided what, when and why; carried by every decision event."""

    body_id: UUID
    decided_on: date
    decided_by: tuple[PersonName, ...] = ()
    rationale: Text
    reference: Annotated[str, StringConstraints(max_length=500)] | None = None
    vote: Vote | None = None
    reverses: int | None = Field(default=None, gt=0, lt=2**63)
    # A body that is not external decides in a sitting (séance), or the sitting was never
    # published: then the decision is recorded as such, unverified.
    sitting_id: UUID | None = None
    sitting_not_published: bool = False
    recused: tuple[PersonName, ...] = ()
    """Voting members of the sitting who did not take part in this decision."""
    deliberation_number: int | None = Field(default=None, ge=1)
    """Given by the body when the decision is checked against its sitting."""
    present_or_represented: int | None = Field(default=None, ge=0)

    @property
    def verified(self) -> bool | None:
        """Checked against its sitting; False when it was never published; None for a body
        that decides without sittings (external)."""
        if self.sitting_id is None and not self.sitting_not_published:
            return None
        return self.deliberation_number is not None

    @model_validator(mode="after")
    def _people_named_once(self) -> "Decision":
        if len(set(self.decided_by)) != len(self.decided_by):
            raise ValueError("decided_by names the same person twice")
        if len(set(self.recused)) != len(self.recused):
            raise ValueError("recused names the same person twice")
        if self.sitting_not_published and self.sitting_id is not None:
            raise ValueError(
                "sitting_id names a sitting that sitting_not_published says is unknown"
            )
        return self


class Decided(Aggregate.Event):
    """Every event that records a decision: the register lists each one as it comes."""

    decision: Decision

    @model_serializer(mode="wrap")
    def _decision_last(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        # Stored as before events were declared classes: the decision after the event's own
        # fields, though a base class's field comes first among a model's fields.
        dumped: dict[str, object] = handler(self)
        dumped["decision"] = dumped.pop("decision")
        return dumped
