"""/calls: launch, candidacies (submit, withdraw, review, decide, withdraw a selection), close,
conclude; details."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.http.command_routes import creation, update
from api.http.command_runner import etag
from api.http.deps import Reader, Views, When
from api.http.routers.paging import DEFAULT_LIMIT, Cursor, Limit
from api.http.routers.responses import READ
from api.http.routers.time_travel import tag_current_version
from application import call_commands as command
from application.projections.detail_records import CallDetails, CandidacyDetails
from application.projections.records import Page
from domain.errors import NotFoundError

router = APIRouter(prefix="/calls", tags=["calls"])


# Commands: POST path → the command it runs (its body is the command's payload).
creation(router, "", command.LaunchCall)
creation(
    router,
    "/{call_id}/candidacies",
    command.SubmitCandidacy,
    "The answer's `candidacy_id` names the candidacy in later commands.",
)
update(router, "/{call_id}/candidacies/{candidacy_id}/withdraw", command.WithdrawCandidacy)
update(router, "/{call_id}/candidacies/{candidacy_id}/reviews", command.ReviewCandidacy)
update(router, "/{call_id}/close", command.CloseSubmissions)
update(router, "/{call_id}/candidacies/{candidacy_id}/decision", command.DecideCandidacy)
update(
    router,
    "/{call_id}/candidacies/{candidacy_id}/selection-withdrawal",
    command.WithdrawSelection,
    "The deciding body withdraws its selection: the candidacy becomes `withdrawn`.",
)
update(router, "/{call_id}/conclude", command.ConcludeCall)


@router.get("", response_model=Page[CallDetails], responses=READ)
def list_calls(
    filiere_id: Annotated[UUID, Query(description="The filière whose calls to list.")],
    views: Views,
    _: Reader,
    when: When,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[CallDetails]:
    return views.calls(filiere_id, limit, cursor, when)


@router.get("/{call_id}", response_model=CallDetails, responses=READ)
def read_call(
    call_id: UUID, views: Views, _: Reader, response: Response, when: When
) -> CallDetails:
    """Today, or as of a day, or as known at an instant; only today's carries an ETag."""
    call = views.call(call_id, when)
    tag_current_version(response, when, etag(call.version))
    return call


@router.get(
    "/{call_id}/candidacies/{candidacy_id}", response_model=CandidacyDetails, responses=READ
)
def read_candidacy(
    call_id: UUID, candidacy_id: UUID, views: Views, _: Reader, response: Response, when: When
) -> CandidacyDetails:
    """One candidacy of the call, where its submission's `Location` points; the ETag is the
    call's version (a candidacy lives in its call), today only."""
    call = views.call(call_id, when)
    found = next((c for c in call.candidacies if c.id == candidacy_id), None)
    if found is None:
        raise NotFoundError(f"call {call.title!r} ({call.id}) has no candidacy {candidacy_id}")
    tag_current_version(response, when, etag(call.version))
    return found
