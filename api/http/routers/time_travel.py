"""The `as_of` and `known_at` query parameters every view takes."""

from typing import Annotated

from fastapi import Depends, Query, Response

from api.http.schemas.common import Day, Moment
from application.projections.time_travel import Cutoff


def cutoff(
    as_of: Annotated[
        Day | None,
        Query(description="As it stood at the end of this day (effective time)."),
    ] = None,
    known_at: Annotated[
        Moment | None,
        Query(
            description="As the system knew it at this instant (recorded time, with its "
            "offset). 404 for what it did not know yet."
        ),
    ] = None,
) -> Cutoff:
    return Cutoff(as_of=as_of, known_at=known_at)


When = Annotated[Cutoff, Depends(cutoff)]


def tag_current_version(response: Response, when: Cutoff, tag: str) -> None:
    """An ETag only on today's state: a past version must not serve as If-Match."""
    if when.is_now:
        response.headers["ETag"] = tag
