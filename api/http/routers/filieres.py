"""/filieres: launch, chef de file, project group, objectives, closing; the overviews."""

from uuid import UUID

from fastapi import APIRouter, Response

from api.http.command_runner import etag
from api.http.deps import App, Command, Reader, Views
from api.http.routers.paging import DEFAULT_LIMIT, Cursor, Limit
from api.http.routers.responses import COMMAND, READ
from api.http.routers.time_travel import When
from api.http.schemas.common import CommandAnswer, DecisionOnly
from api.http.schemas.filieres import (
    FiliereCreate,
    LeadPartnerChange,
    ObjectiveSet,
    ProjectGroupJoin,
    ProjectGroupLeave,
)
from application.projections.records import FiliereOverview, Page

router = APIRouter(prefix="/filieres", tags=["filieres"])


@router.post("", status_code=201, response_model=CommandAnswer, responses=COMMAND)
def launch_filiere(payload: FiliereCreate, app: App, run: Command) -> Response:
    return run.create(
        payload,
        lambda ctx, _: app.launch_filiere(
            ctx,
            payload.name,
            payload.kind,
            payload.lead_partner_id,
            payload.decision.to_domain(),
            tuple(payload.objectives),
            launched_on=payload.launched_on,
        ),
        router.prefix,
    )


@router.post("/{filiere_id}/lead-partner", response_model=CommandAnswer, responses=COMMAND)
def change_lead_partner(
    filiere_id: UUID, payload: LeadPartnerChange, app: App, run: Command
) -> Response:
    return run.update(
        payload,
        lambda ctx, version: app.change_lead_partner(
            ctx, filiere_id, payload.lead_partner_id, payload.decision.to_domain(), version
        ),
    )


@router.post("/{filiere_id}/project-group", response_model=CommandAnswer, responses=COMMAND)
def join_project_group(
    filiere_id: UUID, payload: ProjectGroupJoin, app: App, run: Command
) -> Response:
    return run.update(
        payload,
        lambda ctx, version: app.join_project_group(
            ctx, filiere_id, payload.organisation_id, payload.joined_on, version
        ),
    )


@router.post("/{filiere_id}/project-group/leave", response_model=CommandAnswer, responses=COMMAND)
def leave_project_group(
    filiere_id: UUID, payload: ProjectGroupLeave, app: App, run: Command
) -> Response:
    return run.update(
        payload,
        lambda ctx, version: app.leave_project_group(
            ctx, filiere_id, payload.organisation_id, payload.left_on, version
        ),
    )


@router.post("/{filiere_id}/objectives", response_model=CommandAnswer, responses=COMMAND)
def set_objective(filiere_id: UUID, payload: ObjectiveSet, app: App, run: Command) -> Response:
    return run.update(
        payload,
        lambda ctx, version: app.set_objective(
            ctx, filiere_id, payload.objective, payload.effective_on, version
        ),
    )


@router.post("/{filiere_id}/close", response_model=CommandAnswer, responses=COMMAND)
def close_filiere(filiere_id: UUID, payload: DecisionOnly, app: App, run: Command) -> Response:
    return run.update(
        payload,
        lambda ctx, version: app.close_filiere(
            ctx, filiere_id, payload.decision.to_domain(), version
        ),
    )


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
