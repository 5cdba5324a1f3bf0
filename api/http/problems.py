"""Errors as `application/problem+json` (RFC 9457): one mapping, for every router."""

import logging
import re
from http import HTTPStatus
from typing import Any

import psycopg
from eventsourcing.persistence import DataError, PersistenceError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DataError as SQLDataError
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException

from domain.errors import (
    DomainError,
    InvalidValueError,
    InvariantViolationError,
    NotFoundError,
)
from infrastructure.database_unavailable import database_unavailable

logger = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"
RETRY_AFTER_SECONDS = "1"
"""For views behind the log: they catch up within moments."""
DATABASE_RETRY_AFTER_SECONDS = "2"
"""For a database that does not answer: a restart of PostgreSQL takes a few seconds."""
_FIELD_PREFIX = re.compile(r"^([A-Za-z_][\w.-]*): (.+)$", re.DOTALL)


class FieldProblem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """RFC 9457 problem details; `errors` lists the offending fields of a 422."""

    type: str
    title: str
    status: int
    detail: str
    code: str | None = None
    """The refusal's name, e.g. NotAVotingMemberError, stable for clients to branch on."""
    errors: list[FieldProblem] | None = None


def problem_response(
    status: int,
    detail: str,
    code: str | None = None,
    errors: list[FieldProblem] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    title = HTTPStatus(status).phrase
    body = Problem(
        type=f"/problems/{_slug(title)}",
        title=title,
        status=status,
        detail=detail,
        code=code,
        errors=errors,
    )
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def status_of(error: DomainError) -> int:
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, InvalidValueError):
        return 422
    if isinstance(error, InvariantViolationError):
        return 409
    return 422


def _domain_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DomainError)
    status = status_of(error)
    fields = _fields_named_in(str(error), request) if status == 422 else None
    return problem_response(status, str(error), type(error).__name__, fields)


def _fields_named_in(message: str, request: Request) -> list[FieldProblem]:
    """The domain names a field by starting its message (or each part of it) with `name: `;
    `loc` says where the request gave it, as FastAPI's own errors do: query, header or body."""
    fields = []
    for part in message.split("; "):
        named = _FIELD_PREFIX.match(part)
        if named:
            name = named.group(1)
            loc: list[str | int] = [_where(name, request), *name.split(".")]
            fields.append(FieldProblem(loc=loc, msg=named.group(2), type="value_error"))
    # Unnamed: about the query when there is no body to be about (a GET's filters).
    whole = "query" if request.method in ("GET", "HEAD") else "body"
    return fields or [FieldProblem(loc=[whole], msg=message, type="value_error")]


def _where(name: str, request: Request) -> str:
    if name in request.query_params:
        return "query"
    if name in request.headers:
        return "header"
    return "body"


def _validation_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    # Only where and why: echoing the input could send a huge or hostile value back.
    fields = [
        FieldProblem(loc=list(e.get("loc", ())), msg=str(e.get("msg", "")), type=e.get("type", ""))
        for e in error.errors()
    ]
    return _fields_refused(fields)


def _fields_refused(fields: list[FieldProblem]) -> JSONResponse:
    detail = "; ".join(f"{'.'.join(str(p) for p in f.loc)}: {f.msg}" for f in fields[:10])
    return problem_response(422, detail or "the request is malformed", "ValidationError", fields)


def _invalid_value(_: Request, error: Exception) -> JSONResponse:
    """Input the schemas let through but a model or the database refused: still the client's."""
    if isinstance(error, ValidationError):
        return _fields_refused(
            [
                FieldProblem(loc=["body", *e["loc"]], msg=e["msg"], type=e["type"])
                for e in error.errors()
            ]
        )
    logger.warning("a value did not fit the store: %s", error)
    return problem_response(422, "a value does not fit what the store can hold", "DataError")


def _http_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    if error.status_code == 400 and isinstance(error.__cause__, RecursionError | ValueError):
        # FastAPI could not parse the body as JSON (nested too deep, not UTF-8): malformed
        # input like any other, so a 422 naming the body.
        reason = (
            "JSON nested too deep"
            if isinstance(error.__cause__, RecursionError)
            else "the body is not valid JSON text"
        )
        return _fields_refused([FieldProblem(loc=["body"], msg=reason, type="json_invalid")])
    return problem_response(error.status_code, str(error.detail), headers=dict(error.headers or {}))


def _views_behind(_: Request, error: Exception) -> JSONResponse:
    """The views did not catch up in time: the client may retry."""
    logger.warning("answering 503: %s", type(error).__name__)
    return problem_response(
        503,
        "the views have not caught up with the log yet; retry shortly",
        headers={"Retry-After": RETRY_AFTER_SECONDS},
    )


def _database_unavailable(error: BaseException) -> JSONResponse:
    # A warning, not an error with a traceback: an outage is the operator's news, not a bug.
    logger.warning("answering 503, the database is unavailable: %s", _first_line(error))
    return problem_response(
        503,
        "the database is unavailable; retry shortly",
        headers={"Retry-After": DATABASE_RETRY_AFTER_SECONDS},
    )


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0] if lines else ''}"[:200]


def _database_error(_: Request, error: Exception) -> JSONResponse:
    """A database outage in any of its wrappings is a 503; any other database error is not
    ours to judge here: re-raised, it reaches `_unexpected` (a logged 500) as before."""
    if database_unavailable(error):
        return _database_unavailable(error)
    raise error


def _unexpected(_: Request, error: Exception) -> JSONResponse:
    if database_unavailable(error):
        # An outage wrapped in an error of another kind on its way up.
        return _database_unavailable(error)
    logger.error("unexpected error", exc_info=error)
    return problem_response(500, "an unexpected error occurred; it has been logged")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    for invalid in (ValidationError, DataError, SQLDataError):
        app.add_exception_handler(invalid, _invalid_value)
    app.add_exception_handler(TimeoutError, _views_behind)
    # Every error of the store's three layers: each says whether it is an outage.
    for database in (PersistenceError, SQLAlchemyError, psycopg.Error):
        app.add_exception_handler(database, _database_error)
    app.add_exception_handler(Exception, _unexpected)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries so the document lists each refusal with its schema."""
    return {
        status: {
            "model": Problem,
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
