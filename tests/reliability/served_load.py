"""A served API with two workers on PostgreSQL, clients loading it, and what its log then holds.

Helpers of `test_contention_and_crash.py`: the server as a process tree that
can be stopped cleanly or killed outright, clients that remember each command
they sent and what it was answered, and the check that every acknowledged
command's event is in the log exactly once (found by the X-Correlation-ID
each request carries, which the server stamps on its events).
"""

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx

from api.bootstrap import build
from application.audit.event_record import AuditEvent
from infrastructure.audit_log_store import AuditLogStore
from tests.api.test_served import FILIERES
from tests.api.test_served_workers_and_runner import (
    Process,
    _env,
    started,
    wait_until_serving,
)
from tests.projections.conftest import contents

WORKERS = 2


@dataclass
class Sent:
    """One command request, sent until answered, and its answer."""

    path: str
    body: dict[str, Any]
    key: str | None = None
    """An Idempotency-Key: with one, a request that got no answer is sent again as it was."""
    etag_from: str | None = None
    """A resource to read first: its ETag becomes the command's If-Match."""
    correlation_id: str = field(default_factory=lambda: str(uuid4()))
    if_match: str | None = None
    status: int | None = None
    answer: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    replayed: bool = False
    unanswered: int = 0
    """Attempts that got no HTTP answer (the server was down or died with the request)."""
    cut_off: bool = False
    """The first attempt reached a server that died before answering (not a refused
    connection): the command may have been committed, or not."""

    @property
    def acknowledged(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    def headers(self) -> dict[str, str]:
        headers = {"X-Correlation-ID": self.correlation_id}
        if self.key is not None:
            headers["Idempotency-Key"] = self.key
        if self.if_match is not None:
            headers["If-Match"] = self.if_match
        return headers


def connect(base: str, token: str) -> httpx.Client:
    """A connection per request, so that either worker may answer each one."""
    return httpx.Client(
        base_url=base,
        headers={"Authorization": f"Bearer {token}"},
        limits=httpx.Limits(max_keepalive_connections=0),
        timeout=60,
    )


def send(http: httpx.Client, request: Sent, retry_for: float = 0.0) -> None:
    """Send `request` until an HTTP answer comes back; without a key, a first failure is final.

    A request that got no answer may have been executed or not: only its
    Idempotency-Key makes sending it again safe.
    """
    deadline = time.monotonic() + retry_for
    while True:
        try:
            if request.etag_from is not None:
                read = http.get(request.etag_from)
                assert read.status_code == 200, read.text
                request.if_match = read.headers["ETag"]
            answer = http.post(request.path, json=request.body, headers=request.headers())
        except httpx.TransportError as error:
            if request.unanswered == 0:
                request.cut_off = not isinstance(error, httpx.ConnectError | httpx.ConnectTimeout)
            request.unanswered += 1
            if request.key is None or time.monotonic() > deadline:
                raise
            time.sleep(0.1)
            continue
        request.status = answer.status_code
        request.text = answer.text
        request.replayed = answer.headers.get("Idempotent-Replayed") == "true"
        if answer.headers.get("content-type", "").startswith("application/json"):
            request.answer = answer.json()
        return


# --- The server as a process tree ------------------------------------------------------------


def descendants(pid: int) -> list[int]:
    """Every process under `pid` (uvicorn's workers and whatever they started), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with suppress(OSError):
            # "pid (comm) state ppid ...": the command name may hold spaces and parentheses.
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: list[int] = []
    pending = [pid]
    while pending:
        for child in children.get(pending.pop(), []):
            found.append(child)
            pending.append(child)
    return found


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")  # a zombie has run its last instruction


def kill_hard(process: Process) -> list[int]:
    """SIGKILL to the master and every worker, as a power cut or the OOM killer would do.

    The master first: uvicorn's supervisor would start a new worker for one that died.
    Returns the ids of the processes killed.
    """
    master = process.popen.pid
    tree = [master, *descendants(master)]
    for pid in tree:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.popen.wait(timeout=30)
    deadline = time.monotonic() + 30
    while not all(_gone(pid) for pid in tree):
        assert time.monotonic() < deadline, "a killed process did not die"
        time.sleep(0.05)
    return tree


@contextmanager
def serving(database_url: str, port: int, directory: Path, name: str) -> Iterator[Process]:
    """`filieres serve --workers 2` on `database_url`, answering; killed with its workers if
    still running on leaving (a failed test must not leave workers behind)."""
    args = ["serve", "--workers", str(WORKERS), "--port", str(port)]
    with started(name, [*args, "--database-url", database_url], directory) as process:
        try:
            wait_until_serving(f"http://127.0.0.1:{port}", process)
            yield process
        finally:
            if process.popen.poll() is None:
                kill_hard(process)


# --- What the log holds ----------------------------------------------------------------------


def logged_events(database_url: str) -> list[AuditEvent]:
    """The whole event log, read from the store itself."""
    services = build(database_url=database_url, follow_in_process=False)
    try:
        return list(AuditLogStore.of(services.app).audit_events())
    finally:
        services.close()


@dataclass
class Figures:
    sent: int = 0
    acknowledged: int = 0
    conflicts: int = 0
    stored: int = 0
    lost: int = 0
    duplicates: int = 0
    strays: int = 0
    problems: list[str] = field(default_factory=list)


def account(requests: list[Sent], events: list[AuditEvent], after: int) -> Figures:
    """Each acknowledged command's one event, as answered; nothing of a refused one; nothing else
    after position `after` (the setup's end)."""
    by_correlation: dict[str, list[AuditEvent]] = {}
    for event in events:
        if event.position > after:
            by_correlation.setdefault(str(event.correlation_id), []).append(event)
    figures = Figures(sent=len(requests))
    for request in requests:
        found = by_correlation.pop(request.correlation_id, [])
        label = f"{request.path} {request.correlation_id} ({request.status})"
        if request.acknowledged:
            figures.acknowledged += 1
            if not found:
                figures.lost += 1
                figures.problems.append(f"{label}: acknowledged, not in the log")
                continue
            figures.stored += 1
            figures.duplicates += len(found) - 1
            event = found[0]
            answered = (request.answer["id"], request.answer["version"], request.answer["position"])
            if len(found) > 1 or (str(event.aggregate_id), event.version, event.position) != (
                answered
            ):
                figures.problems.append(
                    f"{label}: answered {answered}, logged "
                    f"{[(str(e.aggregate_id), e.version, e.position) for e in found]}"
                )
        else:
            figures.conflicts += request.status == 409
            if found:
                figures.problems.append(f"{label}: refused, yet {len(found)} event(s) logged")
    for correlation, strays in by_correlation.items():
        figures.strays += len(strays)
        figures.problems.append(f"events of no request sent: {correlation}: {len(strays)}")
    return figures


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(FILIERES), *args], env=_env(), capture_output=True, text=True, timeout=120
    )


def views_equal_a_rebuild(database_url: str) -> int:
    """Every view has applied the whole log, and holds what a rebuild from it gives: an event
    applied twice, skipped, or half applied by a killed process would show. Returns the events."""
    services = build(database_url=database_url, follow_in_process=False)
    try:
        last = services.app.recorder.max_notification_id()
        assert last is not None
        stored = len(services.app.recorder.select_notifications(start=None, limit=last + 1))
        for projection in services.views.projections:
            assert projection.view.max_tracking_id(services.app.name) == last, projection
        assert all(status.lag == 0 for status in services.views.status())
        followed = contents(services.views)
    finally:
        services.close()
    rebuilt = run_cli("projections", "rebuild", "--database-url", database_url)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert f"from {stored} events" in rebuilt.stdout, rebuilt.stdout
    services = build(database_url=database_url, follow_in_process=False)
    try:
        assert contents(services.views) == followed
    finally:
        services.close()
    return stored


def audit_verifies(database_url: str) -> str:
    verified = run_cli("audit", "verify", "--database-url", database_url)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout.startswith("OK:"), verified.stdout
    return verified.stdout.strip()
