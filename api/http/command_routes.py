"""Command endpoints as data: a path and a command class make a POST that runs it once.

The endpoint takes the command's payload as its body and the ids its path
names (each a field of the command's target), builds the command and hands it
to the command runner. It is named after the command, as its handler is
(`LaunchCall` → `launch_call`), which names its OpenAPI operation.
"""

import inspect
import re
from collections.abc import Mapping
from uuid import UUID

from fastapi import APIRouter, Response

from api.http.command_docs import description as describe
from api.http.command_docs import responses, summary
from api.http.command_runner import CommandRunner
from api.http.content_type import JSON_BODY
from api.http.deps import Run
from api.http.schemas.common import CommandAnswer
from application.command import Command
from application.payload import Payload

_PATH_PARAMETER = re.compile(r"\{(\w+)\}")
_WORD_START = re.compile(r"(?<!^)(?=[A-Z])")


def creation(
    router: APIRouter, path: str, command: type[Command], description: str | None = None
) -> None:
    """POST `path` runs `command`, which creates something: 201 with its Location."""
    _route(router, path, command, description, creates=True)


def update(
    router: APIRouter, path: str, command: type[Command], description: str | None = None
) -> None:
    """POST `path` runs `command` on the aggregate its path names: 200."""
    _route(router, path, command, description, creates=False)


def commands(
    router: APIRouter, creates: type[Command], updates: Mapping[str, type[Command]]
) -> None:
    """A router's commands as a table: POST "" runs `creates`, each path of `updates` its
    command (those with a note of their own call `creation` or `update`)."""
    creation(router, "", creates)
    for path, command in updates.items():
        update(router, path, command)


def _route(
    router: APIRouter,
    path: str,
    command: type[Command],
    description: str | None,
    creates: bool,
) -> None:
    ids = _PATH_PARAMETER.findall(path)

    def endpoint(payload: Payload, run: CommandRunner, **target: UUID) -> Response:
        built = command.of(payload, **target)
        return run.create(built, router.prefix) if creates else run.update(built)

    # FastAPI reads what to validate and document from the signature: the path's ids typed as
    # the command's fields, the payload as the body, the runner as a dependency.
    keyword = inspect.Parameter.KEYWORD_ONLY
    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            *(
                inspect.Parameter(i, keyword, annotation=command.model_fields[i].annotation)
                for i in ids
            ),
            inspect.Parameter("payload", keyword, annotation=command.payload_type),
            inspect.Parameter("run", keyword, annotation=Run),
        ]
    )
    endpoint.__name__ = _WORD_START.sub("_", command.__name__).lower()
    router.post(
        path,
        status_code=201 if creates else 200,
        response_model=CommandAnswer,
        responses=responses(command),
        summary=summary(command),
        description=describe(command, description),
        dependencies=[JSON_BODY],
    )(endpoint)
