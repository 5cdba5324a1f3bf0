"""/bodies/{id}/sittings and /interests: a body's sittings with their quorum and délibérations,
and the interests declared or held in its decisions."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi import APIRouter

from api.http.command_routes import update
from api.http.deps import App, Reader, When
from api.http.routers.paging import Cursor, Limit
from api.http.routers.responses import READ
from api.http.schemas.bodies import BodyInterests, SittingPage, SittingPublic
from application import body_commands as command
from application.filieres_app import FilieresApplication
from application.projections.time_travel import Cutoff
from application.reports.interests import interests_report
from domain.errors import InvalidValueError, NotFoundError
from domain.governing_body import GoverningBody
from domain.organisation import Organisation
from domain.sitting import Deliberation, Sitting

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


def _body_then(app: FilieresApplication, body_id: UUID, when: Cutoff) -> GoverningBody:
    """The body as recorded by `known_at` (404 if it was not yet), else as it is now."""
    if when.known_at is None:
        return app.load(GoverningBody, body_id)
    return app.load_known_at(GoverningBody, body_id, when.known_at)


def _sittings_then(body: GoverningBody, when: Cutoff) -> list[Sitting]:
    """The body's sittings held by the end of `as_of`, in the order they were held."""
    sittings = sorted(body.sittings, key=lambda s: s.held_on)
    if when.as_of is None:
        return sittings
    return [s for s in sittings if s.held_on <= when.as_of]


@router.get("/{body_id}/sittings", response_model=SittingPage, responses=READ)
def list_sittings(
    body_id: UUID,
    app: App,
    _: Reader,
    when: When,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> SittingPage:
    """Read from the body's own events, in the order the sittings were held.

    With `as_of`, only the sittings held by the end of that day; with `known_at`, only those
    recorded by that instant, each with the délibérations recorded by then (404 when the
    body itself was not recorded yet).
    """
    body = _body_then(app, body_id, when)
    sittings = _sittings_then(body, when)
    start = _offset(cursor)
    page = sittings[start : start + limit]
    more = start + limit < len(sittings)
    return SittingPage(
        items=[_public(body, s, _names(app)) for s in page],
        next_cursor=str(start + limit) if more else None,
    )


@router.get("/{body_id}/sittings/{sitting_id}", response_model=SittingPublic, responses=READ)
def read_sitting(body_id: UUID, sitting_id: UUID, app: App, _: Reader, when: When) -> SittingPublic:
    """One sitting; 404 when it was held after `as_of` or recorded after `known_at`."""
    body = _body_then(app, body_id, when)
    sitting = body.sitting(sitting_id)
    if when.as_of is not None and sitting.held_on > when.as_of:
        raise NotFoundError(
            f"{body.name} ({body.id}) held sitting {sitting_id} on {sitting.held_on},"
            f" after {when.as_of}"
        )
    return _public(body, sitting, _names(app))


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
