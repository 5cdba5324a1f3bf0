"""/bodies: constitute, seat and unseat members, meetings, conflicts of interest, read one."""

from datetime import UTC, datetime
from uuid import UUID

from fastapi import APIRouter, Response

from api.http.command_runner import etag
from api.http.deps import App, Command, Reader
from api.http.routers.responses import COMMAND, READ
from api.http.schemas.bodies import (
    BodyCreate,
    BodyPublic,
    ConflictCreate,
    ConflictPublic,
    MeetingCreate,
    MeetingPublic,
    SeatCreate,
    SeatPublic,
    Unseat,
)
from api.http.schemas.common import CommandAnswer
from domain.governing_body import GoverningBody

router = APIRouter(prefix="/bodies", tags=["bodies"])


@router.post("", status_code=201, response_model=CommandAnswer, responses=COMMAND)
def constitute_body(payload: BodyCreate, app: App, run: Command) -> Response:
    return run.create(
        payload,
        lambda ctx, _: app.constitute_body(
            ctx,
            payload.name,
            payload.kind,
            payload.constituted_on,
            payload.organisation_id,
            recorded_on=datetime.now(UTC).date(),
        ),
        router.prefix,
    )


@router.post("/{body_id}/members", response_model=CommandAnswer, responses=COMMAND)
def seat_member(body_id: UUID, payload: SeatCreate, app: App, run: Command) -> Response:
    return run.update(
        payload,
        lambda ctx, version: app.seat_member(
            ctx,
            body_id,
            payload.person,
            payload.organisation_id,
            payload.role,
            payload.from_,
            version,
        ),
    )


@router.post("/{body_id}/members/unseat", response_model=CommandAnswer, responses=COMMAND)
def unseat_member(body_id: UUID, payload: Unseat, app: App, run: Command) -> Response:
    return run.update(
        payload,
        lambda ctx, version: app.unseat_member(
            ctx, body_id, payload.person, payload.until, version
        ),
    )


@router.post("/{body_id}/meetings", response_model=CommandAnswer, responses=COMMAND)
def hold_meeting(body_id: UUID, payload: MeetingCreate, app: App, run: Command) -> Response:
    return run.update(
        payload,
        lambda ctx, version: app.hold_meeting(
            ctx, body_id, payload.held_on, tuple(payload.attendees), payload.minutes_ref, version
        ),
    )


@router.post("/{body_id}/conflicts-of-interest", response_model=CommandAnswer, responses=COMMAND)
def declare_conflict_of_interest(
    body_id: UUID, payload: ConflictCreate, app: App, run: Command
) -> Response:
    return run.update(
        payload,
        lambda ctx, version: app.declare_conflict_of_interest(
            ctx,
            body_id,
            payload.person,
            payload.organisation_id,
            payload.declared_on,
            payload.reason,
            version,
        ),
    )


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
