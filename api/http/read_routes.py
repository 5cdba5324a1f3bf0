"""Detail reads as data: a call, a project or a funding line, one at a time or a page of them.

As `command_routes` makes a POST from a path and a command, these make the two GETs
each detail view serves from the view's reads: `GET ""`, a page of the details one
parent holds (named by a query parameter), and `GET /{id}`, one detail, whose ETag
is its version. Both answer today, or as of a day, or as known at an instant.
"""

import inspect
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any, get_args, get_type_hints
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from api.http.command_runner import etag
from api.http.deps import App, Reader, Views, When
from api.http.routers.paging import DEFAULT_LIMIT, Cursor, Limit, NameContains
from api.http.routers.responses import READ
from api.http.routers.time_travel import tag_current_version
from application.projections.detail_kinds import D, DetailKind
from application.projections.paging import paged
from application.projections.read_models import ReadModels
from application.projections.records import Page
from application.projections.time_travel import Cutoff
from domain.base import Aggregate

_KEYWORD = inspect.Parameter.KEYWORD_ONLY


def _parameter(name: str, annotation: Any, **default: Any) -> inspect.Parameter:
    return inspect.Parameter(name, _KEYWORD, annotation=annotation, **default)


# The parameters the generated reads share: dependencies first, then paging.
_VIEWS = _parameter("views", Views)
_APP = _parameter("app", App)
_READER = _parameter("_", Reader)
_WHEN = _parameter("when", When)
_RESPONSE = _parameter("response", Response)
_PAGING = (
    _parameter("limit", Limit, default=DEFAULT_LIMIT),
    _parameter("cursor", Cursor, default=None),
)
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
        _parameter(parent_id, Annotated[UUID, Query(description=description)]),
        _VIEWS,
        _READER,
        _WHEN,
        *_PAGING,
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
        endpoint, f"read_{kind.name}", _parameter(id_name, UUID), _VIEWS, _READER, _RESPONSE, _WHEN
    )
    record = get_type_hints(one)["return"]
    router.get(f"/{{{id_name}}}", response_model=record, responses=READ)(endpoint)


def aggregate_read(
    router: APIRouter, aggregate: type[Aggregate], public: type[BaseModel], name: str
) -> None:
    """GET /{<name>_id} on `router` reads the aggregate from its own events, so always
    current, as `public` shows it; its ETag is the aggregate's version."""
    id_name = f"{name}_id"

    def endpoint(**given: Any) -> Any:
        found = given["app"].load(aggregate, given[id_name])
        given["response"].headers["ETag"] = etag(found.version)
        return public.model_validate(found)

    endpoint.__doc__ = f"Read from the {name}'s own events, so always current."
    _signed(endpoint, f"read_{name}", _parameter(id_name, UUID), _APP, _READER, _RESPONSE)
    router.get(f"/{{{id_name}}}", response_model=public, responses=READ)(endpoint)


def directory_listing(
    router: APIRouter,
    kinds: type[StrEnum],
    read: Callable[..., Page[Any]],
    description: str,
) -> None:
    """GET "" on `router` pages through the directory's entries `read` gives, of one of
    `kinds` if asked and by a part of their name."""

    def endpoint(**given: Any) -> Any:
        views = given["views"]
        return read(views, given["kind"], given["name"], given["limit"], given["cursor"])

    endpoint.__doc__ = description
    kind = Annotated[kinds | None, Query(description="Only those of this kind.")]  # type: ignore[valid-type]
    _signed(
        endpoint,
        f"list_{router.prefix.strip('/')}",
        _VIEWS,
        _READER,
        _parameter("kind", kind, default=None),
        _parameter("name", NameContains, default=None),
        *_PAGING,
    )
    record = get_type_hints(read)["return"]
    router.get("", response_model=record, responses=READ)(endpoint)


def _signed(endpoint: Callable[..., Any], name: str, *parameters: inspect.Parameter) -> None:
    """FastAPI reads what to validate and document from the signature, and names the
    operation after the function."""
    endpoint.__signature__ = inspect.Signature(list(parameters))  # type: ignore[attr-defined]
    endpoint.__name__ = name
