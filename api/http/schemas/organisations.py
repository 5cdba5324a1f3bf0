"""Organisations as the API answers them."""

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from domain.organisation import OrganisationKind


class OrganisationFactPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    topic: str
    statement: str
    stated_on: date


class OrganisationPublic(BaseModel):
    # Read from the attributes of the Organisation aggregate.
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    name: str
    kind: OrganisationKind
    registered_on: date
    siren: str | None
    siret: str | None
    rna: str | None
    territory: str | None
    archived_on: date | None
    version: int
    facts: list[OrganisationFactPublic] = []
    """Facts stated about it (perimeter, figures, history), oldest stated first."""
