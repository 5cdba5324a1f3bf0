"""/organisations: register, rename, archive, read one."""

from datetime import UTC, datetime
from uuid import UUID

from fastapi import APIRouter, Response

from api.http.command_runner import etag
from api.http.deps import App, Command, Reader
from api.http.routers.responses import COMMAND, READ
from api.http.schemas.common import CommandAnswer, EffectiveOn
from api.http.schemas.organisations import (
    OrganisationCreate,
    OrganisationPublic,
    OrganisationRename,
)
from domain.organisation import Organisation

router = APIRouter(prefix="/organisations", tags=["organisations"])


@router.post("", status_code=201, response_model=CommandAnswer, responses=COMMAND)
def register_organisation(payload: OrganisationCreate, app: App, run: Command) -> Response:
    registered_on = payload.registered_on or datetime.now(UTC).date()
    return run.create(
        payload,
        lambda ctx, _: app.register_organisation(
            ctx, payload.name, payload.kind, registered_on, payload.siren, payload.territory
        ),
        router.prefix,
    )


@router.post("/{organisation_id}/rename", response_model=CommandAnswer, responses=COMMAND)
def rename_organisation(
    organisation_id: UUID, payload: OrganisationRename, app: App, run: Command
) -> Response:
    return run.update(
        payload,
        lambda ctx, version: app.rename_organisation(
            ctx, organisation_id, payload.name, payload.effective_on, version
        ),
    )


@router.post("/{organisation_id}/archive", response_model=CommandAnswer, responses=COMMAND)
def archive_organisation(
    organisation_id: UUID, payload: EffectiveOn, app: App, run: Command
) -> Response:
    return run.update(
        payload,
        lambda ctx, version: app.archive_organisation(
            ctx, organisation_id, payload.effective_on, version
        ),
    )


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
