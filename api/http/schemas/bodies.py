"""Governing bodies as the API answers them: members, meetings, conflicts of interest."""

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from domain.governing_body import BodyKind, SeatRole


class _FromBody(BaseModel):
    # Read from the attributes of the GoverningBody aggregate and its values.
    model_config = ConfigDict(from_attributes=True)


class SeatPublic(_FromBody):
    person: str
    organisation_id: UUID
    role: SeatRole
    from_: date = Field(validation_alias="from_date", serialization_alias="from")
    until: date | None


class MeetingPublic(_FromBody):
    held_on: date
    attendees: list[str]
    minutes_ref: str | None


class ConflictPublic(_FromBody):
    person: str
    organisation_id: UUID
    declared_on: date
    reason: str


class BodyPublic(_FromBody):
    id: UUID
    name: str
    kind: BodyKind
    organisation_id: UUID | None
    constituted_on: date | None
    seats: list[SeatPublic]
    meetings: list[MeetingPublic]
    conflicts_of_interest: list[ConflictPublic] = Field(validation_alias="conflicts")
    version: int
