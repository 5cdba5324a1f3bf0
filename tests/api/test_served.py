"""`filieres run` and `filieres serve` as a user starts them: a real uvicorn on a real port."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.stores import one_server_at_a_time

FILIERES = Path(sys.executable).with_name("filieres")
STARTUP_SECONDS = 120


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


OUTSIDE_KEYS = ("FILIERES_SECRET_KEY_FILE", "FILIERES_SIGNING_KEY_FILE")


def _env() -> dict[str, str]:
    # Every setting but the keys held outside the database (the tests' session makes them).
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("FILIERES_") or k in OUTSIDE_KEYS
    }
    env["COLUMNS"] = "400"
    return env


@contextmanager
def running(
    args: list[str], cwd: Path, port: int, env: dict[str, str] | None = None
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """Start the command, wait until /health answers, stop it with SIGINT as Ctrl-C does."""
    with one_server_at_a_time():
        yield from _running(args, cwd, port, env)


def _running(
    args: list[str], cwd: Path, port: int, env: dict[str, str] | None
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process = subprocess.Popen(
        [str(FILIERES), *args, "--port", str(port)],
        cwd=cwd,
        env=env or _env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not answer in time"
            time.sleep(0.2)
        yield process, base
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _token_from(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("flt_"):
            return line.strip()
    raise AssertionError("no token printed")


def test_make_run_loads_the_demo_once_prints_a_token_and_serves_the_api(tmp_path):
    port = _free_port()
    with running(["run"], tmp_path, port) as (process, base):
        token = _token_from(process)
        answer = httpx.get(f"{base}/filieres", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200
        viandes = next(f for f in answer.json()["items"] if f["name"].startswith("Viandes"))
        assert viandes["candidacies"]["submitted"] == 7
        assert viandes["candidacies"]["selected"] == 4
        assert httpx.get(f"{base}/filieres").status_code == 401
        assert httpx.get(f"{base}/docs").status_code == 200
        events = httpx.get(f"{base}/health").json()["events"]
    assert (tmp_path / "filieres.db").exists()

    with running(["run"], tmp_path, port) as (process, base):
        token = _token_from(process)
        # The store was not empty: nothing loaded a second time.
        assert httpx.get(f"{base}/health").json()["events"] == events
        headers = {"Authorization": f"Bearer {token}"}
        assert httpx.get(f"{base}/filieres", headers=headers).status_code == 200


def test_serve_with_two_workers_records_and_reads_back(tmp_path, database_url):
    issue = ["token", "issue", "--actor", "Served", "--role", "recorder"]
    token = subprocess.run(
        [str(FILIERES), *issue, "--database-url", database_url],
        env=_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    port = _free_port()
    args = ["serve", "--workers", "2", "--database-url", database_url]
    with (
        running(args, tmp_path, port) as (_, base),
        httpx.Client(base_url=base, headers=headers) as client,
    ):
        ids = []
        for n in range(6):
            created = client.post("/organisations", json={"name": f"Org {n}", "kind": "partner"})
            assert created.status_code == 201, created.text
            ids.append(created.json()["id"])
        # Whichever worker answers, each read reflects the command before it.
        for organisation_id in ids:
            assert client.get(f"/organisations/{organisation_id}").status_code == 200
        health = client.get("/health").json()
        assert health["events"] == 6
        assert all(view["lag"] == 0 for view in health["projections"])
