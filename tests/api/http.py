"""Small helpers for API tests: headers, refusals, what the store holds."""

from typing import Any

import httpx

from api.bootstrap import Services


def bearer(token: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **extra}


def assert_problem(response: httpx.Response, status: int, *words: str) -> dict[str, Any]:
    """A problem+json refusal with `status` whose detail mentions each of `words`."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status
    assert problem["title"] and problem["type"] and problem["detail"]
    for word in words:
        assert word.lower() in problem["detail"].lower(), problem["detail"]
    return problem


def event_count(services: Services) -> int:
    return services.app.event_count()
