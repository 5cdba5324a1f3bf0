"""Commands per second through the HTTP API ÷ the same command called on the application.

Both sides keep the five views current in-process after each command, as the
API does by default, on a fresh store each (a SQLite file, or
FILIERES_BENCH_DATABASE_URL). The API side runs the real FastAPI app over ASGI
(httpx through Starlette's TestClient, one client, sequential): bearer-token
lookup, schema validation, the command's own transaction, and with a key the
idempotency row. So the ratio is what the HTTP layer costs per command.
"""

import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime

from fastapi.testclient import TestClient

from api.bootstrap import build
from api.http.main import create_app
from application.context import CommandContext
from application.organisation_commands import RegisterOrganisation
from bench.command_throughput import backend
from bench.results_file import append_row
from infrastructure.auth_store import Role

COMMANDS = int(os.environ.get("BENCH_COMMANDS", "500"))
HEADING = "## HTTP command throughput, one process (`python -m bench.http_commands`)"


def direct(url: str) -> Callable[[int], None]:
    app = build(database_url=url).app
    ctx = CommandContext(actor="bench")
    return lambda i: app.register_organisation(
        ctx,
        RegisterOrganisation(
            name=f"Organisation {i}", kind="company", registered_on=date(2010, 1, 1)
        ),
    )


def over_http(with_key: bool) -> Callable[[str], Callable[[int], None]]:
    def make(url: str) -> Callable[[int], None]:
        services = build(database_url=url)
        client = TestClient(create_app(services))
        token = services.tokens.issue("bench", Role.RECORDER)

        def command(i: int) -> None:
            headers = {"Authorization": f"Bearer {token}"}
            if with_key:
                headers["Idempotency-Key"] = f"key-{i}"
            body = {"name": f"Organisation {i}", "kind": "company", "registered_on": "2010-01-01"}
            answer = client.post("/organisations", json=body, headers=headers)
            assert answer.status_code == 201, answer.text

        return command

    return make


def rate(make: Callable[[str], Callable[[int], None]], directory: str, name: str) -> float:
    url = os.environ.get("FILIERES_BENCH_DATABASE_URL") or f"sqlite:///{directory}/{name}.db"
    command = make(url)
    command(-1)  # tables, views and caches warmed outside the timing
    started = time.perf_counter()
    for i in range(COMMANDS):
        command(i)
    return COMMANDS / (time.perf_counter() - started)


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        baseline = rate(direct, directory, "direct")
        http = rate(over_http(with_key=False), directory, "http")
        keyed = rate(over_http(with_key=True), directory, "http_keyed")
    print(
        f"POST /organisations: {http:.0f}/s, with Idempotency-Key {keyed:.0f}/s;"
        f" application directly: {baseline:.0f}/s; ratios {http / baseline:.2f},"
        f" {keyed / baseline:.2f}"
    )
    append_row(
        HEADING,
        f"{HEADING}\n\n"
        "POST /organisations through the FastAPI app over ASGI ÷ `register_organisation`"
        " called on the application, both with the views kept in-process, same run.\n\n"
        "| when (UTC) | machine | store | commands | HTTP /s | HTTP with key /s"
        " | application /s | ratio | ratio with key |\n"
        "|---|---|---|---|---|---|---|---|---|\n",
        f"| {datetime.now(UTC):%Y-%m-%d %H:%M} | {platform.node()} ({os.cpu_count()} cores,"
        f" Python {platform.python_version()}) | {backend()} | {COMMANDS} | {http:.0f}"
        f" | {keyed:.0f} | {baseline:.0f} | {http / baseline:.2f}"
        f" | {keyed / baseline:.2f} |",
    )


if __name__ == "__main__":
    sys.exit(main())
