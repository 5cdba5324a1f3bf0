"""/bodies: constitute, seat and unseat members, meetings, conflicts of interest, read one."""

from fastapi import APIRouter

from api.http.command_routes import commands
from api.http.read_routes import aggregate_read, directory_listing
from api.http.schemas.bodies import BodyPublic
from application import body_commands as command
from application.projections.read_models import ReadModels
from domain.governing_body import BodyKind, GoverningBody

router = APIRouter(prefix="/bodies", tags=["bodies"])


# Commands: POST path → the command it runs (its body is the command's payload).
commands(
    router,
    command.ConstituteBody,
    {
        "/{body_id}/members": command.SeatMember,
        "/{body_id}/members/unseat": command.UnseatMember,
        "/{body_id}/meetings": command.HoldMeeting,
        "/{body_id}/conflicts-of-interest": command.DeclareConflictOfInterest,
    },
)


# Reads: one from its own events, and the directory's page of them (api/http/read_routes.py).
aggregate_read(router, GoverningBody, BodyPublic, "body")
directory_listing(
    router,
    BodyKind,
    ReadModels.bodies,
    "Every governing body, in the order they were constituted: how a client finds their ids.",
)
