"""/bodies: constitute, seat and unseat members, meetings, conflicts of interest, read one."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.http.command_routes import creation, update
from api.http.command_runner import etag
from api.http.deps import App, Reader, Views
from api.http.routers.paging import DEFAULT_LIMIT, Cursor, Limit, NameContains
from api.http.routers.responses import READ
from api.http.schemas.bodies import BodyPublic
from application import body_commands as command
from application.projections.records import Page
from application.projections.views.directory import BodyEntry
from domain.governing_body import BodyKind, GoverningBody

router = APIRouter(prefix="/bodies", tags=["bodies"])


# Commands: POST path → the command it runs (its body is the command's payload).
creation(router, "", command.ConstituteBody)
update(router, "/{body_id}/members", command.SeatMember)
update(router, "/{body_id}/members/unseat", command.UnseatMember)
update(router, "/{body_id}/meetings", command.HoldMeeting)
update(router, "/{body_id}/conflicts-of-interest", command.DeclareConflictOfInterest)


@router.get("/{body_id}", response_model=BodyPublic, responses=READ)
def read_body(body_id: UUID, app: App, _: Reader, response: Response) -> BodyPublic:
    """Read from the body's own events, so always current."""
    body = app.load(GoverningBody, body_id)
    response.headers["ETag"] = etag(body.version)
    return BodyPublic.model_validate(body)


@router.get("", response_model=Page[BodyEntry], responses=READ)
def list_bodies(
    views: Views,
    _: Reader,
    kind: Annotated[BodyKind | None, Query(description="Only those of this kind.")] = None,
    name: NameContains = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[BodyEntry]:
    """Every governing body, in the order they were constituted: how a client finds their ids."""
    return views.bodies(kind, name, limit, cursor)
