"""/projects: propose, partners, status, milestones; details."""

from fastapi import APIRouter

from api.http.command_routes import commands
from api.http.read_routes import detail, listing
from application import project_commands as command
from application.projections.detail_kinds import PROJECT
from application.projections.read_models import ReadModels

router = APIRouter(prefix="/projects", tags=["projects"])


# Commands: POST path → the command it runs (its body is the command's payload).
commands(
    router,
    command.ProposeProject,
    {
        "/{project_id}/partners": command.JoinProjectPartner,
        "/{project_id}/status": command.ChangeProjectStatus,
        "/{project_id}/milestones": command.ReachMilestone,
    },
)

# Reads: a page of those one parent holds, and one by its id (see api/http/read_routes.py).
listing(router, PROJECT, ReadModels.projects_of_filiere, "The filière whose projects to list.")
detail(router, PROJECT, ReadModels.project)
