"""Filières: launch, chef de file, project group, objectives, closing."""

from datetime import date
from uuid import UUID

from pydantic import Field

from api.http.schemas.common import DecisionPayload, Payload
from domain.filiere import FiliereKind, Name, Objective


class FiliereCreate(Payload):
    name: Name
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
