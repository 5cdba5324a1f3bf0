"""Who may call what: every route of the app against every kind of credential."""

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
from fastapi import FastAPI, routing
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.bootstrap import Services
from api.http.main import create_app
from infrastructure.auth_store import Role
from tests.api.http import assert_problem, bearer, event_count

DOCS = frozenset({"/docs", "/docs/oauth2-redirect", "/openapi.json", "/redoc"})
PUBLIC = frozenset({"/health"})
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The contract (docs/api.md), written out here rather than imported from api.http.deps,
# so that loosening a role set in the app is caught, not mirrored.
READERS = frozenset(Role)
RECORDERS = frozenset({Role.RECORDER, Role.ADMIN})
AUDITORS = frozenset({Role.AUDITOR, Role.ADMIN})
_PATH_PARAM = re.compile(r"\{[^}]+\}")


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    """The route's path, its parameters filled with random UUIDs."""
    template: str
    params: dict[str, str]

    def __str__(self) -> str:
        return f"{self.method} {self.template}"

    def send(self, client: TestClient, headers: dict[str, str]) -> httpx.Response:
        body = {"json": {}} if self.method in WRITES else {}
        return client.request(self.method, self.path, params=self.params, headers=headers, **body)


def api_routes(app: FastAPI) -> Iterator[tuple[str, set[str], APIRoute]]:
    """(path, methods, route) of every APIRoute, those of included routers too."""
    contexts = getattr(routing, "iter_route_contexts", None)
    if contexts is None:  # FastAPI versions that flatten included routers into app.routes
        for route in app.routes:
            if isinstance(route, APIRoute):
                yield route.path, route.methods, route
        return
    for context in contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute):
            yield context.path or route.path, context.methods or route.methods, route


def endpoints(services: Services) -> Iterator[Endpoint]:
    """Every method of every API route of the app, as the app itself lists them."""
    for template, methods, route in api_routes(create_app(services)):
        if template in DOCS or is_page(route):
            continue
        path = _PATH_PARAM.sub(lambda _: str(uuid.uuid4()), template)
        # Required query parameters (filiere_id, project_id...) get a random UUID.
        params = {
            (p.field_info.alias or p.name): str(uuid.uuid4())
            for p in route.dependant.query_params
            if p.field_info.is_required()
        }
        for method in sorted(methods - {"HEAD"}):
            yield Endpoint(method, path, template, params)


def is_page(route: APIRoute) -> bool:
    """The pages for people take a session cookie, not a bearer token: tests/pages checks
    who may open them (signed out: sent to sign in; a reader: not the auditors' page)."""
    return route.endpoint.__module__.startswith("api.pages")


def allowed_roles(endpoint: Endpoint) -> frozenset[Role]:
    if endpoint.method in WRITES:
        return RECORDERS
    if endpoint.template.startswith("/audit"):
        return AUDITORS
    return READERS


def refused_credentials(services: Services) -> dict[str, dict[str, str]]:
    """Headers that must each be answered 401: nothing, malformed, unknown, revoked."""
    issued = services.tokens.issue_token("Revoked Admin", Role.ADMIN)
    services.tokens.revoke(issued.token_id)
    revoked = issued.secret
    valid = services.tokens.issue("Other Scheme", Role.ADMIN)
    return {
        "no Authorization header": {},
        "empty Authorization header": {"Authorization": ""},
        "'Bearer' with no token": {"Authorization": "Bearer"},
        "'Bearer ' with a blank token": {"Authorization": "Bearer   "},
        "Basic scheme": {"Authorization": "Basic xyz"},
        "valid token under another scheme": {"Authorization": f"Token {valid}"},
        "unknown token": bearer("flt_" + uuid.uuid4().hex),
        "revoked admin token": bearer(revoked),
    }


def test_the_matrix_covers_the_routes_of_the_contract(services):
    found = {str(e) for e in endpoints(services)}
    for expected in (
        "GET /health",
        "POST /organisations",
        "POST /calls/{call_id}/candidacies/{candidacy_id}/decision",
        "POST /fundings/{funding_id}/disbursements",
        "GET /filieres/{filiere_id}",
        "GET /decisions",
    ):
        assert expected in found, f"{expected} is not among the app's routes: {sorted(found)}"
    documented = {
        f"{method.upper()} {path}"
        for path, operations in create_app(services).openapi()["paths"].items()
        for method in operations
    }
    assert documented <= found, f"documented but not in the matrix: {documented - found}"


def test_every_route_admits_exactly_the_roles_the_contract_gives_it(services, client, tokens):
    before = event_count(services)
    refused = refused_credentials(services)
    checked = 0
    for endpoint in endpoints(services):
        if endpoint.template in PUBLIC:
            for name, headers in {**refused, "a reader token": bearer(tokens[Role.READER])}.items():
                response = endpoint.send(client, headers)
                assert response.status_code == 200, f"{endpoint} with {name}: {response.text}"
            checked += 1
            continue

        for name, headers in refused.items():
            response = endpoint.send(client, headers)
            where = f"{endpoint} with {name}: {response.status_code} {response.text}"
            assert response.status_code == 401, where
            assert_problem(response, 401)
            assert response.headers.get("WWW-Authenticate") == "Bearer", where

        allowed = allowed_roles(endpoint)
        for role in Role:
            response = endpoint.send(client, bearer(tokens[role]))
            where = f"{endpoint} with a {role} token: {response.status_code} {response.text}"
            assert response.status_code < 500, where
            if role in allowed:
                assert response.status_code not in (401, 403), where
                if response.status_code >= 400:
                    assert_problem(response, response.status_code)
            else:
                assert response.status_code == 403, where
                assert_problem(response, 403, role.value)
        checked += 1

    assert checked > 20, f"only {checked} endpoints were found"
    assert event_count(services) == before, "the access matrix wrote to the log"


def test_a_command_is_recorded_by_the_actor_of_its_token(services, client, tokens):
    for role, actor in ((Role.RECORDER, "Recorder Person"), (Role.ADMIN, "Admin Person")):
        response = client.post(
            "/organisations",
            json={"name": f"Registered by {role}", "kind": "company"},
            headers=bearer(tokens[role]),
        )
        assert response.status_code == 201, response.text
        (event,) = services.app.events.get(uuid.UUID(response.json()["id"]))
        assert event.meta is not None
        assert event.meta.recorded_by == actor


def test_the_body_cannot_name_another_recorder(services, client, tokens):
    before = event_count(services)
    response = client.post(
        "/organisations",
        json={"name": "Impostor", "kind": "company", "recorded_by": "Someone Else"},
        headers=bearer(tokens[Role.RECORDER]),
    )
    problem = assert_problem(response, 422)
    assert any("recorded_by" in e["loc"] for e in problem["errors"]), problem
    assert event_count(services) == before
