"""/filieres: launch, chef de file, project group, objectives, closing; the overviews."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.http.command_routes import commands
from api.http.command_runner import etag
from api.http.deps import Reader, Views, When
from api.http.routers.paging import DEFAULT_LIMIT, Cursor, Limit
from api.http.routers.responses import READ
from api.http.schemas.common import Day
from application import filiere_commands as command
from application.projections.records import FiliereOverview, Page
from application.reports.filiere_changes import FiliereChanges, filiere_changes

router = APIRouter(prefix="/filieres", tags=["filieres"])


# Commands: POST path → the command it runs (its body is the command's payload).
commands(
    router,
    command.LaunchFiliere,
    {
        "/{filiere_id}/lead-partner": command.ChangeLeadPartner,
        "/{filiere_id}/project-group": command.JoinProjectGroup,
        "/{filiere_id}/project-group/leave": command.LeaveProjectGroup,
        "/{filiere_id}/objectives": command.SetObjective,
        "/{filiere_id}/close": command.CloseFiliere,
    },
)


@router.get("", response_model=Page[FiliereOverview], responses=READ)
def list_filieres(
    views: Views, _: Reader, when: When, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> Page[FiliereOverview]:
    """Every filière's overview, in launch order."""
    return views.filieres(limit, cursor, when)


@router.get("/{filiere_id}", response_model=FiliereOverview, responses=READ)
def read_filiere(filiere_id: UUID, views: Views, _: Reader, when: When) -> Response:
    """The overview, today or in the past; today's ETag is the filière's version (for a
    command's If-Match) qualified by a hash of the overview, which moves without it."""
    # Serialised straight from the read model, which FastAPI would first validate again
    # against the same model: for a filière with hundreds of calls, most of a cached GET.
    if not when.is_now:
        past = views.filiere_overview(filiere_id, when)
        return Response(past.model_dump_json(), media_type="application/json")
    overview, version = views.current_filiere(filiere_id)
    body = overview.model_dump_json().encode()
    headers = {} if version is None else {"ETag": etag(version, body)}
    return Response(body, media_type="application/json", headers=headers)


@router.get("/{filiere_id}/changes", response_model=FiliereChanges, responses=READ)
def read_changes(
    filiere_id: UUID,
    views: Views,
    _: Reader,
    from_: Annotated[Day, Query(alias="from", description="The first day, at its end.")],
    to: Annotated[Day, Query(description="The second day, at its end (from ≤ to).")],
) -> FiliereChanges:
    """What changed in the filière after the end of `from` and by the end of `to`.

    `added`: calls, candidacies, projects and funding lines that exist as of `to` and
    not as of `from`; `decided`: the register's decisions dated in between; `changed`:
    project statuses, call closings, withdrawals, revisions, cancellations and signed
    agreements; `paid`: disbursements. Each item gives its day, its subject and `events`,
    the log positions of its events (empty where the views keep none). 404 for a filière
    unknown as of `to`; 422 when `from` comes after `to`.
    """
    return filiere_changes(views, filiere_id, from_, to)
