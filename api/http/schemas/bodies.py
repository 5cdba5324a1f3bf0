"""Governing bodies as the API answers them: members, meetings, conflicts of interest."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from application.reports.interests import DeclarationLine, DeliberationLine, InterestLine
from domain.governing_body import BodyKind, SeatRole
from domain.sitting import AttendanceStatus, Composition


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
    quorum: Decimal
    composition: Composition
    seats: list[SeatPublic]
    meetings: list[MeetingPublic]
    conflicts_of_interest: list[ConflictPublic] = Field(validation_alias="conflicts")
    version: int

    @field_serializer("quorum")
    def _quorum_as_text(self, quorum: Decimal) -> str:
        return str(quorum)


class AttendancePublic(_FromBody):
    person: str
    status: AttendanceStatus
    represented_by: str | None


class InterestPublic(InterestLine, _FromBody):
    pass  # the interests report's line, read from the body's sitting


class DeliberationPublic(DeliberationLine, _FromBody):
    interests: list[InterestPublic] = []  # type: ignore[assignment]  # read from the sitting
    """The interests its recused members had in it (structural or declared)."""


class SittingPublic(_FromBody):
    sitting_id: UUID
    body_id: UUID
    held_on: date
    attendance: list[AttendancePublic]
    minutes_reference: str | None
    voting_members: int
    present_or_represented: int
    quorum_required: int
    quorum_reached: bool
    deliberations: list[DeliberationPublic] = []


class SittingPage(BaseModel):
    items: list[SittingPublic]
    next_cursor: str | None = None


class DeclarationPublic(DeclarationLine, _FromBody):
    pass  # the interests report's line, as the body's declarations give it


class BodyInterests(BaseModel):
    """Declared interests, and per délibération the interests of the members recused from it."""

    body_id: UUID
    name: str
    declared: list[DeclarationPublic]
    deliberations: list[DeliberationPublic]
