"""The refusals each kind of endpoint documents in OpenAPI."""

from typing import Any

from api.http.problems import problem_responses

NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not Modified: If-None-Match named the answer's current ETag; no body."}
}
READ = {**problem_responses(401, 403, 404, 422, 503), **NOT_MODIFIED}
COMMAND = problem_responses(401, 403, 404, 409, 413, 415, 422, 503)
CSV = "text/csv"


def read_or_csv(description: str) -> dict[int | str, dict[str, Any]]:
    """READ's answers, with a 200 that `description` tells and that CSV may also give."""
    return {
        **READ,
        200: {"description": description, "content": {CSV: {"schema": {"type": "string"}}}},
    }
