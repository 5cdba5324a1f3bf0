"""/organisations: register, rename, archive, read one."""

from uuid import UUID

from fastapi import APIRouter, Response

from api.http.command_runner import etag
from api.http.deps import App, Reader, Run
from api.http.routers.responses import READ, command, creation
from api.http.schemas.organisations import OrganisationPublic
from application.organisation_commands import (
    ArchiveOrganisation,
    OrganisationCreate,
    OrganisationRename,
    RegisterOrganisation,
    RenameOrganisation,
)
from application.payload import EffectiveOn
from domain.organisation import Organisation

router = APIRouter(prefix="/organisations", tags=["organisations"])


@creation(router, "")
def register_organisation(payload: OrganisationCreate, run: Run) -> Response:
    return run.create(RegisterOrganisation.of(payload), router.prefix)


@command(router, "/{organisation_id}/rename")
def rename_organisation(organisation_id: UUID, payload: OrganisationRename, run: Run) -> Response:
    return run.update(RenameOrganisation.of(payload, organisation_id=organisation_id))


@command(router, "/{organisation_id}/archive")
def archive_organisation(organisation_id: UUID, payload: EffectiveOn, run: Run) -> Response:
    return run.update(ArchiveOrganisation.of(payload, organisation_id=organisation_id))


@router.get("/{organisation_id}", response_model=OrganisationPublic, responses=READ)
def read_organisation(
    organisation_id: UUID, app: App, _: Reader, response: Response
) -> OrganisationPublic:
    """Read from the organisation's own events, so always current."""
    organisation = app.load(Organisation, organisation_id)
    response.headers["ETag"] = etag(organisation.version)
    return OrganisationPublic(
        id=organisation.id,
        name=organisation.name,
        kind=organisation.kind,
        registered_on=organisation.registered_on,
        siren=organisation.siren,
        territory=organisation.territory,
        archived_on=organisation.archived_on,
        version=organisation.version,
    )
