"""/fundings: grant, revise the amount, disburse, cancel; the ledger of each line."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.http.command_runner import etag
from api.http.deps import App, Command, Reader, Views
from api.http.routers.paging import DEFAULT_LIMIT, Cursor, Limit
from api.http.routers.responses import COMMAND, READ
from api.http.routers.time_travel import When, tag_current_version
from api.http.schemas.common import CommandAnswer, DecisionOnly
from api.http.schemas.fundings import AmountRevision, DisbursementCreate, FundingCreate
from application.projections.detail_records import FundingLedger
from application.projections.records import Page

router = APIRouter(prefix="/fundings", tags=["fundings"])


@router.post("", status_code=201, response_model=CommandAnswer, responses=COMMAND)
def grant_funding(payload: FundingCreate, app: App, run: Command) -> Response:
    return run.create(
        payload,
        lambda ctx, _: app.grant_funding(
            ctx,
            payload.project_id,
            payload.funder_id,
            payload.kind,
            payload.decision.to_domain(),
            payload.amount,
        ),
        router.prefix,
    )


@router.post("/{funding_id}/amount", response_model=CommandAnswer, responses=COMMAND)
def revise_funding_amount(
    funding_id: UUID, payload: AmountRevision, app: App, run: Command
) -> Response:
    return run.update(
        payload,
        lambda ctx, version: app.revise_funding_amount(
            ctx, funding_id, payload.amount, payload.decision.to_domain(), version
        ),
    )


@router.post("/{funding_id}/disbursements", response_model=CommandAnswer, responses=COMMAND)
def record_disbursement(
    funding_id: UUID, payload: DisbursementCreate, app: App, run: Command
) -> Response:
    return run.update(
        payload,
        lambda ctx, version: app.record_disbursement(
            ctx, funding_id, payload.amount, payload.paid_on, version
        ),
    )


@router.post("/{funding_id}/cancel", response_model=CommandAnswer, responses=COMMAND)
def cancel_funding(funding_id: UUID, payload: DecisionOnly, app: App, run: Command) -> Response:
    return run.update(
        payload,
        lambda ctx, version: app.cancel_funding(
            ctx, funding_id, payload.decision.to_domain(), version
        ),
    )


@router.get("", response_model=Page[FundingLedger], responses=READ)
def list_fundings(
    project_id: Annotated[UUID, Query(description="The project whose funding lines to list.")],
    views: Views,
    _: Reader,
    when: When,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[FundingLedger]:
    return views.fundings(project_id, limit, cursor, when)


@router.get("/{funding_id}", response_model=FundingLedger, responses=READ)
def read_funding(
    funding_id: UUID, views: Views, _: Reader, response: Response, when: When
) -> FundingLedger:
    """Today, or as of a day, or as known at an instant; only today's carries an ETag."""
    funding = views.funding(funding_id, when)
    tag_current_version(response, when, etag(funding.version))
    return funding
