"""/filieres: launch, chef de file, project group, objectives, closing; the overviews."""

from uuid import UUID

from fastapi import APIRouter, Response

from api.http.command_runner import etag
from api.http.deps import Reader, Run, Views
from api.http.routers.paging import DEFAULT_LIMIT, Cursor, Limit
from api.http.routers.responses import READ, command, creation
from api.http.routers.time_travel import When
from application.filiere_commands import (
    ChangeLeadPartner,
    CloseFiliere,
    FiliereCreate,
    JoinProjectGroup,
    LaunchFiliere,
    LeadPartnerChange,
    LeaveProjectGroup,
    ObjectiveSet,
    ProjectGroupJoin,
    ProjectGroupLeave,
    SetObjective,
)
from application.payload import DecisionOnly
from application.projections.records import FiliereOverview, Page

router = APIRouter(prefix="/filieres", tags=["filieres"])


@creation(router, "")
def launch_filiere(payload: FiliereCreate, run: Run) -> Response:
    return run.create(LaunchFiliere.of(payload), router.prefix)


@command(router, "/{filiere_id}/lead-partner")
def change_lead_partner(filiere_id: UUID, payload: LeadPartnerChange, run: Run) -> Response:
    return run.update(ChangeLeadPartner.of(payload, filiere_id=filiere_id))


@command(router, "/{filiere_id}/project-group")
def join_project_group(filiere_id: UUID, payload: ProjectGroupJoin, run: Run) -> Response:
    return run.update(JoinProjectGroup.of(payload, filiere_id=filiere_id))


@command(router, "/{filiere_id}/project-group/leave")
def leave_project_group(filiere_id: UUID, payload: ProjectGroupLeave, run: Run) -> Response:
    return run.update(LeaveProjectGroup.of(payload, filiere_id=filiere_id))


@command(router, "/{filiere_id}/objectives")
def set_objective(filiere_id: UUID, payload: ObjectiveSet, run: Run) -> Response:
    return run.update(SetObjective.of(payload, filiere_id=filiere_id))


@command(router, "/{filiere_id}/close")
def close_filiere(filiere_id: UUID, payload: DecisionOnly, run: Run) -> Response:
    return run.update(CloseFiliere.of(payload, filiere_id=filiere_id))


@router.get("", response_model=Page[FiliereOverview], responses=READ)
def list_filieres(
    views: Views, _: Reader, when: When, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> Page[FiliereOverview]:
    """Every filière's overview, in launch order."""
    return views.filieres(limit, cursor, when)


@router.get("/{filiere_id}", response_model=FiliereOverview, responses=READ)
def read_filiere(filiere_id: UUID, views: Views, _: Reader, when: When) -> Response:
    """The overview, today or in the past; today's carries the filière's version as ETag."""
    # Serialised straight from the read model, which FastAPI would first validate again
    # against the same model: for a filière with hundreds of calls, most of a cached GET.
    if not when.is_now:
        past = views.filiere_overview(filiere_id, when)
        return Response(past.model_dump_json(), media_type="application/json")
    overview, version = views.current_filiere(filiere_id)
    headers = {} if version is None else {"ETag": etag(version)}
    return Response(overview.model_dump_json(), media_type="application/json", headers=headers)
