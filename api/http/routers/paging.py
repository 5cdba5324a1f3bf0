"""The `limit` and `cursor` query parameters every list takes, and the filters lists share."""

from typing import Annotated

from fastapi import Query

from application.payload import NO_CONTROL_PATTERN
from application.projections.paging import DEFAULT_PAGE, MAX_PAGE

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Items per page.")]
Cursor = Annotated[
    str | None,
    Query(max_length=500, description="The `next_cursor` of the previous page."),
]
DEFAULT_LIMIT = DEFAULT_PAGE
NameContains = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=200,
        pattern=NO_CONTROL_PATTERN,
        description="Only those whose name contains this, in any case.",
    ),
]
