"""Filières: launch, chef de file, project group, objectives, closing."""

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from api.schemas.common import DecisionPayload, Payload
from domain.filiere import FiliereKind

Objective = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class FiliereCreate(Payload):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    kind: FiliereKind
    lead_partner_id: UUID
    launched_on: date = Field(description="Not before the decision's date.")
    decision: DecisionPayload
    objectives: list[Objective] = Field(default=[], max_length=50)


class LeadPartnerChange(Payload):
    lead_partner_id: UUID
    decision: DecisionPayload


class ProjectGroupJoin(Payload):
    organisation_id: UUID
    joined_on: date


class ProjectGroupLeave(Payload):
    organisation_id: UUID
    left_on: date


class ObjectiveSet(Payload):
    objective: Objective
    effective_on: date
