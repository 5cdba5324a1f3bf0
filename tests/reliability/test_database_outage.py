"""A database outage under load: PostgreSQL stopped and started again while clients write and read.

The served API (two workers, `--separate-projection-runner`) and `filieres
projections run` run on a database of their own while client threads record
commands, each with an Idempotency-Key, and read. Mid-load the machine's
PostgreSQL server is stopped for a few seconds, then started again. The
services are not restarted. Then:

- every answer, during the outage as before and after it, is a 2xx or a 503
  carrying `Retry-After` (never another 5xx, never a timeout or a refused
  connection: the API itself stays up);
- once PostgreSQL is back, requests succeed again by themselves (the seconds
  this took are printed);
- every write acknowledged with a 2xx is in the store, and a client that got
  a 503 and retried with the same key ends up with its command stored exactly
  once;
- the runner survives, its views reach the end of the log and equal a rebuild;
- no request was logged as an unexpected error, and every process stops
  cleanly on SIGTERM.

A quicker first test cuts only this test's database under the in-process app.

FILIERES_OUTAGE=terminate replaces the restart by cutting only this test's
database (new connections refused, existing ones terminated): for developing
without disturbing other users of the server.
"""

import os
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from fastapi.testclient import TestClient

from api.bootstrap import build
from api.http.main import create_app
from infrastructure.auth_store import Role
from tests.api.test_served import FILIERES, _free_port
from tests.api.test_served_workers_and_runner import (
    Client,
    Process,
    connect,
    issue_token,
    programme,
    wait_until_following,
    wait_until_serving,
)
from tests.projections.conftest import contents

pytestmark = [pytest.mark.postgres, pytest.mark.reliability]

WRITERS = 4
READERS = 2
CLIENT_TIMEOUT = 30.0
"""Longer than any wait the API does itself (the views' read wait below): a hang shows."""
READ_WAIT_SECONDS = "10"
WARM_UP_SECONDS = 2.0
OUTAGE_SECONDS = 3.0
AFTER_SECONDS = 5.0
"""Load kept up this long after the first success once PostgreSQL is back."""
RECOVERY_LIMIT = 60.0
"""Not a performance bound: past it, the service has not recovered by itself."""
CATCH_UP_LIMIT = 60.0
PROBE_EVERY = 0.1


@dataclass
class Answer:
    at: float
    method: str
    status: int
    """0 for no answer (a timeout or refused connection)."""
    retry_after: str | None
    detail: str


@dataclass
class Load:
    """What the clients sent and got, shared by their threads."""

    answers: list[Answer] = field(default_factory=list)
    acknowledged: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Idempotency-Key → the 2xx answer's body, with the command's `path` and `body`."""
    unfinished: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, answer: Answer) -> None:
        with self.lock:
            self.answers.append(answer)


OUTSIDE_KEYS = ("FILIERES_SECRET_KEY_FILE", "FILIERES_SIGNING_KEY_FILE")


def _env() -> dict[str, str]:
    # Every setting but the keys held outside the database (the tests' session makes them).
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("FILIERES_") or k in OUTSIDE_KEYS
    }
    env["COLUMNS"] = "400"
    env["FILIERES_READ_WAIT_SECONDS"] = READ_WAIT_SECONDS
    return env


@contextmanager
def started(name: str, args: list[str], directory: Path) -> Iterator[Process]:
    stdout, stderr = directory / f"{name}.out", directory / f"{name}.err"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        popen = subprocess.Popen([str(FILIERES), *args], env=_env(), stdout=out, stderr=err)
    process = Process(name, popen, stdout, stderr)
    try:
        yield process
    finally:
        if popen.poll() is None:
            popen.kill()
            popen.wait()


def stop(process: Process) -> str:
    """SIGTERM, as a service manager stops it: exit 0, no request failed unexpectedly.

    Not "no traceback at all": SQLAlchemy's pool logs one of its own ("Exception during
    reset or similar") when it hands back a connection the server has already closed.
    """
    process.popen.send_signal(signal.SIGTERM)
    try:
        process.popen.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{process.name} did not stop within 30 s of SIGTERM")
    output = process.output()
    assert process.popen.returncode == 0, output[-5000:]
    for failure in ("Exception in ASGI application", "unexpected error"):
        assert failure not in output, output[-5000:]
    return output


def send(load: Load, http: httpx.Client, method: str, path: str, **kwargs: Any) -> httpx.Response:
    try:
        response = http.request(method, path, **kwargs)
    except httpx.TransportError as error:
        load.record(Answer(time.monotonic(), method, 0, None, repr(error)))
        raise
    detail = "" if response.is_success else response.text[:300]
    load.record(
        Answer(
            time.monotonic(),
            method,
            response.status_code,
            response.headers.get("Retry-After"),
            detail,
        )
    )
    return response


def pause_after_503(response: httpx.Response) -> None:
    # A client honours Retry-After, capped so that the recovery is measured finely.
    time.sleep(min(float(response.headers.get("Retry-After", "1")), 0.5))


def write(load: Load, http: httpx.Client, key: str, path: str, body: dict[str, Any]) -> None:
    """One command, retried with its key on 503 until acknowledged or refused otherwise."""
    deadline = time.monotonic() + RECOVERY_LIMIT + CLIENT_TIMEOUT
    while time.monotonic() < deadline:
        try:
            response = send(load, http, "POST", path, json=body, headers={"Idempotency-Key": key})
        except httpx.TransportError:
            break
        if response.is_success:
            with load.lock:
                load.acknowledged[key] = {**response.json(), "path": path, "body": body}
            return
        if response.status_code != 503:
            break
        pause_after_503(response)
    with load.lock:
        load.unfinished.append(key)


def writer(
    load: Load, http: httpx.Client, ids: dict[str, str], n: int, done: threading.Event
) -> None:
    i = 0
    while not done.is_set():
        i += 1
        key = f"writer-{n}-{i}"
        if i % 2:
            write(load, http, key, "/organisations", {"name": key, "kind": "company"})
        else:
            body = {
                "candidate_id": ids["company"],
                "project_title": key,
                "submitted_on": "2011-12-01",
            }
            write(load, http, key, f"/calls/{ids['call']}/candidacies", body)


def reader(load: Load, http: httpx.Client, ids: dict[str, str], done: threading.Event) -> None:
    """Reads from the log (an organisation) and from the views (the shared call)."""
    paths = [f"/organisations/{ids['company']}", f"/calls/{ids['call']}", "/filieres"]
    i = 0
    while not done.is_set():
        i += 1
        try:
            response = send(load, http, "GET", paths[i % len(paths)])
        except httpx.TransportError:
            return
        if response.status_code == 503:
            pause_after_503(response)


def prober(base: str, probes: list[tuple[float, int]], done: threading.Event) -> None:
    """/health at a steady pace: when the service stopped and started answering."""
    with httpx.Client(base_url=base, timeout=CLIENT_TIMEOUT) as http:
        while not done.is_set():
            try:
                status = http.get("/health").status_code
            except httpx.TransportError:
                status = 0
            probes.append((time.monotonic(), status))
            time.sleep(PROBE_EVERY)


def restart_postgres() -> tuple[float, float]:
    """Stop the server, wait, start it: (when it stopped, when it answers again)."""
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    ctl = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]
    try:
        subprocess.run([*ctl, "stop", "-m", "fast"], check=True, capture_output=True)
        stopped = time.monotonic()
        time.sleep(OUTAGE_SECONDS)
    finally:
        # The machine's server: whatever happened, it runs again when the test ends.
        subprocess.run([*ctl, "start"], check=True, capture_output=True)
    return stopped, time.monotonic()


def cut_database(admin_url: str, database: str) -> tuple[float, float]:
    """Only this test's database: refuse new connections and end the open ones for a while."""
    with psycopg.connect(admin_url, autocommit=True) as admin:
        try:
            admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
            stopped = time.monotonic()
            while time.monotonic() < stopped + OUTAGE_SECONDS:
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> pg_backend_pid()",
                    (database,),
                )
                time.sleep(0.1)
        finally:
            admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
    return stopped, time.monotonic()


@contextmanager
def database_refusing(admin_url: str, database_url: str) -> Iterator[None]:
    """This test's database only: new connections refused, open ones ended, until the end."""
    database = database_url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
        try:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (database,),
            )
            yield
        finally:
            admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')


def test_while_the_database_refuses_connections_requests_get_503_then_succeed_again(
    postgres_admin_url: str, postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Each kind of request (a command, a read of the log, a read of the views, /health)
    answers 503 problem+json with Retry-After, handled like any refusal: the test client
    raises whatever reaches the 500 handler. Back, the same app answers, the retried
    command recorded once."""
    services = build(database_url=postgres_url)
    try:
        headers = {"Authorization": f"Bearer {services.tokens.issue('Client', Role.RECORDER)}"}
        with TestClient(create_app(services)) as client:
            first = client.post(
                "/organisations", json={"name": "Avant", "kind": "company"}, headers=headers
            )
            assert first.status_code == 201, first.text
            requests = [
                ("POST", "/organisations", {"name": "Pendant", "kind": "company"}),
                ("GET", f"/organisations/{first.json()['id']}", None),
                ("GET", "/filieres", None),
                ("GET", "/health", None),
            ]
            command = {**headers, "Idempotency-Key": "during-the-outage"}
            with database_refusing(postgres_admin_url, postgres_url):
                for method, path, body in requests:
                    answer = client.request(method, path, json=body, headers=command)
                    assert answer.status_code == 503, (path, answer.text)
                    assert answer.headers["content-type"] == "application/problem+json"
                    assert "database is unavailable" in answer.json()["detail"]
                    assert int(answer.headers["Retry-After"]) >= 1
            # No restart of anything: the pools connect again by themselves.
            for method, path, body in requests:
                answer = client.request(method, path, json=body, headers=command)
                assert answer.is_success, (path, answer.text)
            again = client.post("/organisations", json=requests[0][2], headers=command)
            assert again.headers.get("Idempotent-Replayed") == "true"
        stored = services.app.recorder.select_notifications(start=None, limit=1000)
        names = Counter(
            getattr(services.app.mapper.to_domain_event(n), "name", None) for n in stored
        )
    finally:
        services.close()
    assert (names["Avant"], names["Pendant"]) == (1, 1)
    # Answered as an outage, not logged as an unexpected error.
    assert not [r for r in caplog.records if r.name.startswith("api") and r.levelname == "ERROR"]


def outage(admin_url: str, database_url: str) -> Callable[[], tuple[float, float]]:
    if os.environ.get("FILIERES_OUTAGE") == "terminate":
        database = database_url.rsplit("/", 1)[1]
        return lambda: cut_database(admin_url, database)
    return restart_postgres


def wait_until_views_reach(base: str, last: int, runner: Process) -> None:
    deadline = time.monotonic() + CATCH_UP_LIMIT
    while True:
        assert runner.popen.poll() is None, f"the runner exited: {runner.output()[-3000:]}"
        health = httpx.get(f"{base}/health", timeout=CLIENT_TIMEOUT).json()
        if health["events"] == last and all(v["position"] == last for v in health["projections"]):
            return
        assert time.monotonic() < deadline, f"the views did not reach {last}: {health}"
        time.sleep(0.2)


def test_requests_during_a_database_restart_get_503_and_nothing_acknowledged_is_lost(
    tmp_path: Path, postgres_admin_url: str, postgres_url: str
) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    serve = ["serve", "--workers", "2", "--separate-projection-runner", "--port", str(port)]
    follow = ["projections", "run", "--database-url", postgres_url]
    load = Load()
    probes: list[tuple[float, int]] = []
    cut = outage(postgres_admin_url, postgres_url)
    with ExitStack() as processes:
        server = processes.enter_context(
            started("serve", [*serve, "--database-url", postgres_url], tmp_path)
        )
        runner = processes.enter_context(started("runner", follow, tmp_path))
        token = issue_token(postgres_url)
        wait_until_serving(base, server)
        wait_until_following(postgres_url, runners=1)

        with ExitStack() as clients:
            https = [
                clients.enter_context(connect(base, token)) for _ in range(WRITERS + READERS + 1)
            ]
            for http in https:
                http.timeout = httpx.Timeout(CLIENT_TIMEOUT)
            ids = programme(Client(https[-1]))
            done = threading.Event()
            threads = [
                threading.Thread(target=writer, args=(load, https[n], ids, n, done))
                for n in range(WRITERS)
            ]
            threads += [
                threading.Thread(target=reader, args=(load, https[WRITERS + n], ids, done))
                for n in range(READERS)
            ]
            probe = threading.Thread(target=prober, args=(base, probes, done))
            for thread in [*threads, probe]:
                thread.start()
            try:
                time.sleep(WARM_UP_SECONDS)
                before = len(load.acknowledged)
                stopped, back = cut()
                # Load goes on until the service has been answering again for a while.
                deadline = back + RECOVERY_LIMIT
                while not any(t >= back and s == 200 for t, s in probes[:]):
                    assert time.monotonic() < deadline, "no success since PostgreSQL came back"
                    time.sleep(PROBE_EVERY)
                time.sleep(AFTER_SECONDS)
            finally:
                done.set()
                for thread in [*threads, probe]:
                    thread.join(timeout=RECOVERY_LIMIT + 2 * CLIENT_TIMEOUT)
            assert not any(thread.is_alive() for thread in threads), "a client hung"
            assert len(load.acknowledged) > before, "no write acknowledged after the outage"
            last = httpx.get(f"{base}/health", timeout=CLIENT_TIMEOUT).json()["events"]
            wait_until_views_reach(base, last, runner)

        served_log = stop(server)
        stop(runner)
        assert "Stopped." in runner.stdout.read_text()

    # Every answer: a success or a 503 the client may retry after; the API never vanished.
    unexpected = [a for a in load.answers if not (a.status < 300 or a.status == 503)]
    assert not unexpected, unexpected[:5]
    unavailable = [a for a in load.answers if a.status == 503]
    assert all(a.retry_after and int(a.retry_after) >= 1 for a in unavailable), unavailable[:5]
    assert not load.unfinished, load.unfinished
    assert unavailable, "no client saw the outage"
    # Logged as what it is, a warning that the database is unavailable.
    assert "answering 503, the database is unavailable" in served_log

    # When the service stopped answering, and when it answered again by itself.
    failing = [t for t, s in probes if s != 200]
    first_failure = min(failing, default=stopped)
    recovered = min(t for t, s in probes if t >= back and s == 200)
    recovered = min([recovered, *(a.at for a in load.answers if a.at >= back and a.status < 300)])

    services = build(database_url=postgres_url, follow_in_process=False)
    try:
        assert services.app.recorder.max_notification_id() == last
        stored = services.app.recorder.select_notifications(start=None, limit=last + 1)
        events = [services.app.mapper.to_domain_event(n) for n in stored]
        organisations = Counter(getattr(e, "name", None) for e in events)
        candidacies = Counter(getattr(e, "project_title", None) for e in events)
        followed = contents(services.views)
    finally:
        services.close()
    # Each acknowledged command once in the log, whether answered at once or after 503s.
    for key, answer in load.acknowledged.items():
        stored_times = organisations[key] if "name" in answer["body"] else candidacies[key]
        assert stored_times == 1, (key, answer, stored_times)
    lost = sum(
        1
        for key, answer in load.acknowledged.items()
        if (organisations[key] if "name" in answer["body"] else candidacies[key]) == 0
    )

    rebuilt = subprocess.run(
        [str(FILIERES), "projections", "rebuild", "--database-url", postgres_url],
        env=_env(),
        capture_output=True,
        text=True,
    )
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    services = build(database_url=postgres_url, follow_in_process=False)
    try:
        assert contents(services.views) == followed
    finally:
        services.close()

    retried = sum(1 for a in unavailable if a.method == "POST")
    late = sum(1 for a in unavailable if a.at > back)
    print(
        f"\nrequests sent: {len(load.answers) + len(probes)}"
        f" ({len(load.answers)} by clients, {len(probes)} /health probes);"
        f" writes acknowledged: {len(load.acknowledged)};"
        f" 503s: {len(unavailable)} ({retried} to writes, retried with their key)"
        f" + {len(failing)} /health;"
        f" PostgreSQL stopped until answering again: {back - stopped:.1f} s;"
        f" 503s to clients after it was back: {late};"
        f" outage seen by clients {recovered - first_failure:.1f} s;"
        f" recovery after PostgreSQL was back: {recovered - back:.2f} s;"
        f" acknowledged writes lost: {lost}"
    )
