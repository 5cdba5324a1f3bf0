"""/calls: launch, candidacies (submit, withdraw, review, decide), close, conclude; details."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.http.command_runner import etag
from api.http.deps import Reader, Run, Views
from api.http.routers.paging import DEFAULT_LIMIT, Cursor, Limit
from api.http.routers.responses import READ, command, creation
from api.http.routers.time_travel import When, tag_current_version
from application.call_commands import (
    CallCreate,
    CandidacyCreate,
    CandidacyDecision,
    CandidacyWithdrawal,
    CloseSubmissions,
    ConcludeCall,
    DecideCandidacy,
    LaunchCall,
    ReviewCandidacy,
    ReviewCreate,
    SubmissionsClosing,
    SubmitCandidacy,
    WithdrawCandidacy,
)
from application.payload import DecisionOnly
from application.projections.detail_records import CallDetails
from application.projections.records import Page

router = APIRouter(prefix="/calls", tags=["calls"])


@creation(router, "")
def launch_call(payload: CallCreate, run: Run) -> Response:
    return run.create(LaunchCall.of(payload), router.prefix)


@creation(router, "/{call_id}/candidacies")
def submit_candidacy(call_id: UUID, payload: CandidacyCreate, run: Run) -> Response:
    """The answer's `candidacy_id` names the candidacy in later commands."""
    return run.create(SubmitCandidacy.of(payload, call_id=call_id), router.prefix)


@command(router, "/{call_id}/candidacies/{candidacy_id}/withdraw")
def withdraw_candidacy(
    call_id: UUID, candidacy_id: UUID, payload: CandidacyWithdrawal, run: Run
) -> Response:
    return run.update(WithdrawCandidacy.of(payload, call_id=call_id, candidacy_id=candidacy_id))


@command(router, "/{call_id}/candidacies/{candidacy_id}/reviews")
def review_candidacy(
    call_id: UUID, candidacy_id: UUID, payload: ReviewCreate, run: Run
) -> Response:
    return run.update(ReviewCandidacy.of(payload, call_id=call_id, candidacy_id=candidacy_id))


@command(router, "/{call_id}/close")
def close_submissions(call_id: UUID, payload: SubmissionsClosing, run: Run) -> Response:
    return run.update(CloseSubmissions.of(payload, call_id=call_id))


@command(router, "/{call_id}/candidacies/{candidacy_id}/decision")
def decide_candidacy(
    call_id: UUID, candidacy_id: UUID, payload: CandidacyDecision, run: Run
) -> Response:
    return run.update(DecideCandidacy.of(payload, call_id=call_id, candidacy_id=candidacy_id))


@command(router, "/{call_id}/conclude")
def conclude_call(call_id: UUID, payload: DecisionOnly, run: Run) -> Response:
    return run.update(ConcludeCall.of(payload, call_id=call_id))


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
