"""/calls: launch, candidacies (submit, withdraw, review, decide), close, conclude; details."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.http.command_runner import etag
from api.http.deps import App, Command, Reader, Views
from api.http.routers.paging import DEFAULT_LIMIT, Cursor, Limit
from api.http.routers.responses import COMMAND, READ
from api.http.routers.time_travel import When, tag_current_version
from api.http.schemas.calls import (
    CallCreate,
    CandidacyCreate,
    CandidacyDecision,
    CandidacyWithdrawal,
    ReviewCreate,
    SubmissionsClosing,
)
from api.http.schemas.common import CommandAnswer, DecisionOnly
from application.projections.detail_records import CallDetails
from application.projections.records import Page

router = APIRouter(prefix="/calls", tags=["calls"])


@router.post("", status_code=201, response_model=CommandAnswer, responses=COMMAND)
def launch_call(payload: CallCreate, app: App, run: Command) -> Response:
    return run.create(
        payload,
        lambda ctx, _: app.launch_call(
            ctx,
            payload.filiere_id,
            payload.title,
            payload.kind,
            payload.issuer_id,
            payload.opens_on,
            payload.closes_on,
            payload.decision.to_domain(),
            budget_envelope=payload.budget_envelope,
            max_selected=payload.max_selected,
        ),
        router.prefix,
    )


@router.post(
    "/{call_id}/candidacies", status_code=201, response_model=CommandAnswer, responses=COMMAND
)
def submit_candidacy(call_id: UUID, payload: CandidacyCreate, app: App, run: Command) -> Response:
    """The answer's `candidacy_id` names the candidacy in later commands."""
    return run.create(
        payload,
        lambda ctx, version: app.submit_candidacy(
            ctx,
            call_id,
            payload.candidate_id,
            payload.project_title,
            payload.submitted_on,
            payload.requested_amount,
            payload.candidacy_id,
            version,
        ),
        router.prefix,
    )


@router.post(
    "/{call_id}/candidacies/{candidacy_id}/withdraw",
    response_model=CommandAnswer,
    responses=COMMAND,
)
def withdraw_candidacy(
    call_id: UUID, candidacy_id: UUID, payload: CandidacyWithdrawal, app: App, run: Command
) -> Response:
    return run.update(
        payload,
        lambda ctx, version: app.withdraw_candidacy(
            ctx, call_id, candidacy_id, payload.withdrawn_on, version
        ),
    )


@router.post(
    "/{call_id}/candidacies/{candidacy_id}/reviews",
    response_model=CommandAnswer,
    responses=COMMAND,
)
def review_candidacy(
    call_id: UUID, candidacy_id: UUID, payload: ReviewCreate, app: App, run: Command
) -> Response:
    return run.update(
        payload,
        lambda ctx, version: app.review_candidacy(
            ctx,
            call_id,
            candidacy_id,
            payload.reviewer,
            payload.opinion,
            payload.reviewed_on,
            payload.score,
            version,
        ),
    )


@router.post("/{call_id}/close", response_model=CommandAnswer, responses=COMMAND)
def close_submissions(
    call_id: UUID, payload: SubmissionsClosing, app: App, run: Command
) -> Response:
    return run.update(
        payload,
        lambda ctx, version: app.close_submissions(ctx, call_id, payload.closed_on, version),
    )


@router.post(
    "/{call_id}/candidacies/{candidacy_id}/decision",
    response_model=CommandAnswer,
    responses=COMMAND,
)
def decide_candidacy(
    call_id: UUID, candidacy_id: UUID, payload: CandidacyDecision, app: App, run: Command
) -> Response:
    return run.update(
        payload,
        lambda ctx, version: app.decide_candidacy(
            ctx, call_id, candidacy_id, payload.outcome, payload.decision.to_domain(), version
        ),
    )


@router.post("/{call_id}/conclude", response_model=CommandAnswer, responses=COMMAND)
def conclude_call(call_id: UUID, payload: DecisionOnly, app: App, run: Command) -> Response:
    return run.update(
        payload,
        lambda ctx, version: app.conclude_call(ctx, call_id, payload.decision.to_domain(), version),
    )


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
