"""/bodies: constitute, seat and unseat members, meetings, conflicts of interest, read one."""

from uuid import UUID

from fastapi import APIRouter, Response

from api.http.command_runner import etag
from api.http.deps import App, Reader, Run
from api.http.routers.responses import READ, command, creation
from api.http.schemas.bodies import BodyPublic, ConflictPublic, MeetingPublic, SeatPublic
from application.body_commands import (
    BodyCreate,
    ConflictCreate,
    ConstituteBody,
    DeclareConflictOfInterest,
    HoldMeeting,
    MeetingCreate,
    SeatCreate,
    SeatMember,
    Unseat,
    UnseatMember,
)
from domain.governing_body import GoverningBody

router = APIRouter(prefix="/bodies", tags=["bodies"])


@creation(router, "")
def constitute_body(payload: BodyCreate, run: Run) -> Response:
    return run.create(ConstituteBody.of(payload), router.prefix)


@command(router, "/{body_id}/members")
def seat_member(body_id: UUID, payload: SeatCreate, run: Run) -> Response:
    return run.update(SeatMember.of(payload, body_id=body_id))


@command(router, "/{body_id}/members/unseat")
def unseat_member(body_id: UUID, payload: Unseat, run: Run) -> Response:
    return run.update(UnseatMember.of(payload, body_id=body_id))


@command(router, "/{body_id}/meetings")
def hold_meeting(body_id: UUID, payload: MeetingCreate, run: Run) -> Response:
    return run.update(HoldMeeting.of(payload, body_id=body_id))


@command(router, "/{body_id}/conflicts-of-interest")
def declare_conflict_of_interest(body_id: UUID, payload: ConflictCreate, run: Run) -> Response:
    return run.update(DeclareConflictOfInterest.of(payload, body_id=body_id))


@router.get("/{body_id}", response_model=BodyPublic, responses=READ)
def read_body(body_id: UUID, app: App, _: Reader, response: Response) -> BodyPublic:
    """Read from the body's own events, so always current."""
    body = app.load(GoverningBody, body_id)
    response.headers["ETag"] = etag(body.version)
    return BodyPublic(
        id=body.id,
        name=body.name,
        kind=body.kind,
        organisation_id=body.organisation_id,
        constituted_on=body.constituted_on,
        seats=[
            SeatPublic(
                person=s.person,
                organisation_id=s.organisation_id,
                role=s.role,
                from_=s.from_date,
                until=s.until,
            )
            for s in body.seats
        ],
        meetings=[
            MeetingPublic(held_on=m.held_on, attendees=list(m.attendees), minutes_ref=m.minutes_ref)
            for m in body.meetings
        ],
        conflicts_of_interest=[
            ConflictPublic(
                person=c.person,
                organisation_id=c.organisation_id,
                declared_on=c.declared_on,
                reason=c.reason,
            )
            for c in body.conflicts
        ],
        version=body.version,
    )
