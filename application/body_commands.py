"""Governing bodies: constitute, seat and unseat members, meetings, conflicts of interest."""

from datetime import date
from typing import Annotated
from uuid import UUID, uuid4

from pydantic import Field, StringConstraints

from application.base import FilieresApplicationBase
from application.command import Command, handler
from application.context import CommandContext, CommandResult
from application.payload import EffectiveDay, Payload, Person, today
from domain.errors import (
    ChronologyError,
    NotSeatedOnThatDayError,
    ParityError,
    ProxyHolderError,
    SeatError,
    SecondProxyError,
)
from domain.governing_body import BodyKind, GoverningBody, Name, Reason, SeatRole
from domain.organisation import Organisation
from domain.sitting import (
    DEFAULT_QUORUM,
    Attendance,
    AttendanceStatus,
    Composition,
    MinutesReference,
    Quorum,
)


class OnBody(Command):
    """A command on a constituted body, at the version its caller expects if given."""

    body_id: UUID
    expected_version: int | None = None


class BodyCreate(Payload):
    name: Name
    kind: BodyKind
    organisation_id: UUID | None = Field(
        default=None, description="Required for an external body: the organisation it acts for."
    )
    constituted_on: EffectiveDay | None = Field(
        default=None, description="Omit when not known; members may then be seated from any date."
    )
    quorum: Quorum = Field(
        default=DEFAULT_QUORUM,
        description="The share of the voting members on a sitting's day who must be present or"
        ' represented, a decimal string; "0.5" (at least half) if omitted.',
    )
    composition: Composition = Field(
        default=Composition.FREE,
        description="`parity` when the statutes give each member organisation the same number"
        " of voting seats: a seat that breaks it is refused.",
    )


class ConstituteBody(BodyCreate, Command):
    """A governing body is constituted: a bureau, a directoire, an advisory council, or the
    external body through which an organisation (the State, a region) decides."""

    requested_on: date = Field(default_factory=today)
    """The day the command was made: when the body takes effect if its date is not known."""


class SeatCreate(Payload):
    person: Person
    organisation_id: UUID
    role: SeatRole
    from_: EffectiveDay = Field(alias="from")


class SeatMember(SeatCreate, OnBody):
    """A person sits in the body for an organisation, from a day on."""

    refusals = (SeatError, ParityError, ChronologyError)


class Unseat(Payload):
    person: Person
    until: EffectiveDay


class UnseatMember(Unseat, OnBody):
    """The person's seat ends on `until`."""

    refusals = (SeatError, ChronologyError)


class MeetingCreate(Payload):
    held_on: EffectiveDay
    attendees: list[Person] = Field(default=[], max_length=200)
    minutes_ref: Annotated[str, StringConstraints(max_length=500)] | None = None


class HoldMeeting(MeetingCreate, OnBody):
    """The body met on a day, with these attendees."""

    refusals = (ChronologyError,)


class ConflictCreate(Payload):
    person: Person
    organisation_id: UUID
    declared_on: EffectiveDay
    reason: Reason
    ends_on: date | None = Field(
        default=None, description="The last day the declaration holds; open-ended if omitted."
    )


class DeclareConflictOfInterest(ConflictCreate, OnBody):
    """A member declares an interest in an organisation; from then on they do not decide on it."""


class AttendanceLine(Payload):
    person: Person
    status: AttendanceStatus
    represented_by: Person | None = Field(
        default=None, description="For `represented`: the present voting member holding the proxy."
    )


class SittingCreate(Payload):
    held_on: EffectiveDay
    attendance: list[AttendanceLine] = Field(max_length=500)
    """Members seated that day and not listed are counted absent."""
    minutes_reference: MinutesReference | None = None
    sitting_id: UUID | None = Field(
        default=None, description="Chosen by the client if given; unique within the body."
    )


class HoldSitting(SittingCreate, OnBody):
    """The body sat on a day: who was present, represented, excused or absent."""

    refusals = (NotSeatedOnThatDayError, ProxyHolderError, SecondProxyError)


class BodyCommands(FilieresApplicationBase):
    @handler
    def constitute_body(self, ctx: CommandContext, command: ConstituteBody) -> CommandResult:
        """A body without `constituted_on` takes effect on the day the command was made."""
        if command.organisation_id is not None:
            self.load(Organisation, command.organisation_id)
        body = GoverningBody(
            name=command.name,
            kind=command.kind,
            effective_on=command.constituted_on or command.requested_on,
            organisation_id=command.organisation_id,
            constitution_date_unknown=command.constituted_on is None,
            quorum=command.quorum,
            composition=command.composition,
        )
        return self.record(ctx, body)

    @handler
    def seat_member(self, ctx: CommandContext, command: SeatMember) -> CommandResult:
        body = self.load_for_update(GoverningBody, command.body_id, command.expected_version)
        organisation = self.load(Organisation, command.organisation_id)
        body.seat_member(
            command.person,
            command.organisation_id,
            command.role,
            command.from_,
            organisation_name=organisation.name,
        )
        return self.record(ctx, body)

    @handler
    def unseat_member(self, ctx: CommandContext, command: UnseatMember) -> CommandResult:
        body = self.load_for_update(GoverningBody, command.body_id, command.expected_version)
        body.unseat_member(command.person, command.until)
        return self.record(ctx, body)

    @handler
    def hold_meeting(self, ctx: CommandContext, command: HoldMeeting) -> CommandResult:
        body = self.load_for_update(GoverningBody, command.body_id, command.expected_version)
        body.hold_meeting(command.held_on, tuple(command.attendees), command.minutes_ref)
        return self.record(ctx, body)

    @handler
    def declare_conflict_of_interest(
        self, ctx: CommandContext, command: DeclareConflictOfInterest
    ) -> CommandResult:
        body = self.load_for_update(GoverningBody, command.body_id, command.expected_version)
        self.load(Organisation, command.organisation_id)
        body.declare_conflict_of_interest(
            command.person,
            command.organisation_id,
            command.declared_on,
            command.reason,
            command.ends_on,
        )
        return self.record(ctx, body)

    @handler
    def hold_sitting(self, ctx: CommandContext, command: HoldSitting) -> CommandResult:
        body = self.load_for_update(GoverningBody, command.body_id, command.expected_version)
        sitting_id = command.sitting_id or uuid4()
        attendance = tuple(Attendance.model_validate(dict(line)) for line in command.attendance)
        body.hold_sitting(sitting_id, command.held_on, attendance, command.minutes_reference)
        result = self.record(ctx, body)
        return CommandResult(result.id, result.version, result.position, sitting_id=sitting_id)
