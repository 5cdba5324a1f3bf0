"""Governing bodies: who sits where, from when to when, and who may decide.

The bureau decides ("véritable instance décisionnelle"); an external body (the
State, the Région as a funder) decides for its own organisation. The directoire
prepares and the conseil d'orientation advises: their meetings are recorded,
their decisions refused. Only members seated with the role `voting` decide; a
permanent invitee (the Région at the bureau) never does.
"""

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, ClassVar
from uuid import UUID

from eventsourcing.domain import event
from pydantic import Field, StringConstraints

from domain import seats
from domain.base import Aggregate, AggregateSnapshot, AggregateState
from domain.conflicts_of_interest import ConflictOfInterest, check_declaration, conflict_of
from domain.decision import PersonName
from domain.errors import ChronologyError, InvalidValueError, NotFoundError
from domain.naming import ids
from domain.seats import Meeting, Seat, Seated, SeatRole
from domain.sitting import (
    DEFAULT_QUORUM,
    Attendance,
    Composition,
    Deliberation,
    Interest,
    MinutesReference,
    Quorum,
    Sitting,
    new_sitting,
)
from domain.text import Name, Reason


class BodyKind(StrEnum):
    BUREAU = "bureau"
    DIRECTOIRE = "directoire"
    ADVISORY_COUNCIL = "advisory_council"
    EXTERNAL = "external"


DECIDING_KINDS = frozenset({BodyKind.BUREAU, BodyKind.EXTERNAL})


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


class GoverningBody(Aggregate, Seated):
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

    # Each event below applies itself, building the value it records from its own fields.
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

        def apply(self, aggregate: Any) -> None:
            aggregate.seats.append(Seat(**self.fields_of(Seat)))

    class MemberUnseated(Aggregate.Event):
        person: str
        until: date

        def apply(self, aggregate: Any) -> None:
            seat = seats.open_seat(aggregate.seats, self.person)
            assert seat is not None
            aggregate.seats[aggregate.seats.index(seat)] = seat.model_copy(
                update={"until": self.until}
            )

    class MeetingHeld(Aggregate.Event):
        held_on: date
        attendees: tuple[PersonName, ...]
        minutes_ref: Annotated[str, StringConstraints(max_length=500)] | None

        def apply(self, aggregate: Any) -> None:
            aggregate.meetings.append(Meeting(**self.fields_of(Meeting)))

    class ConflictOfInterestDeclared(Aggregate.Event):
        person: PersonName
        organisation_id: UUID
        declared_on: date
        reason: Reason
        ends_on: date | None = None

        def apply(self, aggregate: Any) -> None:
            aggregate.conflicts.append(
                ConflictOfInterest(
                    **self.fields_of(ConflictOfInterest), version=self.originator_version
                )
            )

    class SittingHeld(Aggregate.Event):
        """The quorum's figures are those of the seats when the sitting was recorded."""

        sitting_id: UUID
        held_on: date
        attendance: tuple[Attendance, ...]
        minutes_reference: MinutesReference | None
        voting_members: int
        taking_part: tuple[PersonName, ...]
        quorum_required: int

        def apply(self, aggregate: Any) -> None:
            aggregate.sittings.append(Sitting(**self.fields_of(Sitting)))

    class DeliberationNumbered(Aggregate.Event):
        """A decision on another aggregate, taken in a sitting: saved with it, numbered here."""

        deliberation_number: int
        sitting_id: UUID
        decided_on: date
        subject_id: UUID
        subject: str
        recused: tuple[PersonName, ...]
        interests: tuple[Interest, ...] = ()

        def apply(self, aggregate: Any) -> None:
            aggregate.deliberations.append(Deliberation(**self.fields_of(Deliberation)))

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

    def conflict_of(
        self, person: str, organisation_ids: set[UUID], on: date
    ) -> ConflictOfInterest | None:
        """The declaration that makes `person` recuse themself, if any."""
        return conflict_of(self.conflicts, person, organisation_ids, on)

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
        seat = Seat(person=person, organisation_id=organisation_id, role=role, from_date=from_date)
        seats.check_seating(self, seat, organisation_name)
        self.trigger_event(
            self.MemberSeated, **seat.model_dump(exclude={"until"}), effective_on=from_date
        )

    def unseat_member(self, person: PersonName, until: date) -> None:
        seats.check_departure(self, person, until)
        self.trigger_event(self.MemberUnseated, person=person, until=until, effective_on=until)

    def hold_meeting(
        self, held_on: date, attendees: tuple[PersonName, ...], minutes_ref: str | None = None
    ) -> None:
        if self.constituted_on is not None and held_on < self.constituted_on:
            raise ChronologyError(
                f"{self.name} cannot meet on {held_on}, before it was constituted{ids(self)}"
            )
        self.trigger_event(
            self.MeetingHeld,
            held_on=held_on,
            attendees=attendees,
            minutes_ref=minutes_ref,
            effective_on=held_on,
        )

    def declare_conflict_of_interest(
        self,
        person: PersonName,
        organisation_id: UUID,
        declared_on: date,
        reason: Reason,
        ends_on: date | None = None,
    ) -> None:
        check_declaration(person, declared_on, ends_on)
        self.trigger_event(
            self.ConflictOfInterestDeclared,
            person=person,
            organisation_id=organisation_id,
            declared_on=declared_on,
            reason=reason,
            ends_on=ends_on,
            effective_on=declared_on,
        )

    def hold_sitting(
        self,
        sitting_id: UUID,
        held_on: date,
        attendance: tuple[Attendance, ...],
        minutes_reference: str | None = None,
    ) -> None:
        sitting = new_sitting(self, sitting_id, held_on, attendance, minutes_reference)
        self.trigger_event(self.SittingHeld, **dict(sitting), effective_on=held_on)

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
        self.trigger_event(
            self.DeliberationNumbered,
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
