"""Registering, renaming and archiving organisations."""

from datetime import date
from uuid import UUID

from application.base import FilieresApplicationBase, command
from application.context import CommandContext, CommandResult
from domain.organisation import Organisation, OrganisationKind


class OrganisationCommands(FilieresApplicationBase):
    @command
    def register_organisation(
        self,
        ctx: CommandContext,
        name: str,
        kind: OrganisationKind,
        registered_on: date,
        siren: str | None = None,
        territory: str | None = None,
    ) -> CommandResult:
        organisation = Organisation(
            name=name, kind=kind, effective_on=registered_on, siren=siren, territory=territory
        )
        return self.record(ctx, organisation)

    @command
    def rename_organisation(
        self,
        ctx: CommandContext,
        organisation_id: UUID,
        name: str,
        effective_on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        organisation = self.load_for_update(Organisation, organisation_id, expected_version)
        organisation.rename(name, effective_on)
        return self.record(ctx, organisation)

    @command
    def archive_organisation(
        self,
        ctx: CommandContext,
        organisation_id: UUID,
        effective_on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        organisation = self.load_for_update(Organisation, organisation_id, expected_version)
        organisation.archive(effective_on)
        return self.record(ctx, organisation)
