"""/fundings: grant, revise the amount, disburse, cancel; the ledger of each line."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.http.command_routes import creation, update
from api.http.command_runner import etag
from api.http.deps import Reader, Views, When
from api.http.routers.paging import DEFAULT_LIMIT, Cursor, Limit
from api.http.routers.responses import READ
from api.http.routers.time_travel import tag_current_version
from application import funding_commands as command
from application.projections.detail_records import FundingLedger
from application.projections.records import Page

router = APIRouter(prefix="/fundings", tags=["fundings"])


# Commands: POST path → the command it runs (its body is the command's payload).
creation(router, "", command.GrantFunding)
update(router, "/{funding_id}/amount", command.ReviseFundingAmount)
update(router, "/{funding_id}/disbursements", command.RecordDisbursement)
update(router, "/{funding_id}/cancel", command.CancelFunding)
update(router, "/{funding_id}/agreement", command.SignFundingAgreement)
update(router, "/{funding_id}/recoveries", command.RecordRecovery)


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
