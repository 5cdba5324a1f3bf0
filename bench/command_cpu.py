"""CPU milliseconds per command: on the application, and `POST /organisations` over ASGI.

Wall-clock rates on a shared machine move with whatever else runs; the CPU time
of this one process (client and app together, the views kept in-process) moves
much less, so it is what to compare between two versions of the code, run
alternately. A fresh store (a SQLite file, or FILIERES_BENCH_DATABASE_URL);
PostgreSQL's own CPU is not counted. Prints one line; writes nothing.
"""

import os
import tempfile
import time
from collections.abc import Callable
from datetime import date

from fastapi.testclient import TestClient

from api.bootstrap import build
from api.http.main import create_app
from application.context import CommandContext
from application.organisation_commands import RegisterOrganisation
from bench.command_throughput import backend
from infrastructure.auth_store import Role

COMMANDS = int(os.environ.get("BENCH_COMMANDS", "300"))


def cpu_ms(command: Callable[[int], None]) -> float:
    command(-1)  # tables, views and caches warmed outside the timing
    started = time.process_time()
    for i in range(COMMANDS):
        command(i)
    return (time.process_time() - started) / COMMANDS * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        url = os.environ.get("FILIERES_BENCH_DATABASE_URL") or f"sqlite:///{directory}/cpu.db"
        services = build(database_url=url)
        ctx = CommandContext(actor="bench")
        client = TestClient(create_app(services))
        token = services.tokens.issue("bench", Role.RECORDER)

        def direct(i: int) -> None:
            command = RegisterOrganisation(
                name=f"Direct {i}", kind="company", registered_on=date(2010, 1, 1)
            )
            services.app.execute(ctx, command)

        def over_http(key: str) -> Callable[[int], None]:
            def post(i: int) -> None:
                headers = {"Authorization": f"Bearer {token}"}
                if key:
                    headers["Idempotency-Key"] = f"{key}-{i}"
                body = {"name": f"HTTP {key} {i}", "kind": "company", "registered_on": "2010-01-01"}
                answer = client.post("/organisations", json=body, headers=headers)
                assert answer.status_code == 201, answer.text

            return post

        figures = (cpu_ms(direct), cpu_ms(over_http("")), cpu_ms(over_http("key")))
        services.close()
    print(
        f"{backend()}: CPU ms per command: application {figures[0]:.2f},"
        f" POST /organisations {figures[1]:.2f}, with Idempotency-Key {figures[2]:.2f}"
    )


if __name__ == "__main__":
    main()
