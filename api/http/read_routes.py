"""Detail reads as data: a call, a project or a funding line, one at a time or a page of them.

As `command_routes` makes a POST from a path and a command, these make the two GETs
each detail view serves from the view's reads: `GET ""`, a page of the details one
parent holds (named by a query parameter), and `GET /{id}`, one detail, whose ETag
is its version. Both answer today, or as of a day, or as known at an instant.
"""

import inspect
from collections.abc import Callable
from typing import Annotated, Any, get_args, get_type_hints
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.http.command_runner import etag
from api.http.deps import Reader, Views, When
from api.http.routers.paging import DEFAULT_LIMIT, Cursor, Limit
from api.http.routers.responses import READ
from api.http.routers.time_travel import tag_current_version
from application.projections.detail_kinds import D, DetailKind
from application.projections.paging import paged
from application.projections.read_models import ReadModels
from application.projections.records import Page
from application.projections.time_travel import Cutoff

_KEYWORD = inspect.Parameter.KEYWORD_ONLY
_READ_AS_OF = "Today, or as of a day, or as known at an instant; only today's carries an ETag."


def listing(
    router: APIRouter,
    kind: DetailKind[Any, D],
    of_parent: Callable[[ReadModels, UUID, Cutoff], list[D]],
    description: str,
) -> None:
    """GET "" on `router` pages through the details `of_parent` gives for the parent whose id
    is the query parameter its view keys them by, as `kind` orders them."""
    parent_id = kind.reads.parent
    (record,) = get_args(get_type_hints(of_parent)["return"])

    def endpoint(**given: Any) -> Any:
        found = of_parent(given["views"], given[parent_id], given["when"])
        return paged(found, kind.page_key, given["limit"], given["cursor"])

    _signed(
        endpoint,
        f"list_{router.prefix.strip('/')}",
        inspect.Parameter(
            parent_id, _KEYWORD, annotation=Annotated[UUID, Query(description=description)]
        ),
        inspect.Parameter("views", _KEYWORD, annotation=Views),
        inspect.Parameter("_", _KEYWORD, annotation=Reader),
        inspect.Parameter("when", _KEYWORD, annotation=When),
        inspect.Parameter("limit", _KEYWORD, annotation=Limit, default=DEFAULT_LIMIT),
        inspect.Parameter("cursor", _KEYWORD, annotation=Cursor, default=None),
    )
    router.get("", response_model=Page[record], responses=READ)(endpoint)  # type: ignore[valid-type]


def detail(
    router: APIRouter, kind: DetailKind[Any, D], one: Callable[[ReadModels, UUID, Cutoff], D]
) -> None:
    """GET /{id} on `router` reads the one detail `one` gives, by the id its view keys it by."""
    id_name = kind.reads.key

    def endpoint(**given: Any) -> Any:
        found = one(given["views"], given[id_name], given["when"])
        tag_current_version(given["response"], given["when"], etag(found.version))  # type: ignore[attr-defined]
        return found

    endpoint.__doc__ = _READ_AS_OF
    _signed(
        endpoint,
        f"read_{kind.name}",
        inspect.Parameter(id_name, _KEYWORD, annotation=UUID),
        inspect.Parameter("views", _KEYWORD, annotation=Views),
        inspect.Parameter("_", _KEYWORD, annotation=Reader),
        inspect.Parameter("response", _KEYWORD, annotation=Response),
        inspect.Parameter("when", _KEYWORD, annotation=When),
    )
    record = get_type_hints(one)["return"]
    router.get(f"/{{{id_name}}}", response_model=record, responses=READ)(endpoint)


def _signed(endpoint: Callable[..., Any], name: str, *parameters: inspect.Parameter) -> None:
    """FastAPI reads what to validate and document from the signature, and names the
    operation after the function."""
    endpoint.__signature__ = inspect.Signature(list(parameters))  # type: ignore[attr-defined]
    endpoint.__name__ = name
