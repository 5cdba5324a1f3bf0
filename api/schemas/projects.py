"""Supported projects: proposal, partners, status, milestones."""

from datetime import date
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints, model_validator

from api.schemas.common import AmountText, DecisionPayload, Payload

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
PartnerRole = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class NewStatus(StrEnum):
    APPROVED = "approved"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


class PartnerPayload(Payload):
    organisation_id: UUID
    role: PartnerRole


class ProjectCreate(Payload):
    filiere_id: UUID
    title: Title
    proposed_on: date
    partners: list[PartnerPayload] = Field(default=[], max_length=200)
    estimated_budget: AmountText | None = None
    origin_call_id: UUID | None = None
    origin_candidacy_id: UUID | None = None

    @model_validator(mode="after")
    def _origin_names_both(self) -> "ProjectCreate":
        if (self.origin_call_id is None) != (self.origin_candidacy_id is None):
            raise ValueError("origin_candidacy_id and origin_call_id go together")
        return self


class ProjectPartnerJoin(Payload):
    organisation_id: UUID
    role: PartnerRole
    joined_on: date


class StatusChange(Payload):
    status: NewStatus
    effective_on: date
    decision: DecisionPayload | None = Field(
        default=None, description="Required for approved and abandoned."
    )


class MilestoneCreate(Payload):
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    reached_on: date
