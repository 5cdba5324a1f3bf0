"""/bodies/{id}/sittings and /interests: a body's sittings with their quorum and délibérations,
and the interests declared or held in its decisions."""

from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from api.http.command_routes import update
from api.http.deps import App, Reader
from api.http.routers.paging import Cursor, Limit
from api.http.routers.responses import READ
from api.http.schemas.bodies import BodyInterests, SittingPage, SittingPublic
from api.http.schemas.common import Day
from application import body_commands as command
from application.filieres_app import FilieresApplication
from application.reports.interests import interests_report
from domain.errors import InvalidValueError
from domain.governing_body import GoverningBody
from domain.organisation import Organisation
from domain.sitting import Deliberation, Sitting

AsOf = Annotated[Day | None, Query(description="Only the sittings held by that day.")]
router = APIRouter(prefix="/bodies", tags=["bodies"])

update(router, "/{body_id}/sittings", command.HoldSitting)


def _public(body: GoverningBody, sitting: Sitting, name_of: Callable[[UUID], str]) -> SittingPublic:
    return SittingPublic.model_validate(
        {
            **dict(sitting),
            "body_id": body.id,
            "present_or_represented": sitting.present_or_represented,
            "quorum_reached": sitting.quorum_reached,
            "attendance": [dict(a) for a in sitting.attendance],
            "deliberations": [
                _deliberation(d, name_of)
                for d in body.deliberations
                if d.sitting_id == sitting.sitting_id
            ],
        }
    )


@router.get("/{body_id}/sittings", response_model=SittingPage, responses=READ)
def list_sittings(
    body_id: UUID,
    app: App,
    _: Reader,
    as_of: AsOf = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> SittingPage:
    """Read from the body's own events, in the order the sittings were held."""
    body = app.load(GoverningBody, body_id)
    sittings = sorted(body.sittings, key=lambda s: s.held_on)
    if as_of is not None:
        sittings = [s for s in sittings if s.held_on <= as_of]
    start = _offset(cursor)
    page = sittings[start : start + limit]
    more = start + limit < len(sittings)
    return SittingPage(
        items=[_public(body, s, _names(app)) for s in page],
        next_cursor=str(start + limit) if more else None,
    )


@router.get("/{body_id}/sittings/{sitting_id}", response_model=SittingPublic, responses=READ)
def read_sitting(body_id: UUID, sitting_id: UUID, app: App, _: Reader) -> SittingPublic:
    body = app.load(GoverningBody, body_id)
    return _public(body, body.sitting(sitting_id), _names(app))


def _offset(cursor: str | None) -> int:
    if cursor is None:
        return 0
    if not cursor.isdigit() or len(cursor) > 9:
        raise InvalidValueError("cursor: not a cursor this list gave")
    return int(cursor)


@router.get("/{body_id}/interests", response_model=BodyInterests, responses=READ)
def read_interests(body_id: UUID, app: App, _: Reader) -> BodyInterests:
    """The declarations of interest, then each délibération with the interests it recused."""
    (report,) = interests_report(app, body_id)
    return BodyInterests.model_validate(report.model_dump())


def _deliberation(deliberation: Deliberation, name_of: Callable[[UUID], str]) -> dict[str, Any]:
    return {
        **dict(deliberation),
        "interests": [
            {**dict(i), "organisation_name": name_of(i.organisation_id)}
            for i in deliberation.interests
        ],
    }


def _names(app: FilieresApplication) -> Callable[[UUID], str]:
    """An organisation's name by id, each loaded once per request."""
    names: dict[UUID, str] = {}

    def name_of(organisation_id: UUID) -> str:
        if organisation_id not in names:
            names[organisation_id] = app.load(Organisation, organisation_id).name
        return names[organisation_id]

    return name_of
