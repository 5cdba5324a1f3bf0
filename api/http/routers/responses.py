"""The refusals each kind of endpoint documents in OpenAPI."""

from api.http.problems import problem_responses

READ = problem_responses(401, 403, 404, 422, 503)
COMMAND = problem_responses(401, 403, 404, 409, 413, 415, 422, 503)
