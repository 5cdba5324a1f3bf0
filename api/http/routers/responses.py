"""What each kind of endpoint documents in OpenAPI: its refusals, and for a command its answer."""

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter

from api.http.problems import problem_responses
from api.http.schemas.common import CommandAnswer

READ = problem_responses(401, 403, 404, 422, 503)
COMMAND = problem_responses(401, 403, 404, 409, 413, 422, 503)
Endpoint = Callable[..., Any]


def creation(router: APIRouter, path: str) -> Callable[[Endpoint], Endpoint]:
    """A POST whose command creates something: 201 with Location, the command's answer."""
    return router.post(path, status_code=201, response_model=CommandAnswer, responses=COMMAND)


def command(router: APIRouter, path: str) -> Callable[[Endpoint], Endpoint]:
    """A POST whose command acts on an existing aggregate: 200, the command's answer."""
    return router.post(path, response_model=CommandAnswer, responses=COMMAND)
