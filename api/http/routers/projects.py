"""/projects: propose, partners, status, milestones; details."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.http.command_routes import creation, update
from api.http.command_runner import etag
from api.http.deps import Reader, Views, When
from api.http.routers.paging import DEFAULT_LIMIT, Cursor, Limit
from api.http.routers.responses import READ
from api.http.routers.time_travel import tag_current_version
from application import project_commands as command
from application.projections.detail_records import ProjectDetails
from application.projections.records import Page

router = APIRouter(prefix="/projects", tags=["projects"])


# Commands: POST path → the command it runs (its body is the command's payload).
creation(router, "", command.ProposeProject)
update(router, "/{project_id}/partners", command.JoinProjectPartner)
update(router, "/{project_id}/status", command.ChangeProjectStatus)
update(router, "/{project_id}/milestones", command.ReachMilestone)


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
