"""/open-data: what a funder publishes of its grants, in the SCDL « Subventions » 2.1.1 format."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.http.deps import App, Reader, Views
from api.http.routers.responses import READ, read_or_csv
from application.reports.subventions import Unpublishable, funder_subventions

router = APIRouter(prefix="/open-data", tags=["open data"])
FunderId = Annotated[UUID, Query(description="The funder (an organisation) whose grants to list.")]


@router.get(
    "/subventions.csv",
    response_class=Response,
    responses=read_or_csv("The 16 columns of SCDL « Subventions » 2.1.1, UTF-8, comma-separated."),
)
def subventions_csv(
    funder_id: FunderId,
    year: Annotated[int, Query(ge=1900, le=9999, description="The agreements signed that year.")],
    app: App,
    views: Views,
    _: Reader,
) -> Response:
    """One row per grant whose agreement the funder signed that year, valid against the schema."""
    found = funder_subventions(app, views, funder_id, year)
    return Response(
        found.csv(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="subventions-{funder_id}-{year}.csv"'
        },
    )


@router.get("/subventions/unpublishable", response_model=list[Unpublishable], responses=READ)
def unpublishable(
    funder_id: FunderId,
    app: App,
    views: Views,
    _: Reader,
    year: Annotated[int | None, Query(ge=1900, le=9999)] = None,
) -> list[Unpublishable]:
    """The funder's lines left out of its file, each with the reasons."""
    return funder_subventions(app, views, funder_id, year).left_out
