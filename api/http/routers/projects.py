"""/projects: propose, partners, status, milestones; details."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.http.command_runner import etag
from api.http.deps import Reader, Run, Views
from api.http.routers.paging import DEFAULT_LIMIT, Cursor, Limit
from api.http.routers.responses import READ, command, creation
from api.http.routers.time_travel import When, tag_current_version
from application.project_commands import (
    ChangeProjectStatus,
    JoinProjectPartner,
    MilestoneCreate,
    ProjectCreate,
    ProjectPartnerJoin,
    ProposeProject,
    ReachMilestone,
    StatusChange,
)
from application.projections.detail_records import ProjectDetails
from application.projections.records import Page

router = APIRouter(prefix="/projects", tags=["projects"])


@creation(router, "")
def propose_project(payload: ProjectCreate, run: Run) -> Response:
    return run.create(ProposeProject.of(payload), router.prefix)


@command(router, "/{project_id}/partners")
def join_project_partner(project_id: UUID, payload: ProjectPartnerJoin, run: Run) -> Response:
    return run.update(JoinProjectPartner.of(payload, project_id=project_id))


@command(router, "/{project_id}/status")
def change_project_status(project_id: UUID, payload: StatusChange, run: Run) -> Response:
    return run.update(ChangeProjectStatus.of(payload, project_id=project_id))


@command(router, "/{project_id}/milestones")
def reach_milestone(project_id: UUID, payload: MilestoneCreate, run: Run) -> Response:
    return run.update(ReachMilestone.of(payload, project_id=project_id))


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
