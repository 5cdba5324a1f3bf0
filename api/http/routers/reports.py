"""/reports: governance reports that no single view answers, computed from the aggregates."""

from collections.abc import Iterable, Iterator
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, Query, Response

from api.http.deps import App, Reader
from api.http.routers.decision_csv import csv_line
from api.http.routers.responses import CSV, read_or_csv
from api.http.schemas.common import Day
from api.http.schemas.reports import BodySeatsPublic
from application.reports.seats import BodySeats, seats_report

router = APIRouter(prefix="/reports", tags=["reports"])
SEAT_COLUMNS = (
    "body_id",
    "body_name",
    "body_kind",
    "person",
    "organisation_id",
    "organisation_name",
    "role",
    "voting",
    "from",
    "until",
)


@router.get(
    "/seats",
    response_model=list[BodySeatsPublic],
    responses=read_or_csv("Each body with its seats, or with `Accept: text/csv` one row per seat."),
)
def seats(
    app: App,
    _: Reader,
    body_id: Annotated[UUID | None, Query(description="Only this body (404 if unknown).")] = None,
    on: Annotated[Day | None, Query(description="Only the seats held on this day.")] = None,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response | list[BodySeatsPublic]:
    """Who sat where, from when to when; read from the bodies' own events, so always current."""
    report = seats_report(app, body_id, on)
    if accept and CSV in accept:
        return Response(
            "".join(seat_csv_rows(report)),
            media_type=f"{CSV}; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="seats.csv"'},
        )
    return [BodySeatsPublic.of(body) for body in report]


def seat_csv_rows(report: Iterable[BodySeats]) -> Iterator[str]:
    """Header, then one row per seat; cells neutralised as in the decisions' CSV."""
    yield csv_line(SEAT_COLUMNS)
    for body in report:
        for s in body.seats:
            yield csv_line(
                (
                    body.body_id,
                    body.name,
                    body.kind.value,
                    s.person,
                    s.organisation_id,
                    s.organisation_name,
                    s.role.value,
                    "yes" if s.voting else "no",
                    s.from_date,
                    s.until,
                )
            )
