"""Supported projects: proposal, partners, status, milestones."""

from datetime import date
from enum import StrEnum
from uuid import UUID

from pydantic import Field, model_validator

from api.http.schemas.common import AmountText, DecisionPayload, Payload
from domain.project import Label, Role, Title


class NewStatus(StrEnum):
    APPROVED = "approved"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


class PartnerPayload(Payload):
    organisation_id: UUID
    role: Role


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
    role: Role
    joined_on: date


class StatusChange(Payload):
    status: NewStatus
    effective_on: date
    decision: DecisionPayload | None = Field(
        default=None, description="Required for approved and abandoned."
    )


class MilestoneCreate(Payload):
    label: Label
    reached_on: date
