"""/organisations: register, rename, archive, read one."""

from fastapi import APIRouter

from api.http.command_routes import commands
from api.http.read_routes import aggregate_read, directory_listing
from api.http.schemas.organisations import OrganisationPublic
from application import organisation_commands as command
from application.projections.read_models import ReadModels
from domain.organisation import Organisation, OrganisationKind

router = APIRouter(prefix="/organisations", tags=["organisations"])


# Commands: POST path → the command it runs (its body is the command's payload).
commands(
    router,
    command.RegisterOrganisation,
    {
        "/{organisation_id}/rename": command.RenameOrganisation,
        "/{organisation_id}/archive": command.ArchiveOrganisation,
        "/{organisation_id}/identifiers": command.SetOrganisationIdentifiers,
        "/{organisation_id}/facts": command.StateFact,
    },
)


# Reads: one from its own events, and the directory's page of them (api/http/read_routes.py).
aggregate_read(router, Organisation, OrganisationPublic, "organisation")
directory_listing(
    router,
    OrganisationKind,
    ReadModels.organisations,
    "Every organisation, in the order they were registered: how a client finds their ids.",
)
