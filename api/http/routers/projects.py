"""/projects: propose, partners, status, milestones; details."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.http.command_runner import etag
from api.http.deps import App, Command, Reader, Views
from api.http.routers.paging import DEFAULT_LIMIT, Cursor, Limit
from api.http.routers.responses import COMMAND, READ
from api.http.routers.time_travel import When, tag_current_version
from api.http.schemas.common import CommandAnswer
from api.http.schemas.projects import (
    MilestoneCreate,
    ProjectCreate,
    ProjectPartnerJoin,
    StatusChange,
)
from application.projections.detail_records import ProjectDetails
from application.projections.records import Page
from domain.project import ProjectPartner, ProjectStatus

router = APIRouter(prefix="/projects", tags=["projects"])


@router.post("", status_code=201, response_model=CommandAnswer, responses=COMMAND)
def propose_project(payload: ProjectCreate, app: App, run: Command) -> Response:
    partners = tuple(
        ProjectPartner(organisation_id=p.organisation_id, role=p.role) for p in payload.partners
    )
    return run.create(
        payload,
        lambda ctx, _: app.propose_project(
            ctx,
            payload.filiere_id,
            payload.title,
            payload.proposed_on,
            partners,
            payload.estimated_budget,
            payload.origin_call_id,
            payload.origin_candidacy_id,
        ),
        router.prefix,
    )


@router.post("/{project_id}/partners", response_model=CommandAnswer, responses=COMMAND)
def join_project_partner(
    project_id: UUID, payload: ProjectPartnerJoin, app: App, run: Command
) -> Response:
    return run.update(
        payload,
        lambda ctx, version: app.join_project_partner(
            ctx, project_id, payload.organisation_id, payload.role, payload.joined_on, version
        ),
    )


@router.post("/{project_id}/status", response_model=CommandAnswer, responses=COMMAND)
def change_project_status(
    project_id: UUID, payload: StatusChange, app: App, run: Command
) -> Response:
    decision = payload.decision.to_domain() if payload.decision else None
    return run.update(
        payload,
        lambda ctx, version: app.change_project_status(
            ctx,
            project_id,
            ProjectStatus(payload.status),
            payload.effective_on,
            decision,
            version,
        ),
    )


@router.post("/{project_id}/milestones", response_model=CommandAnswer, responses=COMMAND)
def reach_milestone(project_id: UUID, payload: MilestoneCreate, app: App, run: Command) -> Response:
    return run.update(
        payload,
        lambda ctx, version: app.reach_milestone(
            ctx, project_id, payload.label, payload.reached_on, version
        ),
    )


@router.get("", response_model=Page[ProjectDetails], responses=READ)
def list_projects(
    filiere_id: Annotated[UUID, Query(description="The filière whose projects to list.")],
    views: Views,
    _: Reader,
    when: When,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[ProjectDetails]:
    return views.projects(filiere_id, limit, cursor, when)


@router.get("/{project_id}", response_model=ProjectDetails, responses=READ)
def read_project(
    project_id: UUID, views: Views, _: Reader, response: Response, when: When
) -> ProjectDetails:
    """Today, or as of a day, or as known at an instant; only today's carries an ETag."""
    project = views.project(project_id, when)
    tag_current_version(response, when, etag(project.version))
    return project
