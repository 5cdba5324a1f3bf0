"""Small helpers for API tests: headers, refusals, what the store holds."""

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.bootstrap import Services
from api.http.main import create_app


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


_idle_apps: dict[int, list[FastAPI]] = {}


@contextmanager
def app_on(services: Services) -> Iterator[FastAPI]:
    """The FastAPI app on `services`, for this test alone: one an earlier test of this process
    built if one is idle, given these services. FastAPI builds each route's parameters and
    models on an app's first request (about 50 ms), and the app keeps no state of its own
    beside `state.services` (the settings it reads at creation are the body limit's)."""
    idle = _idle_apps.setdefault(services.settings.max_body_bytes, [])
    app = idle.pop() if idle else create_app(services)
    app.state.services = services
    try:
        yield app
    finally:
        idle.append(app)


@contextmanager
def client_on(services: Services, **options: Any) -> Iterator[TestClient]:
    """A TestClient on `app_on(services)`."""
    with app_on(services) as app, TestClient(app, **options) as client:
        yield client


def event_count(services: Services) -> int:
    return services.app.event_count()


@contextmanager
def served(services: Services) -> Iterator[str]:
    """The API on `services`, on uvicorn in a thread, at a free port of 127.0.0.1: its URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(services), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(1000):
            if server.started:
                break
            thread.join(0.01)
        assert server.started, "uvicorn did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)
