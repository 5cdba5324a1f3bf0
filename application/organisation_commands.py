"""Organisations: register, rename, archive; their payloads, commands and handlers."""

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from application.base import FilieresApplicationBase
from application.command import Command, handler, today
from application.context import CommandContext, CommandResult
from application.payload import EffectiveOn, Payload
from domain.organisation import Name, Organisation, OrganisationKind, Statement, Topic


class OnOrganisation(Command):
    """A command on a registered organisation, at the version its caller expects if given."""

    organisation_id: UUID
    expected_version: int | None = None


class OrganisationCreate(Payload):
    name: Name
    kind: OrganisationKind
    registered_on: date | None = Field(
        default=None, description="When it entered the ledger; the day of the request if omitted."
    )
    siren: Annotated[str, StringConstraints(pattern=r"^\d{9}$")] | None = None
    territory: Annotated[str, StringConstraints(max_length=300)] | None = None


class RegisterOrganisation(OrganisationCreate, Command):
    requested_on: date = Field(default_factory=today)
    """The day the command was made: the registration's day when the payload gives none."""


class OrganisationRename(Payload):
    name: Name
    effective_on: date


class RenameOrganisation(OrganisationRename, OnOrganisation):
    """Its new name, from a day on."""


class ArchiveOrganisation(EffectiveOn, OnOrganisation):
    """It takes part in nothing new from that day on."""


class FactCreate(Payload):
    topic: Topic = Field(
        description="What the fact is about, in a word or two: perimeter, companies, members…"
    )
    statement: Statement = Field(description="The fact, as the source states it.")
    stated_on: date = Field(description="The day it is true as of (the source's date).")


class StateFact(FactCreate, OnOrganisation):
    """A fact about the organisation that no decision made: a perimeter, a figure, an event of
    its history."""


class OrganisationCommands(FilieresApplicationBase):
    @handler
    def register_organisation(
        self, ctx: CommandContext, command: RegisterOrganisation
    ) -> CommandResult:
        organisation = Organisation(
            name=command.name,
            kind=command.kind,
            effective_on=command.registered_on or command.requested_on,
            siren=command.siren,
            territory=command.territory,
        )
        return self.record(ctx, organisation)

    @handler
    def rename_organisation(
        self, ctx: CommandContext, command: RenameOrganisation
    ) -> CommandResult:
        organisation = self.load_for_update(
            Organisation, command.organisation_id, command.expected_version
        )
        organisation.rename(command.name, command.effective_on)
        return self.record(ctx, organisation)

    @handler
    def archive_organisation(
        self, ctx: CommandContext, command: ArchiveOrganisation
    ) -> CommandResult:
        organisation = self.load_for_update(
            Organisation, command.organisation_id, command.expected_version
        )
        organisation.archive(command.effective_on)
        return self.record(ctx, organisation)

    @handler
    def state_fact(self, ctx: CommandContext, command: StateFact) -> CommandResult:
        organisation = self.load_for_update(
            Organisation, command.organisation_id, command.expected_version
        )
        organisation.state_fact(command.topic, command.statement, command.stated_on)
        return self.record(ctx, organisation)
