"""Calls for projects and their candidacies."""

from datetime import date
from uuid import UUID

from pydantic import Field

from api.http.schemas.common import AmountText, DecisionPayload, Payload, Person
from application.call_commands import Outcome
from domain.call import CallKind, Opinion, Title


class CallCreate(Payload):
    filiere_id: UUID
    title: Title
    kind: CallKind
    issuer_id: UUID
    opens_on: date
    closes_on: date
    decision: DecisionPayload
    budget_envelope: AmountText | None = None
    max_selected: int | None = Field(default=None, ge=1, le=100_000, strict=True)


class CandidacyCreate(Payload):
    candidate_id: UUID
    project_title: Title
    submitted_on: date
    requested_amount: AmountText | None = None
    candidacy_id: UUID | None = Field(
        default=None, description="Chosen by the client if given; unique within the call."
    )


class CandidacyWithdrawal(Payload):
    withdrawn_on: date


class ReviewCreate(Payload):
    reviewer: Person
    opinion: Opinion
    reviewed_on: date
    score: int | None = Field(default=None, ge=0, le=100, strict=True)


class SubmissionsClosing(Payload):
    closed_on: date


class CandidacyDecision(Payload):
    outcome: Outcome
    decision: DecisionPayload
