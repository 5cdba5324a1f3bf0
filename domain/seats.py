"""Seats of a governing body: who sits, in which role, from when to when (until is
inclusive), and the rules a new seat or a departure must keep.

The GoverningBody aggregate holds the seats and records the events; this module
answers what they mean on a day and refuses what they cannot become.
"""

from collections import Counter
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING
from uuid import UUID

from domain.errors import ChronologyError, SeatError
from domain.naming import ids
from domain.sitting import Composition, check_parity
from domain.values import ValueObject

if TYPE_CHECKING:
    from domain.governing_body import GoverningBody

if TYPE_CHECKING:
    pass


class SeatRole(StrEnum):
    VOTING = "voting"
    INVITEE = "invitee"
    PARTICIPANT = "participant"
    COORDINATOR = "coordinator"


class Seat(ValueObject):
    """One person's seat in a body over a period (until is inclusive)."""

    person: str
    organisation_id: UUID
    role: SeatRole
    from_date: date
    until: date | None = None

    def covers(self, day: date) -> bool:
        return self.from_date <= day and (self.until is None or day <= self.until)


class Meeting(ValueObject):
    held_on: date
    attendees: tuple[str, ...]
    minutes_ref: str | None = None


class Seated:
    """What a body's seats say on a day: mixed into GoverningBody, which holds them."""

    seats: list[Seat]

    def seated_on(self, on: date) -> list[Seat]:
        return [s for s in self.seats if s.covers(on)]

    def current_seat(self, person: str, on: date) -> Seat | None:
        return next((s for s in self.seats if s.person == person and s.covers(on)), None)

    def is_voting_member(self, person: str, on: date) -> bool:
        seat = self.current_seat(person, on)
        return seat is not None and seat.role == SeatRole.VOTING

    def voting_members(self, on: date) -> list[str]:
        return [s.person for s in self.seats if s.role == SeatRole.VOTING and s.covers(on)]


def open_seat(seats: list[Seat], person: str) -> Seat | None:
    """The seat `person` holds with no end yet, if any."""
    return next((s for s in seats if s.person == person and s.until is None), None)


def check_seating(body: "GoverningBody", seat: Seat, organisation_name: str | None) -> None:
    """Refuse `seat` before the body was constituted, beside a seat the person still holds,
    or as a voting seat that would break a parity body's balance."""
    person, from_date = seat.person, seat.from_date
    if body.constituted_on is not None and from_date < body.constituted_on:
        raise ChronologyError(
            f"{person} cannot be seated on {from_date}: {body.name} was constituted"
            f" on {body.constituted_on}"
            f"{ids(body)}"
        )
    clash = next(
        (s for s in body.seats if s.person == person and (s.until is None or s.until >= from_date)),
        None,
    )
    if clash is not None:
        raise SeatError(
            f"{person} already sits in {body.name} as {clash.role} since {clash.from_date}"
            f"{ids(body)}"
        )
    if body.composition == Composition.PARITY and seat.role == SeatRole.VOTING:
        voting = Counter(
            s.organisation_id for s in body.seated_on(from_date) if s.role == SeatRole.VOTING
        )
        organisation = f"{organisation_name or 'organisation'} ({seat.organisation_id})"
        check_parity(body.name, organisation, from_date, voting, seat.organisation_id)


def check_departure(body: "GoverningBody", person: str, until: date) -> None:
    """Refuse a departure of someone who does not sit, or before they were seated."""
    seat = open_seat(body.seats, person)
    if seat is None:
        raise SeatError(f"{person} does not sit in {body.name}{ids(body)}")
    if until < seat.from_date:
        raise ChronologyError(
            f"{person} cannot leave {body.name} on {until}, before being seated"
            f" on {seat.from_date}"
            f"{ids(body)}"
        )
