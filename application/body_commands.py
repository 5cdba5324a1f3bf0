"""Constituting governing bodies, seating members, meetings, conflicts of interest."""

from datetime import date
from uuid import UUID

from application.base import FilieresApplicationBase, choice, command
from application.context import CommandContext, CommandResult
from domain.errors import InvalidValueError
from domain.governing_body import BodyKind, GoverningBody, SeatRole
from domain.organisation import Organisation


class BodyCommands(FilieresApplicationBase):
    @command
    def constitute_body(
        self,
        ctx: CommandContext,
        name: str,
        kind: BodyKind,
        constituted_on: date | None,
        organisation_id: UUID | None = None,
        recorded_on: date | None = None,
    ) -> CommandResult:
        """`constituted_on` None: not known; the event then takes effect on `recorded_on`."""
        if organisation_id is not None:
            self.load(Organisation, organisation_id)
        effective_on = constituted_on or recorded_on
        if effective_on is None:
            raise InvalidValueError("constituted_on: give the date, or the day it is recorded")
        body = GoverningBody(
            name=name,
            kind=kind,
            effective_on=effective_on,
            organisation_id=organisation_id,
            constitution_date_unknown=constituted_on is None,
        )
        return self.record(ctx, body)

    @command
    def seat_member(
        self,
        ctx: CommandContext,
        body_id: UUID,
        person: str,
        organisation_id: UUID,
        role: SeatRole,
        from_date: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        body = self.load_for_update(GoverningBody, body_id, expected_version)
        self.load(Organisation, organisation_id)
        body.seat_member(person, organisation_id, choice(SeatRole, role, "role"), from_date)
        return self.record(ctx, body)

    @command
    def unseat_member(
        self,
        ctx: CommandContext,
        body_id: UUID,
        person: str,
        until: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        body = self.load_for_update(GoverningBody, body_id, expected_version)
        body.unseat_member(person, until)
        return self.record(ctx, body)

    @command
    def hold_meeting(
        self,
        ctx: CommandContext,
        body_id: UUID,
        held_on: date,
        attendees: tuple[str, ...],
        minutes_ref: str | None = None,
        expected_version: int | None = None,
    ) -> CommandResult:
        body = self.load_for_update(GoverningBody, body_id, expected_version)
        body.hold_meeting(held_on, tuple(attendees), minutes_ref)
        return self.record(ctx, body)

    @command
    def declare_conflict_of_interest(
        self,
        ctx: CommandContext,
        body_id: UUID,
        person: str,
        organisation_id: UUID,
        declared_on: date,
        reason: str,
        expected_version: int | None = None,
    ) -> CommandResult:
        body = self.load_for_update(GoverningBody, body_id, expected_version)
        self.load(Organisation, organisation_id)
        body.declare_conflict_of_interest(person, organisation_id, declared_on, reason)
        return self.record(ctx, body)
