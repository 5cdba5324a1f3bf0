"""Governing bodies as the API answers them: members, meetings, conflicts of interest."""

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field

from domain.governing_body import BodyKind, SeatRole


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
