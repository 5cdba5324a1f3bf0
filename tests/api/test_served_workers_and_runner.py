"""Beyond one process, on PostgreSQL: two API workers and `filieres projections run` beside them.

Several clients record commands at once through the served API; after each
command the client reads the resource back, and whichever worker answers, the
read reflects the command although no worker touches the views: only the
runners do, two of them competing for every event. Then, every process stopped
by SIGTERM, the views must hold exactly what a rebuild from the same log
gives: an event applied twice (or skipped) would show as a difference.
"""

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from threading import Barrier
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy.pool import QueuePool

from api.bootstrap import build
from application.filieres_app import FilieresApplication
from infrastructure.auth_store import Role
from infrastructure.persistence import event_store_env
from tests.api.test_served import FILIERES, STARTUP_SECONDS, _free_port
from tests.projections.conftest import contents
from tests.stores import one_server_at_a_time

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _one_server_at_a_time() -> Iterator[None]:
    with one_server_at_a_time():
        yield


CLIENTS = 8
CANDIDACIES_PER_CALL = 4
DISBURSEMENTS = 3
GRANT = Decimal("10000.00")
PAYMENT = Decimal("1000.00")
VOTERS = ("Présidente A", "Président B")
REGION_VOTER = "Élu régional"


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    stdout: Path
    stderr: Path

    def output(self) -> str:
        return self.stdout.read_text() + self.stderr.read_text()


OUTSIDE_KEYS = ("FILIERES_SECRET_KEY_FILE", "FILIERES_SIGNING_KEY_FILE")


def _env() -> dict[str, str]:
    # Every setting but the keys held outside the database (the tests' session makes them).
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("FILIERES_") or k in OUTSIDE_KEYS
    }
    env["COLUMNS"] = "400"
    # Generous: the check is that reads wait for the runner, not how fast it is on a busy machine.
    env["FILIERES_READ_WAIT_SECONDS"] = "30"
    return env


@contextmanager
def started(name: str, args: list[str], directory: Path) -> Iterator[Process]:
    """A `filieres` subprocess whose output goes to files (uvicorn logs every request)."""
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


def stop(process: Process) -> None:
    """SIGTERM, as a service manager stops it: it must exit 0 with no traceback."""
    process.popen.send_signal(signal.SIGTERM)
    try:
        process.popen.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{process.name} did not stop within 30 s of SIGTERM")
    assert process.popen.returncode == 0, process.output()
    assert "Traceback" not in process.output(), process.output()


def wait_until_serving(base: str, process: Process) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        assert process.popen.poll() is None, process.output()
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "the server did not answer in time"
        time.sleep(0.2)


def wait_until_following(database_url: str, runners: int) -> None:
    """Until each runner listens for new events (one LISTEN connection each)."""
    listening = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
    listening += " AND query LIKE 'LISTEN %'"
    deadline = time.monotonic() + STARTUP_SECONDS
    with psycopg.connect(database_url, autocommit=True) as connection:
        while True:
            found = connection.execute(listening).fetchone()
            if found and found[0] >= runners:
                return
            assert time.monotonic() < deadline, "the runners did not start following in time"
            time.sleep(0.2)


def issue_token(database_url: str) -> str:
    services = build(database_url=database_url, follow_in_process=False)
    try:
        return services.tokens.issue("Served", Role.RECORDER)
    finally:
        services.close()


def connect(base: str, token: str) -> httpx.Client:
    """A connection per request: the kernel hands each to either worker, so a read often
    reaches another worker than the command before it."""
    return httpx.Client(
        base_url=base,
        headers={"Authorization": f"Bearer {token}"},
        limits=httpx.Limits(max_keepalive_connections=0),
        timeout=60,
    )


class Client:
    """One client of the API: each command must succeed and its answer is returned."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def command(self, path: str, body: dict[str, Any], status: int = 201) -> dict[str, Any]:
        answer = self.http.post(path, json=body)
        assert answer.status_code == status, answer.text
        result: dict[str, Any] = answer.json()
        return result

    def read(self, path: str) -> dict[str, Any]:
        answer = self.http.get(path)
        assert answer.status_code == 200, answer.text
        result: dict[str, Any] = answer.json()
        return result


def decision(body_id: str, on: str, by: tuple[str, ...] = VOTERS) -> dict[str, Any]:
    return {
        "body_id": body_id,
        "decided_on": on,
        "decided_by": list(by),
        "rationale": "décidé",
        "sitting_not_published": True,
    }


def programme(client: Client) -> dict[str, str]:
    """Organisations, the bureau, the Region's body, a call every client submits to, and a
    first event for every view."""
    ids = {}
    for key, kind in (
        ("association", "association"),
        ("partner_a", "partner"),
        ("partner_b", "partner"),
        ("company", "company"),
        ("region", "funder"),
    ):
        ids[key] = client.command("/organisations", {"name": key.title(), "kind": kind})["id"]
        assert client.read(f"/organisations/{ids[key]}")["name"] == key.title()
    ids["bureau"] = client.command("/bodies", {"name": "Bureau", "kind": "bureau"})["id"]
    for person, organisation in zip(VOTERS, ("partner_a", "partner_b"), strict=True):
        seat = {
            "person": person,
            "organisation_id": ids[organisation],
            "role": "voting",
            "from": "2009-01-15",
        }
        client.command(f"/bodies/{ids['bureau']}/members", seat, status=200)
    region_body = {"name": "Commission", "kind": "external", "organisation_id": ids["region"]}
    ids["region_body"] = client.command("/bodies", region_body)["id"]
    seat = {
        "person": REGION_VOTER,
        "organisation_id": ids["region"],
        "role": "voting",
        "from": "2009-01-15",
    }
    client.command(f"/bodies/{ids['region_body']}/members", seat, status=200)
    ids["filiere"] = launch_filiere(client, ids, "Filière commune")
    ids["call"] = launch_call(client, ids, ids["filiere"], "Appel commun")
    ids["project"] = propose_project(client, ids["filiere"], "Projet commun")
    grant_funding(client, ids, ids["project"])
    return ids


def launch_filiere(client: Client, ids: dict[str, str], name: str) -> str:
    body = {
        "name": name,
        "kind": "filiere",
        "lead_partner_id": ids["partner_a"],
        "launched_on": "2009-06-15",
        "decision": decision(ids["bureau"], "2009-06-15"),
    }
    answer = client.command("/filieres", body)
    overview = client.read(f"/filieres/{answer['id']}")
    assert (overview["name"], overview["version_position"]) == (name, answer["position"])
    return str(answer["id"])


def launch_call(client: Client, ids: dict[str, str], filiere: str, title: str) -> str:
    body = {
        "filiere_id": filiere,
        "title": title,
        "kind": "call_for_projects",
        "issuer_id": ids["association"],
        "opens_on": "2011-09-15",
        "closes_on": "2011-12-16",
        "decision": decision(ids["bureau"], "2011-09-15"),
    }
    answer = client.command("/calls", body)
    call = client.read(f"/calls/{answer['id']}")
    assert (call["title"], call["version"], call["position"]) == (title, 1, answer["position"])
    assert answer["id"] in [c["id"] for c in client.read(f"/filieres/{filiere}")["calls"]]
    return str(answer["id"])


def submit(client: Client, ids: dict[str, str], call: str, title: str) -> dict[str, Any]:
    body = {"candidate_id": ids["company"], "project_title": title, "submitted_on": "2011-12-01"}
    answer = client.command(f"/calls/{call}/candidacies", body)
    details = client.read(f"/calls/{call}")
    # Other clients may have written to the call since: at least this command is reflected.
    assert details["version"] >= answer["version"]
    mine = [c for c in details["candidacies"] if c["id"] == answer["candidacy_id"]]
    assert [c["project_title"] for c in mine] == [title]
    return details


def propose_project(client: Client, filiere: str, title: str) -> str:
    body = {"filiere_id": filiere, "title": title, "proposed_on": "2012-01-20"}
    answer = client.command("/projects", body)
    project = client.read(f"/projects/{answer['id']}")
    assert (project["title"], project["position"]) == (title, answer["position"])
    return str(answer["id"])


def grant_funding(client: Client, ids: dict[str, str], project: str) -> str:
    grant = {
        "project_id": project,
        "funder_id": ids["region"],
        "kind": "grant",
        "amount": str(GRANT),
        "decision": decision(ids["region_body"], "2012-03-15", (REGION_VOTER,)),
    }
    answer = client.command("/fundings", grant)
    ledger = client.read(f"/fundings/{answer['id']}")
    assert (Decimal(ledger["amount"]), ledger["position"]) == (GRANT, answer["position"])
    return str(answer["id"])


def one_client(client: Client, ids: dict[str, str], n: int) -> None:
    """A filière with its call, candidacies, two projects and a funding paid in instalments."""
    filiere = launch_filiere(client, ids, f"Filière {n}")
    call = launch_call(client, ids, filiere, f"Appel {n}")
    for k in range(1, CANDIDACIES_PER_CALL + 1):
        details = submit(client, ids, call, f"Candidature {n}.{k}")
        assert details["candidacies_by_status"]["submitted"] == k
    submit(client, ids, ids["call"], f"Candidature commune {n}")

    projects = [propose_project(client, filiere, f"Projet {n}.{k}") for k in (1, 2)]
    approval = {
        "status": "approved",
        "effective_on": "2012-01-20",
        "decision": decision(ids["bureau"], "2012-01-20"),
    }
    client.command(f"/projects/{projects[0]}/status", approval, status=200)
    assert client.read(f"/projects/{projects[0]}")["status"] == "approved"
    by_status = client.read(f"/filieres/{filiere}")["projects_by_status"]
    assert (by_status.get("approved"), by_status.get("proposed")) == (1, 1)

    funding = grant_funding(client, ids, projects[0])
    assert Decimal(client.read(f"/filieres/{filiere}")["funding"]["granted"]) == GRANT
    for k in range(1, DISBURSEMENTS + 1):
        payment = {"amount": str(PAYMENT), "paid_on": f"2012-0{3 + k}-01"}
        answer = client.command(f"/fundings/{funding}/disbursements", payment, status=200)
        ledger = client.read(f"/fundings/{funding}")
        assert (ledger["version"], ledger["position"]) == (answer["version"], answer["position"])
        assert Decimal(ledger["disbursed"]) == k * PAYMENT
    overview = client.read(f"/filieres/{filiere}")
    assert Decimal(overview["funding"]["disbursed"]) == DISBURSEMENTS * PAYMENT


@pytest.mark.reliability  # over ten seconds: `make reliability`
def test_two_workers_and_two_runners_read_your_writes_and_apply_each_event_once(
    tmp_path: Path, empty_postgres_url: str
) -> None:
    postgres_url = empty_postgres_url  # no table yet: nothing has opened it
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    serve = ["serve", "--workers", "2", "--separate-projection-runner", "--port", str(port)]
    follow = ["projections", "run", "--database-url", postgres_url]
    with ExitStack() as processes:
        # Started together, as a service manager starts them.
        server = processes.enter_context(
            started("serve", [*serve, "--database-url", postgres_url], tmp_path)
        )
        runner = processes.enter_context(started("runner", follow, tmp_path))
        token = issue_token(postgres_url)  # while they start: tables created by all three at once
        wait_until_serving(base, server)

        with ExitStack() as stack:
            clients = [Client(stack.enter_context(connect(base, token))) for _ in range(CLIENTS)]
            setup = clients[0]
            ids = programme(setup)
            # A second runner joins, once every view has its position row: from then on, the
            # runners take turns on that row's lock and the later one skips what is applied.
            second = processes.enter_context(started("second runner", follow, tmp_path))
            wait_until_following(postgres_url, runners=2)
            barrier = Barrier(CLIENTS)

            def work(n: int) -> None:
                barrier.wait(timeout=60)
                one_client(clients[n], ids, n)

            with ThreadPoolExecutor(CLIENTS) as pool:
                for done in [pool.submit(work, n) for n in range(CLIENTS)]:
                    done.result()

            shared = setup.read(f"/calls/{ids['call']}")
            assert shared["candidacies_by_status"]["submitted"] == CLIENTS
            # The last position (PostgreSQL leaves gaps where a conflicting insert rolled back).
            last = httpx.get(f"{base}/health").json()["events"]

        for process in (server, runner, second):
            stop(process)
        assert "Stopped." in runner.stdout.read_text()
        assert "Stopped." in second.stdout.read_text()

    services = build(database_url=postgres_url, follow_in_process=False)
    try:
        assert services.app.recorder.max_notification_id() == last
        stored = len(services.app.recorder.select_notifications(start=None, limit=last + 1))
        for projection in services.views.projections:
            assert projection.view.max_tracking_id(services.app.name) == last
        assert all(status.lag == 0 for status in services.views.status())
        followed = contents(services.views)
    finally:
        services.close()

    rebuilt = subprocess.run(
        [str(FILIERES), "projections", "rebuild", "--database-url", postgres_url],
        env=_env(),
        capture_output=True,
        text=True,
    )
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert f"from {stored} events" in rebuilt.stdout
    services = build(database_url=postgres_url, follow_in_process=False)
    try:
        assert contents(services.views) == followed
    finally:
        services.close()


def test_pool_sizes_bound_the_connections_of_each_engine(postgres_url: str) -> None:
    """What FILIERES_POOL_SIZE and FILIERES_MAX_OVERFLOW set, through the store's environment."""
    sized = FilieresApplication(event_store_env(postgres_url, pool_size=2, max_overflow=1))
    default = FilieresApplication(event_store_env(postgres_url))
    try:
        pool = sized.factory.datastore.engine.pool  # type: ignore[attr-defined]
        assert isinstance(pool, QueuePool)
        with ExitStack() as held:
            for _ in range(3):
                held.enter_context(pool.connect())
            assert (pool.checkedout(), pool.overflow()) == (3, 1)
        assert pool.checkedout() == 0
        # Unset, SQLAlchemy's own sizes hold.
        assert default.factory.datastore.engine.pool.size() == 5  # type: ignore[attr-defined]
    finally:
        for application in (sized, default):
            application.close()
            application.factory.datastore.engine.dispose()  # type: ignore[attr-defined]
