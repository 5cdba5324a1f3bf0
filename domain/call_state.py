"""What a call is: its kind, its status, its state as its snapshot holds it, its texts."""

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import Field

from domain.base import AggregateState
from domain.candidacy import Candidacy

Score = Annotated[int, Field(ge=0, le=100)]


class CallKind(StrEnum):
    CALL_FOR_PROJECTS = "call_for_projects"
    CALL_FOR_EXPRESSIONS_OF_INTEREST = "call_for_expressions_of_interest"


class CallStatus(StrEnum):
    OPEN = "open"
    SUBMISSIONS_CLOSED = "submissions_closed"
    CONCLUDED = "concluded"


class CallState(AggregateState):
    """Every attribute of a Call, as its snapshot holds them."""

    filiere_id: UUID
    title: str
    kind: CallKind
    issuer_id: UUID
    opens_on: date
    closes_on: date
    budget_envelope: Decimal | None
    max_selected: int | None
    launched_on: date
    status: CallStatus
    closed_on: date | None
    candidacies: dict[UUID, Candidacy]
