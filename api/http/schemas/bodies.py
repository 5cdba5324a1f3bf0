"""Governing bodies, their members, meetings and declared conflicts of interest."""

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints

from api.http.schemas.common import Payload, Person
from domain.governing_body import BodyKind, Name, Reason, SeatRole


class BodyCreate(Payload):
    name: Name
    kind: BodyKind
    organisation_id: UUID | None = Field(
        default=None, description="Required for an external body: the organisation it acts for."
    )
    constituted_on: date | None = Field(
        default=None, description="Omit when not known; members may then be seated from any date."
    )


class SeatCreate(Payload):
    person: Person
    organisation_id: UUID
    role: SeatRole
    from_: date = Field(alias="from")


class Unseat(Payload):
    person: Person
    until: date


class MeetingCreate(Payload):
    held_on: date
    attendees: list[Person] = Field(default=[], max_length=200)
    minutes_ref: Annotated[str, StringConstraints(max_length=500)] | None = None


class ConflictCreate(Payload):
    person: Person
    organisation_id: UUID
    declared_on: date
    reason: Reason


class SeatPublic(BaseModel):
    person: str
    organisation_id: UUID
    role: SeatRole
    from_: date = Field(serialization_alias="from")
    until: date | None


class MeetingPublic(BaseModel):
    held_on: date
    attendees: list[str]
    minutes_ref: str | None


class ConflictPublic(BaseModel):
    person: str
    organisation_id: UUID
    declared_on: date
    reason: str


class BodyPublic(BaseModel):
    id: UUID
    name: str
    kind: BodyKind
    organisation_id: UUID | None
    constituted_on: date | None
    seats: list[SeatPublic]
    meetings: list[MeetingPublic]
    conflicts_of_interest: list[ConflictPublic]
    version: int
