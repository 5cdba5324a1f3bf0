"""/openapi.json alone tells a client each command's rules: what it records, who may ask and
decide it, and every refusal (409 code) it can answer."""

import ast
import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import domain
from api.bootstrap import build
from api.http.main import create_app
from domain import errors

WRITES = {"post", "put", "patch", "delete"}
RULES = {
    name
    for name, klass in vars(errors).items()
    if isinstance(klass, type) and issubclass(klass, errors.InvariantViolationError)
}


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The document as a client fetches it; it does not depend on the backend."""
    store = tmp_path_factory.mktemp("openapi") / "filieres.db"
    services = build(database_url=f"sqlite:///{store}")
    with TestClient(create_app(services)) as client:
        response = client.get("/openapi.json")
        assert response.status_code == 200
        yield response.json()
    services.close()


def commands(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method in WRITES:
                yield f"{method.upper()} {path}", operation


def codes_listed(operation: dict[str, Any]) -> set[str]:
    conflict = operation["responses"].get("409")
    if conflict is None:
        return set()
    examples = conflict["content"]["application/problem+json"].get("examples", {})
    return {example["value"]["code"] for example in examples.values()}


def test_every_command_operation_says_what_it_records_who_may_ask_and_its_refusals(document):
    found = list(commands(document))
    assert len(found) >= 29, [name for name, _ in found]
    for name, operation in found:
        assert operation.get("summary"), f"{name} has no summary"
        text = operation.get("description", "")
        assert "Who may ask" in text and "recorder" in text, f"{name}: {text!r}"
        assert "**404**" in text and "**422**" in text, f"{name}: {text!r}"
        for status in ("401", "403", "404", "422"):
            assert status in operation["responses"], f"{name} does not document {status}"
        codes = codes_listed(operation)
        if not codes:
            assert "no rule of the programme refuses it" in text, f"{name} lists no 409 codes"
            assert "409" not in operation["responses"], name
            continue
        assert codes <= RULES, f"{name} lists codes that are no rule: {codes - RULES}"
        listed = operation["responses"]["409"]["description"]
        for code in codes:
            assert f"`{code}`" in listed and f"`{code}`" in text, f"{name}: {code} not listed"


def test_a_command_with_a_decision_says_who_may_decide_and_lists_governance_refusals(document):
    decisions = [
        (name, operation)
        for name, operation in commands(document)
        if "decision" in _body_schema(document, operation).get("properties", {})
    ]
    assert len(decisions) >= 10, [name for name, _ in decisions]
    for name, operation in decisions:
        assert "Who may decide it" in operation["description"], name
        assert {"NotAVotingMemberError", "BodyCannotDecideError", "RecusalError"} <= codes_listed(
            operation
        ), name


def test_a_command_on_an_existing_aggregate_lists_the_stale_version_refusal(document):
    for name, operation in commands(document):
        if "{" in name:  # its path names the aggregate, so If-Match applies
            assert "StaleVersionError" in codes_listed(operation), name


def test_every_rule_the_code_enforces_is_listed_by_some_command(document):
    """A new refusal raised by the domain or the application reaches the document."""
    listed = set().union(*(codes_listed(op) for _, op in commands(document)))
    raised = _rules_raised_in(Path(inspect.getfile(domain)).parent) | _rules_raised_in(
        Path(inspect.getfile(domain)).parent.parent / "application"
    )
    assert raised <= listed, f"raised but listed by no command: {raised - listed}"


def _rules_raised_in(folder: Path) -> set[str]:
    names = set()
    for source in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                called = node.exc.func
                if isinstance(called, ast.Name) and called.id in RULES:
                    names.add(called.id)
    return names


def _body_schema(document: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    schema = body.get("schema", {})
    ref = schema.get("$ref")
    if ref is None:
        return schema
    found: dict[str, Any] = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return found


def test_docs_api_md_names_every_operation_the_app_serves(document):
    """docs/api.md stays the contract: an operation added to the app is added there too."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text()
    named = {
        (method, re.sub(r"\{[^}]*\}", "{}", path))
        for method, path in re.findall(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`?\s]*)", text)
    }
    missing = [
        f"{method.upper()} {path}"
        for path, operations in document["paths"].items()
        for method in operations
        if (method.upper(), re.sub(r"\{[^}]*\}", "{}", path)) not in named
    ]
    assert not missing, f"docs/api.md does not name: {missing}; add each to its table"
