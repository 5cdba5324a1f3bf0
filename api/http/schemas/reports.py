"""Governance reports as the API answers them: who sat where, from when to when."""

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field

from application.reports.seats import BodySeats
from domain.governing_body import BodyKind, SeatRole


class OrganisationRefPublic(BaseModel):
    id: UUID
    name: str


class SeatReportPublic(BaseModel):
    person: str
    organisation: OrganisationRefPublic
    role: SeatRole
    voting: bool = Field(description="Whether the seat carries a vote (role `voting`).")
    from_: date = Field(serialization_alias="from")
    until: date | None = Field(description="Last day of the seat (inclusive); null while seated.")


class BodySeatsPublic(BaseModel):
    id: UUID
    name: str
    kind: BodyKind
    organisation_id: UUID | None
    constituted_on: date | None = Field(description="Null when the date is not known.")
    seats: list[SeatReportPublic]

    @classmethod
    def of(cls, body: BodySeats) -> "BodySeatsPublic":
        return cls(
            id=body.body_id,
            name=body.name,
            kind=body.kind,
            organisation_id=body.organisation_id,
            constituted_on=body.constituted_on,
            seats=[
                SeatReportPublic(
                    person=s.person,
                    organisation=OrganisationRefPublic(
                        id=s.organisation_id, name=s.organisation_name
                    ),
                    role=s.role,
                    voting=s.voting,
                    from_=s.from_date,
                    until=s.until,
                )
                for s in body.seats
            ],
        )
