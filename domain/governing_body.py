"""Governing bodies: who sits where, from when to when, and who may decide.

The bureau decides ("véritable instance décisionnelle"); an external body (the
State, the Région as a funder) decides for its own organisation. The directoire
prepares and the conseil d'orientation advises: their meetings are recorded,
their decisions refused. Only members seated with the role `voting` decide; a
permanent invitee (the Région at the bureau) never does.
"""

from collections import Counter
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, ClassVar
from uuid import UUID

from eventsourcing.domain import event
from pydantic import Field, StringConstraints

from domain.base import Aggregate, AggregateSnapshot, AggregateState
from domain.decision import PersonName
from domain.errors import ChronologyError, InvalidValueError, NotFoundError, SeatError
from domain.naming import ids
from domain.sitting import (
    DEFAULT_QUORUM,
    Attendance,
    Composition,
    Deliberation,
    Interest,
    MinutesReference,
    Quorum,
    Sitting,
    check_attendance,
    check_parity,
    quorum_required,
    taking_part,
)
from domain.values import ValueObject

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class BodyKind(StrEnum):
    BUREAU = "bureau"
    DIRECTOIRE = "directoire"
    ADVISORY_COUNCIL = "advisory_council"
    EXTERNAL = "external"


DECIDING_KINDS = frozenset({BodyKind.BUREAU, BodyKind.EXTERNAL})


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


class ConflictOfInterest(ValueObject):
    person: str
    organisation_id: UUID
    declared_on: date
    reason: str
    version: int
    ends_on: date | None = None


class GoverningBodyState(AggregateState):
    """Every attribute of a GoverningBody, as its snapshot holds them."""

    name: str
    kind: BodyKind
    organisation_id: UUID | None
    constituted_on: date | None
    seats: list[Seat]
    meetings: list[Meeting]
    conflicts: list[ConflictOfInterest]
    # Added with sittings: a snapshot taken before them reads with the defaults.
    quorum: Quorum = DEFAULT_QUORUM
    composition: Composition = Composition.FREE
    sittings: list[Sitting] = Field(default_factory=list)
    deliberations: list[Deliberation] = Field(default_factory=list)


class GoverningBody(Aggregate):
    """A body of the association, or an external organisation's deciding body."""

    class Snapshot(AggregateSnapshot):
        state: GoverningBodyState

    class_version: ClassVar[int] = 2
    """The shape of the state a snapshot holds. Version 2: seats have a `role`, as
    MemberSeated version 2; version 1 seats had `voting: bool`. Snapshots came after that
    change, so none of version 1 is stored: this upcast shows the path for the next one."""

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """A version 1 snapshot's seats, read as MemberSeated.upcast_v1_v2 reads the event."""
        for seat in state["seats"]:
            seat["role"] = SeatRole.VOTING if seat.pop("voting") else SeatRole.PARTICIPANT

    # Events
    class Constituted(Aggregate.Created):
        name: Name
        kind: BodyKind
        organisation_id: UUID | None
        constitution_date_unknown: bool
        quorum: Quorum = DEFAULT_QUORUM
        composition: Composition = Composition.FREE

    class MemberSeated(Aggregate.Event):
        """Version 2: `role` replaced version 1's `voting: bool` once invitees were seated."""

        class_version: ClassVar[int] = 2
        person: PersonName
        organisation_id: UUID
        role: SeatRole
        from_date: date

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["role"] = SeatRole.VOTING if state.pop("voting") else SeatRole.PARTICIPANT

    class MemberUnseated(Aggregate.Event):
        person: str
        until: date

    class MeetingHeld(Aggregate.Event):
        held_on: date
        attendees: tuple[PersonName, ...]
        minutes_ref: Annotated[str, StringConstraints(max_length=500)] | None

    class ConflictOfInterestDeclared(Aggregate.Event):
        person: PersonName
        organisation_id: UUID
        declared_on: date
        reason: Reason
        ends_on: date | None = None

    class SittingHeld(Aggregate.Event):
        """The quorum's figures are those of the seats when the sitting was recorded."""

        sitting_id: UUID
        held_on: date
        attendance: tuple[Attendance, ...]
        minutes_reference: MinutesReference | None
        voting_members: int
        taking_part: tuple[PersonName, ...]
        quorum_required: int

    class DeliberationNumbered(Aggregate.Event):
        """A decision on another aggregate, taken in a sitting: saved with it, numbered here."""

        deliberation_number: int
        sitting_id: UUID
        decided_on: date
        subject_id: UUID
        subject: str
        recused: tuple[PersonName, ...]
        interests: tuple[Interest, ...] = ()

    @event(Constituted)
    def __init__(
        self,
        name: str,
        kind: BodyKind,
        effective_on: date,
        organisation_id: UUID | None = None,
        constitution_date_unknown: bool = False,
        quorum: Decimal = DEFAULT_QUORUM,
        composition: Composition = Composition.FREE,
    ) -> None:
        """With `constitution_date_unknown`, `effective_on` is only the day it was recorded."""
        if kind == BodyKind.EXTERNAL and organisation_id is None:
            raise InvalidValueError(
                "organisation_id: an external body names the organisation it acts for"
            )
        self.name = name
        self.kind = kind
        self.organisation_id = organisation_id
        self.constituted_on: date | None = None if constitution_date_unknown else effective_on
        self.seats: list[Seat] = []
        self.meetings: list[Meeting] = []
        self.conflicts: list[ConflictOfInterest] = []
        self.quorum = quorum
        self.composition = composition
        self.sittings: list[Sitting] = []
        self.deliberations: list[Deliberation] = []

    @property
    def may_decide(self) -> bool:
        return self.kind in DECIDING_KINDS

    def current_seat(self, person: str, on: date) -> Seat | None:
        return next((s for s in self.seats if s.person == person and s.covers(on)), None)

    def is_voting_member(self, person: str, on: date) -> bool:
        seat = self.current_seat(person, on)
        return seat is not None and seat.role == SeatRole.VOTING

    def voting_members(self, on: date) -> list[str]:
        return [s.person for s in self.seats if s.role == SeatRole.VOTING and s.covers(on)]

    def conflict_of(
        self, person: str, organisation_ids: set[UUID], on: date
    ) -> "ConflictOfInterest | None":
        """The declaration that makes `person` recuse themself, if any."""
        return next(
            (
                c
                for c in self.conflicts
                if c.person == person
                and c.organisation_id in organisation_ids
                and c.declared_on <= on
                and (c.ends_on is None or on <= c.ends_on)
            ),
            None,
        )

    def seated_on(self, on: date) -> list[Seat]:
        return [s for s in self.seats if s.covers(on)]

    def sitting(self, sitting_id: UUID) -> Sitting:
        found = next((s for s in self.sittings if s.sitting_id == sitting_id), None)
        if found is None:
            raise NotFoundError(f"{self.name} ({self.id}) has no sitting {sitting_id}")
        return found

    def seat_member(
        self,
        person: PersonName,
        organisation_id: UUID,
        role: SeatRole,
        from_date: date,
        organisation_name: str | None = None,
    ) -> None:
        if self.constituted_on is not None and from_date < self.constituted_on:
            raise ChronologyError(
                f"{person} cannot be seated on {from_date}: {self.name} was constituted"
                f" on {self.constituted_on}"
                f"{ids(self)}"
            )
        clash = next(
            (
                s
                for s in self.seats
                if s.person == person and (s.until is None or s.until >= from_date)
            ),
            None,
        )
        if clash is not None:
            raise SeatError(
                f"{person} already sits in {self.name} as {clash.role} since {clash.from_date}"
                f"{ids(self)}"
            )
        if self.composition == Composition.PARITY and role == SeatRole.VOTING:
            voting = Counter(
                s.organisation_id for s in self.seated_on(from_date) if s.role == SeatRole.VOTING
            )
            organisation = f"{organisation_name or 'organisation'} ({organisation_id})"
            check_parity(self.name, organisation, from_date, voting, organisation_id)
        self._member_seated(
            person=person,
            organisation_id=organisation_id,
            role=role,
            from_date=from_date,
            effective_on=from_date,
        )

    @event(MemberSeated)
    def _member_seated(
        self,
        person: str,
        organisation_id: UUID,
        role: SeatRole,
        from_date: date,
        effective_on: date,
    ) -> None:
        self.seats.append(
            Seat(person=person, organisation_id=organisation_id, role=role, from_date=from_date)
        )

    def unseat_member(self, person: PersonName, until: date) -> None:
        seat = next((s for s in self.seats if s.person == person and s.until is None), None)
        if seat is None:
            raise SeatError(f"{person} does not sit in {self.name}{ids(self)}")
        if until < seat.from_date:
            raise ChronologyError(
                f"{person} cannot leave {self.name} on {until}, before being seated"
                f" on {seat.from_date}"
                f"{ids(self)}"
            )
        self._member_unseated(person=person, until=until, effective_on=until)

    @event(MemberUnseated)
    def _member_unseated(self, person: str, until: date, effective_on: date) -> None:
        index = next(i for i, s in enumerate(self.seats) if s.person == person and s.until is None)
        self.seats[index] = self.seats[index].model_copy(update={"until": until})

    def hold_meeting(
        self, held_on: date, attendees: tuple[PersonName, ...], minutes_ref: str | None = None
    ) -> None:
        if self.constituted_on is not None and held_on < self.constituted_on:
            raise ChronologyError(
                f"{self.name} cannot meet on {held_on}, before it was constituted{ids(self)}"
            )
        self._meeting_held(
            held_on=held_on, attendees=attendees, minutes_ref=minutes_ref, effective_on=held_on
        )

    @event(MeetingHeld)
    def _meeting_held(
        self,
        held_on: date,
        attendees: tuple[str, ...],
        minutes_ref: str | None,
        effective_on: date,
    ) -> None:
        self.meetings.append(Meeting(held_on=held_on, attendees=attendees, minutes_ref=minutes_ref))

    def declare_conflict_of_interest(
        self,
        person: PersonName,
        organisation_id: UUID,
        declared_on: date,
        reason: Reason,
        ends_on: date | None = None,
    ) -> None:
        if ends_on is not None and ends_on < declared_on:
            raise InvalidValueError(
                f"ends_on: a declaration of {person} cannot end on {ends_on}, before it was"
                f" made on {declared_on}"
            )
        self._conflict_declared(
            person=person,
            organisation_id=organisation_id,
            declared_on=declared_on,
            reason=reason,
            ends_on=ends_on,
            effective_on=declared_on,
        )

    @event(ConflictOfInterestDeclared)
    def _conflict_declared(
        self,
        person: str,
        organisation_id: UUID,
        declared_on: date,
        reason: str,
        effective_on: date,
        ends_on: date | None = None,
    ) -> None:
        self.conflicts.append(
            ConflictOfInterest(
                person=person,
                organisation_id=organisation_id,
                declared_on=declared_on,
                reason=reason,
                version=self.version + 1,
                ends_on=ends_on,
            )
        )

    def hold_sitting(
        self,
        sitting_id: UUID,
        held_on: date,
        attendance: tuple[Attendance, ...],
        minutes_reference: str | None = None,
    ) -> None:
        if self.constituted_on is not None and held_on < self.constituted_on:
            raise InvalidValueError(
                f"{self.name} cannot sit on {held_on}, before it was constituted"
            )
        if any(s.sitting_id == sitting_id for s in self.sittings):
            raise InvalidValueError(f"{self.name} already has a sitting {sitting_id}")
        seated = self.seated_on(held_on)
        voting = {s.person for s in seated if s.role == SeatRole.VOTING}
        check_attendance(self.name, held_on, attendance, voting, {s.person for s in seated})
        self._sitting_held(
            sitting_id=sitting_id,
            held_on=held_on,
            attendance=attendance,
            minutes_reference=minutes_reference,
            voting_members=len(voting),
            taking_part=taking_part(attendance, voting),
            quorum_required=quorum_required(len(voting), self.quorum),
            effective_on=held_on,
        )

    @event(SittingHeld)
    def _sitting_held(
        self,
        sitting_id: UUID,
        held_on: date,
        attendance: tuple[Attendance, ...],
        minutes_reference: str | None,
        voting_members: int,
        taking_part: tuple[str, ...],
        quorum_required: int,
        effective_on: date,
    ) -> None:
        self.sittings.append(
            Sitting(
                sitting_id=sitting_id,
                held_on=held_on,
                attendance=attendance,
                minutes_reference=minutes_reference,
                voting_members=voting_members,
                taking_part=taking_part,
                quorum_required=quorum_required,
            )
        )

    def number_deliberation(
        self,
        sitting_id: UUID,
        decided_on: date,
        subject_id: UUID,
        subject: str,
        recused: tuple[str, ...],
        interests: tuple[Interest, ...] = (),
    ) -> int:
        """The next délibération number of this body, given to a decision taken in a sitting."""
        number = len(self.deliberations) + 1
        self._deliberation_numbered(
            deliberation_number=number,
            sitting_id=sitting_id,
            decided_on=decided_on,
            subject_id=subject_id,
            subject=subject,
            recused=recused,
            interests=interests,
            effective_on=decided_on,
        )
        return number

    @event(DeliberationNumbered)
    def _deliberation_numbered(
        self,
        deliberation_number: int,
        sitting_id: UUID,
        decided_on: date,
        subject_id: UUID,
        subject: str,
        recused: tuple[str, ...],
        effective_on: date,
        interests: tuple[Interest, ...] = (),
    ) -> None:
        self.deliberations.append(
            Deliberation(
                deliberation_number=deliberation_number,
                sitting_id=sitting_id,
                decided_on=decided_on,
                subject_id=subject_id,
                subject=subject,
                recused=recused,
                interests=interests,
            )
        )
