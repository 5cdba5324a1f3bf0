"""A served API as a user runs it: scratch PostgreSQL databases, tokens, `filieres serve`.

Everything goes through the `filieres` program in subprocesses, as in
production: uvicorn workers on a free loopback port and, when asked, a
`filieres projections run` of its own. Each is stopped with SIGTERM and waited
for; each database made here is dropped on leaving.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg

from api.bootstrap import build
from bench.cpu_time import processes_cpu_seconds, tree_cpu_seconds

FILIERES = Path(sys.executable).with_name("filieres")
POSTGRES_ADMIN_URL = os.environ.get(
    "FILIERES_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
STARTUP_SECONDS = 120
STOP_SECONDS = 30


@contextmanager
def scratch_database(purpose: str) -> Iterator[str]:
    """The URL of a new empty PostgreSQL database, dropped on leaving."""
    name = f"filieres_bench_{purpose}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env() -> dict[str, str]:
    """This environment without FILIERES_* settings: the command line says which store."""
    return {k: v for k, v in os.environ.items() if not k.startswith("FILIERES_")}


def issue_token(database_url: str, role: str = "admin") -> str:
    command = ["token", "issue", "--actor", "bench", "--role", role, "--database-url", database_url]
    issued = subprocess.run(
        [str(FILIERES), *command],
        env=_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return issued.stdout.strip()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _database_name(database_url: str) -> str:
    return database_url.rsplit("/", 1)[1].split("?", 1)[0]


@dataclass
class ServedApi:
    base: str
    port: int
    database_url: str
    processes: list[subprocess.Popen[bytes]]

    def cpu_seconds(self) -> float:
        """CPU taken so far by the server, its workers and the projection runner."""
        return tree_cpu_seconds([p.pid for p in self.processes])

    def runner_cpu_seconds(self) -> float:
        """CPU taken so far by the projection runner alone (0 without one)."""
        return tree_cpu_seconds([p.pid for p in self.processes[1:]])

    def database_cpu_seconds(self) -> float:
        """CPU taken so far by the PostgreSQL backends now connected to this store's database
        (the workers' and the runner's pooled connections)."""
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
            rows = connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s",
                (_database_name(self.database_url),),
            ).fetchall()
        return processes_cpu_seconds(row[0] for row in rows)


@contextmanager
def _process(args: list[str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(FILIERES), *args], env=_env(), stdout=output, stderr=subprocess.STDOUT
        )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until(ready: Callable[[], bool], process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while not ready():
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} stopped:\n{log.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{process.args!r} was not ready in {STARTUP_SECONDS} s")
        time.sleep(0.1)


def _answers(base: str) -> bool:
    try:
        return httpx.get(f"{base}/health", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


@contextmanager
def served(
    database_url: str, workers: int, separate_runner: bool, logs: Path
) -> Iterator[ServedApi]:
    """`filieres serve` (and `filieres projections run` with `separate_runner`), ready."""
    logs.mkdir(parents=True, exist_ok=True)
    # Tables and views made once here, so that the runner and the workers never race to.
    build(database_url=database_url, follow_in_process=True).close()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with ExitStack() as stack:
        processes = []
        if separate_runner:
            log = logs / f"runner-{port}.log"
            runner = stack.enter_context(
                _process(["projections", "run", "--database-url", database_url], log)
            )
            _wait_until(lambda: "Following the log" in log.read_text(), runner, log)
            processes.append(runner)
        args = ["serve", "--workers", str(workers), "--port", str(port)]
        args += ["--database-url", database_url]
        if separate_runner:
            args.append("--separate-projection-runner")
        log = logs / f"serve-{port}.log"
        server = stack.enter_context(_process(args, log))
        # Every worker started, not only the first one to answer.
        _wait_until(
            lambda: (
                log.read_text().count("Application startup complete") >= workers and _answers(base)
            ),
            server,
            log,
        )
        processes.insert(0, server)
        yield ServedApi(base=base, port=port, database_url=database_url, processes=processes)
