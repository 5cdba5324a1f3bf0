"""Organisations: register, rename, archive; their payloads, commands and handlers."""

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from application.base import FilieresApplicationBase
from application.command import Command, handler
from application.context import CommandContext, CommandResult
from application.payload import EffectiveDay, EffectiveOn, Payload, today
from domain.organisation import Name, Organisation, OrganisationKind


class OnOrganisation(Command):
    """A command on a registered organisation, at the version its caller expects if given."""

    organisation_id: UUID
    expected_version: int | None = None


class OrganisationCreate(Payload):
    name: Name
    kind: OrganisationKind
    registered_on: EffectiveDay | None = Field(
        default=None, description="When it entered the ledger; the day of the request if omitted."
    )
    siren: Annotated[str, StringConstraints(pattern=r"^\d{9}$")] | None = None
    territory: Annotated[str, StringConstraints(max_length=300)] | None = None


class RegisterOrganisation(OrganisationCreate, Command):
    requested_on: date = Field(default_factory=today)
    """The day the command was made: the registration's day when the payload gives none."""


class OrganisationRename(Payload):
    name: Name
    effective_on: EffectiveDay


class RenameOrganisation(OrganisationRename, OnOrganisation):
    """Its new name, from a day on."""


class ArchiveOrganisation(EffectiveOn, OnOrganisation):
    """It takes part in nothing new from that day on."""


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
