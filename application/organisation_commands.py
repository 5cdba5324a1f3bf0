"""Organisations: register, rename, archive; their payloads, commands and handlers."""

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints, model_validator

from application.command import Command, handler
from application.context import CommandContext, CommandResult
from application.identifier_claims import IdentifierClaims, identifiers_of
from application.payload import EffectiveDay, EffectiveOn, Payload, today
from domain.errors import IdentifierTakenError, OrganisationArchivedError
from domain.identifier_claim import IdentifierScheme
from domain.identifiers import Rna, Siren, Siret
from domain.organisation import Name, Organisation, OrganisationKind, Statement, Topic


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
    siren: Siren | None = None
    siret: Siret | None = Field(
        default=None, description="Its SIREN is its first nine digits; the SIREN is then optional."
    )
    rna: Rna | None = None
    territory: Annotated[str, StringConstraints(max_length=300)] | None = None


class RegisterOrganisation(OrganisationCreate, Command):
    """A partner, company, cluster, school, funder, public body or association enters the ledger."""

    refusals = (IdentifierTakenError,)

    requested_on: date = Field(default_factory=today)
    """The day the command was made: the registration's day when the payload gives none."""


class OrganisationIdentifiers(Payload):
    """Each identifier given replaces the one held; one left out is kept."""

    siren: Siren | None = None
    siret: Siret | None = None
    rna: Rna | None = None
    effective_on: EffectiveDay | None = Field(
        default=None, description="When the identifiers apply; the day of the request if omitted."
    )

    @model_validator(mode="after")
    def _gives_one(self) -> "OrganisationIdentifiers":
        if self.siren is None and self.siret is None and self.rna is None:
            raise ValueError("give siret, rna or siren")
        return self


class SetOrganisationIdentifiers(OrganisationIdentifiers, OnOrganisation):
    """Its SIREN, SIRET or RNA number, set or corrected; an event in its history."""

    refusals = (IdentifierTakenError,)

    requested_on: date = Field(default_factory=today)


class OrganisationRename(Payload):
    name: Name
    effective_on: EffectiveDay


class RenameOrganisation(OrganisationRename, OnOrganisation):
    """Its new name, from a day on."""

    refusals = (OrganisationArchivedError,)


class ArchiveOrganisation(EffectiveOn, OnOrganisation):
    """It takes part in nothing new from that day on."""

    refusals = (OrganisationArchivedError,)


class FactCreate(Payload):
    topic: Topic = Field(
        description="What the fact is about, in a word or two: perimeter, companies, members…"
    )
    statement: Statement = Field(description="The fact, as the source states it.")
    stated_on: EffectiveDay = Field(description="The day it is true as of (the source's date).")


class StateFact(FactCreate, OnOrganisation):
    """A fact about the organisation that no decision made: a perimeter, a figure, an event of
    its history."""


class OrganisationCommands(IdentifierClaims):
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
        organisation.set_identifiers(
            command.siren, command.siret, command.rna, organisation.registered_on
        )
        claims = self.claims(
            organisation, dict.fromkeys(IdentifierScheme), organisation.registered_on
        )
        return self.record(ctx, organisation, *claims)

    @handler
    def set_organisation_identifiers(
        self, ctx: CommandContext, command: SetOrganisationIdentifiers
    ) -> CommandResult:
        organisation = self._target(command)
        before = identifiers_of(organisation)
        siren = command.siren
        if siren is None and command.siret is None:
            siren = organisation.siren
        effective_on = command.effective_on or command.requested_on
        organisation.set_identifiers(
            siren,
            command.siret or organisation.siret,
            command.rna or organisation.rna,
            effective_on,
        )
        claims = self.claims(organisation, before, effective_on)
        return self.record(ctx, organisation, *claims)

    @handler
    def rename_organisation(
        self, ctx: CommandContext, command: RenameOrganisation
    ) -> CommandResult:
        organisation = self._target(command)
        organisation.rename(command.name, command.effective_on)
        return self.record(ctx, organisation)

    @handler
    def archive_organisation(
        self, ctx: CommandContext, command: ArchiveOrganisation
    ) -> CommandResult:
        organisation = self._target(command)
        organisation.archive(command.effective_on)
        return self.record(ctx, organisation)

    @handler
    def state_fact(self, ctx: CommandContext, command: StateFact) -> CommandResult:
        organisation = self._target(command)
        organisation.state_fact(command.topic, command.statement, command.stated_on)
        return self.record(ctx, organisation)

    def _target(self, command: OnOrganisation) -> Organisation:
        """The organisation the command acts on, at the version its caller expects."""
        return self.load_for_update(Organisation, command.organisation_id, command.expected_version)
