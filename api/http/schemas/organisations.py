"""Organisations: partners, companies, funders, public bodies."""

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints

from api.http.schemas.common import Payload
from domain.organisation import Name as OrganisationName
from domain.organisation import OrganisationKind


class OrganisationCreate(Payload):
    name: OrganisationName
    kind: OrganisationKind
    registered_on: date | None = Field(
        default=None, description="When it entered the ledger; the day of the request if omitted."
    )
    siren: Annotated[str, StringConstraints(pattern=r"^\d{9}$")] | None = None
    territory: Annotated[str, StringConstraints(max_length=300)] | None = None


class OrganisationRename(Payload):
    name: OrganisationName
    effective_on: date


class OrganisationPublic(BaseModel):
    id: UUID
    name: str
    kind: OrganisationKind
    registered_on: date
    siren: str | None
    territory: str | None
    archived_on: date | None
    version: int
