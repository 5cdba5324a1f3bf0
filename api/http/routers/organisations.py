"""/organisations: register, rename, archive, read one."""

from uuid import UUID

from fastapi import APIRouter, Response

from api.http.command_routes import creation, update
from api.http.command_runner import etag
from api.http.deps import App, Reader
from api.http.routers.responses import READ
from api.http.schemas.organisations import OrganisationPublic
from application import organisation_commands as command
from domain.organisation import Organisation

router = APIRouter(prefix="/organisations", tags=["organisations"])


# Commands: POST path → the command it runs (its body is the command's payload).
creation(router, "", command.RegisterOrganisation)
update(router, "/{organisation_id}/rename", command.RenameOrganisation)
update(router, "/{organisation_id}/archive", command.ArchiveOrganisation)
update(router, "/{organisation_id}/identifiers", command.SetOrganisationIdentifiers)
update(router, "/{organisation_id}/facts", command.StateFact)


@router.get("/{organisation_id}", response_model=OrganisationPublic, responses=READ)
def read_organisation(
    organisation_id: UUID, app: App, _: Reader, response: Response
) -> OrganisationPublic:
    """Read from the organisation's own events, so always current."""
    organisation = app.load(Organisation, organisation_id)
    response.headers["ETag"] = etag(organisation.version)
    return OrganisationPublic.model_validate(organisation)
