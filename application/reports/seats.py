"""Seats per body over time: who sat where, for which organisation, from when to when.

Computed from each GoverningBody's own events (not from a view), so it is
always current and needs no projection. Bodies are found through the log's
index of `Constituted` events, without scanning every event.
"""

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from application.queries import ProgrammeQueries
from application.reports.bodies import OrganisationNames, bodies_asked
from domain.governing_body import BodyKind, Seat, SeatRole


class SeatLine(BaseModel):
    """One seat; `until` is None while the person still sits (inclusive otherwise)."""

    model_config = ConfigDict(frozen=True)

    person: str
    organisation_id: UUID
    organisation_name: str
    """The organisation's current name (a later renaming shows here)."""
    role: SeatRole
    voting: bool
    from_date: date
    until: date | None


class BodySeats(BaseModel):
    """A body and its seats, in the order they began."""

    model_config = ConfigDict(frozen=True)

    body_id: UUID
    name: str
    kind: BodyKind
    organisation_id: UUID | None
    constituted_on: date | None
    """None when the constitution date is not known."""
    seats: list[SeatLine]


def seats_report(
    app: ProgrammeQueries, body_id: UUID | None = None, on: date | None = None
) -> list[BodySeats]:
    """Every body (or the one named), in constitution order, with its seats.

    With `on`, only the seats held that day; bodies keep their place with
    whatever seats remain, so "nobody sat there" stays visible. An unknown
    `body_id` raises the domain's NotFoundError.
    """
    names = OrganisationNames(app)
    report = []
    for body in bodies_asked(app, body_id):
        seats = [s for s in body.seats if on is None or s.covers(on)]
        # Stable: seats that began the same day keep the order they were recorded in.
        seats.sort(key=lambda s: s.from_date)
        report.append(
            BodySeats(
                body_id=body.id,
                name=body.name,
                kind=body.kind,
                organisation_id=body.organisation_id,
                constituted_on=body.constituted_on,
                seats=[_line(seat, names) for seat in seats],
            )
        )
    return report


def _line(seat: Seat, names: OrganisationNames) -> SeatLine:
    return SeatLine(
        person=seat.person,
        organisation_id=seat.organisation_id,
        organisation_name=names(seat.organisation_id),
        role=seat.role,
        voting=seat.role == SeatRole.VOTING,
        from_date=seat.from_date,
        until=seat.until,
    )
