"""Concurrent HTTP clients against a served API, and who took the CPU meanwhile.

Each client is a thread with one keep-alive connection of the standard
library's `http.client`, the Python client with the least work per request: on
a 2-core machine the clients compete with the server for CPU, so each load
also reports the cores they kept busy (about 0.05 at 100 requests/s, 1 core at
6,000/s). All clients start together and each sends a fixed number of requests.
"""

import http.client
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.cpu_time import machine_busy_seconds, own_cpu_seconds
from bench.served_api import ServedApi

Request = Callable[[int, int], tuple[str, str, bytes | None]]
"""(client, i) → method, path and body of the client's i-th request."""
TIMEOUT_SECONDS = 60


@dataclass
class Load:
    requests: int
    seconds: float
    latencies_ms: list[float]
    client_cpu: float
    """CPU seconds the clients (this process) took while the load ran."""
    server_cpu: float
    """CPU seconds of the served API: its workers and, if any, its projection runner."""
    runner_cpu: float
    """The part of `server_cpu` that the projection runner took."""
    database_cpu: float
    """CPU seconds of the API's pooled PostgreSQL backends (those connected before and after
    the load); backends opened and closed meanwhile, beyond the pool, count as others."""
    machine_cpu: float
    """CPU seconds of the whole machine (PostgreSQL included)."""
    failures: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile_ms(self, p: int) -> float:
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[p - 1]

    def cores(self) -> tuple[float, float, float, float]:
        """Cores that the clients, the server, its PostgreSQL backends and everything else on
        the machine kept busy on average while the load ran."""
        database = max(self.database_cpu, 0)  # a backend that closed took its count with it
        others = max(self.machine_cpu - self.client_cpu - self.server_cpu - database, 0)
        return (
            self.client_cpu / self.seconds,
            self.server_cpu / self.seconds,
            database / self.seconds,
            others / self.seconds,
        )

    def cpu_note(self) -> str:
        clients, server, database, others = self.cores()
        runner = self.runner_cpu / self.seconds
        return (
            f"cores busy: clients {clients:.2f}, server {server:.2f} (runner {runner:.2f}),"
            f" PostgreSQL {database:.2f}, other processes {others:.2f}"
        )


def hammer(
    api: ServedApi,
    token: str,
    request: Request,
    clients: int,
    per_client: int,
    expected_status: int,
) -> Load:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    start = threading.Barrier(clients + 1)
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures: list[str] = []

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", api.port, timeout=TIMEOUT_SECONDS)
        mine = latencies[number]
        try:
            connection.connect()
            start.wait()
            for i in range(per_client):
                method, path, body = request(number, i)
                began = time.perf_counter()
                connection.request(method, path, body=body, headers=headers)
                answer = connection.getresponse()
                content = answer.read()
                mine.append((time.perf_counter() - began) * 1000)
                if answer.status != expected_status:
                    failures.append(f"{method} {path}: {answer.status} {content[:200]!r}")
        except Exception as error:  # a client that dies must not hang the barrier or hide
            start.abort()
            failures.append(f"client {number}: {error!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    cpu_before = _cpu(api)
    try:
        start.wait()
    except threading.BrokenBarrierError:
        for thread in threads:
            thread.join()
        raise RuntimeError(f"a client could not start: {failures}") from None
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    cpu_after = _cpu(api)
    used = [after - before for before, after in zip(cpu_before, cpu_after, strict=True)]
    return Load(
        requests=sum(len(mine) for mine in latencies),
        seconds=seconds,
        latencies_ms=[ms for mine in latencies for ms in mine],
        client_cpu=used[0],
        server_cpu=used[1],
        runner_cpu=used[2],
        database_cpu=used[3],
        machine_cpu=used[4],
        failures=failures,
    )


def _cpu(api: ServedApi) -> tuple[float, ...]:
    return (
        own_cpu_seconds(),
        api.cpu_seconds(),
        api.runner_cpu_seconds(),
        api.database_cpu_seconds(),
        machine_busy_seconds(),
    )
