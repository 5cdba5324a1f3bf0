"""Access, exhaustively: every operation the OpenAPI document lists × every kind of credential.

tests/api/test_access.py walks the app's routes; here the operations come from the published
OpenAPI document. Both give each operation the roles the contract's rule admits (writes →
recorders, /audit → auditors, /health → anyone, the rest → readers), so a new endpoint is
checked as soon as the document lists it, with no table to extend. Revocation goes through
the real `filieres token revoke`, and no token ever shows in a log line, in-process or served.
"""

import logging
import subprocess
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from api.bootstrap import Services, build
from api.cli.app import app as cli
from api.http.main import create_app
from infrastructure.auth_store import Role, api_tokens
from infrastructure.token_digests import token_digest
from tests.api.http import assert_problem, bearer, event_count
from tests.api.test_served import FILIERES, _env, _free_port, running

# Over a minute with both backends: `make reliability`, not `make test`.
pytestmark = pytest.mark.reliability

runner = CliRunner()

# Who may call what: the contract's rule (docs/api.md), written out here rather than derived from
# api.http.deps, so that a role set loosened (or tightened) in the app is caught, not mirrored.
PUBLIC = "public"
READ = "reader"
RECORD = "recorder"
AUDIT = "auditor"
ADMITTED: dict[str, frozenset[Role]] = {
    PUBLIC: frozenset(Role),
    READ: frozenset(Role),
    RECORD: frozenset({Role.RECORDER, Role.ADMIN}),
    AUDIT: frozenset({Role.AUDITOR, Role.ADMIN}),
}
PUBLIC_PATHS = frozenset({"/health"})


def access(method: str, template: str) -> str:
    """Who the contract admits: anyone to /health, auditors to /audit, recorders to commands."""
    if template in PUBLIC_PATHS:
        return PUBLIC
    if template == "/audit" or template.startswith("/audit/"):
        return AUDIT
    return READ if method == "GET" else RECORD


# What an admitted caller may get with placeholder ids and minimal bodies: anything but a
# refusal of the caller (401/403) or a fault (5xx).
ADMITTED_ANSWERS = frozenset({200, 201, 404, 409, 422})
HTTP_METHODS = frozenset({"get", "put", "post", "patch", "delete"})


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    path: str
    """The template with each path parameter a placeholder value."""
    params: dict[str, Any]
    body: dict[str, Any] | None
    access: str

    def __str__(self) -> str:
        return f"{self.method} {self.template}"

    @property
    def admitted(self) -> frozenset[Role]:
        return ADMITTED[self.access]

    def send(self, client: httpx.Client, headers: dict[str, str]) -> httpx.Response:
        return client.request(
            self.method, self.path, params=self.params, headers=headers, json=self.body
        )


def documented_operations(services: Services) -> dict[tuple[str, str], dict[str, Any]]:
    """(METHOD, path) → the OpenAPI operation object, for every operation the app publishes."""
    document = create_app(services).openapi()
    return {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    }


def operations(services: Services) -> list[Operation]:
    """Every documented operation, ready to send: required parameters and body filled with
    schema-valid placeholders, so that admitted callers get past validation to the handler."""
    components = create_app(services).openapi()["components"]["schemas"]
    built = []
    for (method, template), operation in documented_operations(services).items():
        path, params = template, {}
        for parameter in operation.get("parameters", []):
            if not parameter.get("required") or parameter["in"] not in ("path", "query"):
                continue
            value = placeholder(parameter["schema"], components)
            if parameter["in"] == "path":
                path = path.replace("{" + parameter["name"] + "}", str(value))
            else:
                params[parameter["name"]] = value
        body = None
        content = operation.get("requestBody", {}).get("content", {})
        if "application/json" in content:
            body = placeholder(content["application/json"]["schema"], components)
        built.append(Operation(method, template, path, params, body, access(method, template)))
    return built


def placeholder(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """The smallest value the schema accepts: required properties only, unknown ids."""
    if "$ref" in schema:
        return placeholder(components[schema["$ref"].rsplit("/", 1)[1]], components)
    if "anyOf" in schema:
        return placeholder(next(s for s in schema["anyOf"] if s.get("type") != "null"), components)
    if "examples" in schema:
        return schema["examples"][0]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {
            name: placeholder(properties[name], components) for name in schema.get("required", [])
        }
    if kind == "array":
        return [placeholder(schema["items"], components)] * schema.get("minItems", 0)
    if kind == "integer":
        return max(1, int(schema.get("minimum", 1)))
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    return {
        "uuid": str(uuid.uuid4()),
        "date": "2011-01-10",
        "date-time": "2011-01-10T09:00:00Z",
    }.get(schema.get("format", ""), "x" * max(1, schema.get("minLength", 1)))


def cli_issue(database_url: str, actor: str, role: Role) -> str:
    result = runner.invoke(
        cli,
        ["token", "issue", "--actor", actor, "--role", role.value, "--database-url", database_url],
    )
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def token_id_of(database_url: str, token: str) -> str:
    """The public id `filieres token list` shows for this secret."""
    services = build(database_url=database_url, follow_in_process=False)
    try:
        with services.tokens.engine.connect() as connection:
            return str(
                connection.execute(
                    select(api_tokens.c.token_id).where(
                        api_tokens.c.token_hash == token_digest(token, services.tokens.secret)
                    )
                ).scalar_one()
            )
    finally:
        services.close()


def cli_revoke(database_url: str, token: str) -> None:
    token_id = token_id_of(database_url, token)
    result = runner.invoke(cli, ["token", "revoke", token_id, "--database-url", database_url])
    assert result.exit_code == 0, result.output
    assert "revoked" in result.output
    assert token not in result.output, "revoke echoed the token"


@contextmanager
def every_logger_at_debug(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """All loggers, the libraries' too (SQLAlchemy's statements and their parameters, uvicorn,
    httpx...), at DEBUG into caplog, including those that do not propagate to the root."""
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    saved = [(logger, logger.level) for logger in loggers]
    detached = [logger for logger in loggers if not logger.propagate]
    caplog.set_level(logging.DEBUG)
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    for logger in detached:
        logger.addHandler(caplog.handler)
    try:
        yield
    finally:
        for logger in detached:
            logger.removeHandler(caplog.handler)
        for logger, level in saved:
            logger.setLevel(level)


def assert_no_secret_in(text: str, secrets: dict[str, str], where: str) -> None:
    for name, secret in secrets.items():
        assert secret not in text, f"the {name} appears in {where}"


def test_the_document_says_which_operations_want_a_token(services):
    documented = documented_operations(services)
    assert ("POST", "/calls/{call_id}/candidacies/{candidacy_id}/decision") in documented
    assert ("GET", "/audit/verify") in documented
    # The document itself tells clients which operations want a bearer token and that they
    # may answer 401/403; only the public ones say neither.
    for key, operation in documented.items():
        if access(*key) == PUBLIC:
            assert not operation.get("security"), f"{key} is public but documented as secured"
            continue
        assert operation.get("security") == [{"HTTPBearer": []}], key
        assert {"401", "403"} <= set(operation["responses"]), key


def test_every_operation_answers_every_credential_as_its_roles_allow(
    services, client, database_url, caplog
):
    tokens = {role: cli_issue(database_url, f"Matrix {role.value}", role) for role in Role}
    # A token of each role, issued then revoked through the command line while the app runs:
    # each worked a moment before, and must be refused from the next request on.
    revoked = {role: cli_issue(database_url, f"Revoked {role.value}", role) for role in Role}
    for token in revoked.values():
        assert client.get("/filieres", headers=bearer(token)).status_code == 200
        cli_revoke(database_url, token)
    unknown = "flt_" + uuid.uuid4().hex
    refused = {
        "no Authorization header": {},
        "'Bearer' and no token": {"Authorization": "Bearer"},
        "a Basic scheme": {"Authorization": "Basic YWRtaW46YWRtaW4="},
        "a valid admin token under another scheme": {
            "Authorization": f"Token {tokens[Role.ADMIN]}"
        },
        "a valid admin token split by a space": {
            "Authorization": f"Bearer {tokens[Role.ADMIN][:10]} {tokens[Role.ADMIN][10:]}"
        },
        "an unknown token": bearer(unknown),
        **{f"a revoked {role} token": bearer(token) for role, token in revoked.items()},
    }
    secrets = {
        "unknown token": unknown,
        **{f"{role} token": token for role, token in tokens.items()},
        **{f"revoked {role} token": token for role, token in revoked.items()},
    }
    every = operations(services)
    sent = 0
    admitted_answers: Counter[int] = Counter()

    with every_logger_at_debug(caplog):
        for operation in every:
            before = event_count(services)
            for name, headers in refused.items():
                response = operation.send(client, headers)
                sent += 1
                where = f"{operation} with {name}: {response.status_code} {response.text}"
                assert_no_secret_in(response.text + str(response.headers), secrets, where)
                if operation.access == PUBLIC:
                    assert response.status_code == 200, where
                    continue
                assert response.status_code == 401, where
                assert_problem(response, 401)
                assert response.headers.get("WWW-Authenticate") == "Bearer", where

            for role in Role:
                if role in operation.admitted:
                    continue
                response = operation.send(client, bearer(tokens[role]))
                sent += 1
                where = f"{operation} with a {role} token: {response.status_code} {response.text}"
                assert_no_secret_in(response.text + str(response.headers), secrets, where)
                assert response.status_code == 403, where
                assert_problem(response, 403, role.value)
            assert event_count(services) == before, f"{operation}: a refused caller wrote"

            for role in operation.admitted:
                response = operation.send(client, bearer(tokens[role]))
                sent += 1
                admitted_answers[response.status_code] += 1
                where = f"{operation} with a {role} token: {response.status_code} {response.text}"
                assert_no_secret_in(response.text + str(response.headers), secrets, where)
                assert response.status_code in ADMITTED_ANSWERS, where
                if response.status_code >= 400:
                    assert_problem(response, response.status_code)

    # The capture reaches down to the SQL statements and their parameters (where a token
    # stored or looked up in clear would show), not only the app's own loggers.
    assert any(r.name.startswith("sqlalchemy.engine") for r in caplog.records), "capture broken"
    assert_no_secret_in(caplog.text, secrets, "the logs")
    bearer_headers = {f"{n} header": f"Bearer {s}" for n, s in secrets.items()}
    assert_no_secret_in(caplog.text, bearer_headers, "the logs")
    print(
        f"\naccess matrix ({database_url.split(':', 1)[0]}): {len(every)} operations, "
        f"{len(Role)} roles, {len(refused)} refused credentials, {sent} requests, "
        f"{len(caplog.records)} log records checked; admitted callers got {dict(admitted_answers)}"
    )


def test_a_token_revoked_by_the_cli_is_refused_at_once_and_writes_nothing(
    services, client, database_url
):
    token = cli_issue(database_url, "Soon Revoked", Role.RECORDER)
    first = client.post(
        "/organisations", json={"name": "Before", "kind": "company"}, headers=bearer(token)
    )
    assert first.status_code == 201, first.text
    count = event_count(services)

    cli_revoke(database_url, token)

    # The very next request, from the same running app (no cache to wait out).
    for method, path, body in (
        ("POST", "/organisations", {"name": "After", "kind": "company"}),
        ("GET", "/filieres", None),
        ("GET", f"/organisations/{first.json()['id']}", None),
    ):
        response = client.request(method, path, json=body, headers=bearer(token))
        assert_problem(response, 401, "revoked")
        assert response.headers["WWW-Authenticate"] == "Bearer"
    assert event_count(services) == count
    # Revoking again is refused (exit 1); an id never issued cannot be revoked (exit 2); a
    # secret is refused as an id, without echoing it.
    token_id = token_id_of(database_url, token)
    for again, code, says in (
        (token_id, 1, "already revoked"),
        ("tok_" + uuid.uuid4().hex[:8], 2, "no token has the id"),
        (token, 2, "not its id"),
        ("flt_" + uuid.uuid4().hex, 2, "not its id"),
    ):
        result = runner.invoke(cli, ["token", "revoke", again, "--database-url", database_url])
        assert result.exit_code == code, result.output
        assert says in result.output
        if again.startswith("flt_"):
            assert again not in result.output


def test_a_served_api_refuses_a_token_revoked_meanwhile_and_never_logs_a_token(
    tmp_path, database_url
):
    def filieres(*args: str, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            [str(FILIERES), *args], env=env or _env(), capture_output=True, text=True, check=True
        )
        return done.stdout + done.stderr

    def issued(*args: str) -> str:
        """The secret `token issue` prints alone on stdout (its id goes to stderr)."""
        done = subprocess.run(
            [str(FILIERES), *args], env=_env(), capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    issue = ["token", "issue", "--database-url", database_url, "--actor"]
    recorder = issued(*issue, "Served Recorder", "--role", "recorder")
    reader = issued(*issue, "Served Reader", "--role", "reader")
    unknown = "flt_" + uuid.uuid4().hex
    secrets = {"recorder token": recorder, "reader token": reader, "unknown token": unknown}

    with (
        running(["serve", "--database-url", database_url], tmp_path, _free_port()) as (
            process,
            base,
        ),
        httpx.Client(base_url=base) as http,
    ):
        made = http.post(
            "/organisations",
            json={"name": "Served", "kind": "company"},
            headers=bearer(recorder),
        )
        assert made.status_code == 201, made.text
        assert http.get("/filieres", headers=bearer(reader)).status_code == 200
        assert http.post("/organisations", json={}, headers=bearer(reader)).status_code == 403
        assert http.get("/audit/verify", headers=bearer(recorder)).status_code == 403
        assert http.get("/filieres", headers=bearer(unknown)).status_code == 401
        assert (
            http.get("/filieres", headers={"Authorization": f"Token {reader}"}).status_code == 401
        )
        # Revoked by another process, through the environment's URL as an operator would.
        env = {**_env(), "FILIERES_DATABASE_URL": database_url}
        revoked = filieres("token", "revoke", token_id_of(database_url, recorder), env=env)
        assert "revoked" in revoked
        after = http.post(
            "/organisations",
            json={"name": "Too late", "kind": "company"},
            headers=bearer(recorder),
        )
        assert after.status_code == 401, after.text
        assert http.get("/health").json()["events"] == 1
    assert process.stdout is not None
    output = process.stdout.read()
    assert "401" in output and "403" in output, f"the access log is not in the output: {output}"
    assert_no_secret_in(output, secrets, "the server's output")
