"""/decisions: the register of who decided what, as JSON pages or CSV."""

from functools import partial
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, Query, Response
from fastapi.responses import StreamingResponse

from api.http.deps import Reader, Views, When
from api.http.routers.decision_csv import csv_rows
from api.http.routers.filters import assumed_filter
from api.http.routers.paging import DEFAULT_LIMIT, Cursor, Limit
from api.http.routers.responses import CSV, read_or_csv
from api.http.schemas.common import Day
from application.payload import NO_CONTROL_PATTERN
from application.projections.paging import MAX_PAGE
from application.projections.records import DecisionEntry, Page, RegisterFilter

router = APIRouter(prefix="/decisions", tags=["decisions"])


@router.get(
    "",
    response_model=Page[DecisionEntry],
    responses=read_or_csv("A page of the register, or with `Accept: text/csv` all of it as CSV."),
)
def list_decisions(
    views: Views,
    _: Reader,
    when: When,
    filiere_id: UUID | None = None,
    body_id: UUID | None = None,
    person: Annotated[
        str | None,
        Query(max_length=200, pattern=NO_CONTROL_PATTERN, description="A name among decided_by."),
    ] = None,
    from_: Annotated[Day | None, Query(alias="from", description="decided_on ≥ from")] = None,
    to: Annotated[Day | None, Query(description="decided_on ≤ to")] = None,
    assumed: Annotated[bool | None, assumed_filter("decisions")] = None,
    verified: Annotated[
        bool | None,
        Query(
            description="true: only the decisions checked against their sitting (`verified`"
            " true); false: only those whose sitting was never published (`verified` false)."
            " Either leaves out the decisions of external bodies, which sit in no sitting"
            " (`verified` null)."
        ),
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response | Page[DecisionEntry]:
    """Ordered by decided_on, then log position; filters combine.

    With `as_of` or `known_at`, the register as it stood then: later decisions
    and later reversals do not show.
    """
    where = RegisterFilter(
        filiere_id=filiere_id,
        body_id=body_id,
        person=person,
        date_from=from_,
        date_to=to,
        as_of=when.as_of,
        known_at=when.known_at,
        assumed=assumed,
        verified=verified,
    )
    if accept and CSV in accept:
        # Every matching row, a page of the maximum size at a time.
        page_after = partial(views.decisions, where, MAX_PAGE)
        return StreamingResponse(
            csv_rows(page_after(cursor), page_after),
            media_type=f"{CSV}; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="decisions.csv"'},
        )
    return views.decisions(where, limit, cursor)
