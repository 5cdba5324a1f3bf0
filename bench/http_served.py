"""The served API under 16 concurrent clients, on PostgreSQL: commands/s and read latency.

(a) POST /organisations from 16 clients to `filieres serve --workers 2
--separate-projection-runner` with `filieres projections run` beside it (so a
command waits for no view), ÷ the bare library saving one-event aggregates in
this process on the same PostgreSQL server (a fresh database each). The same
load against `filieres serve --workers 2` alone, which catches the views up
in-process after each command, is the second figure.

(b) GET /filieres/{id} of the busiest filière from 16 clients, on a 2,000-event
store and on a large one (20,000 events; 200,000 with BENCH_FULL=1), each
served as at scale (2 workers, a separate projection runner): p50 and p99.

Clients, server and PostgreSQL share the machine's cores: each row says how
many cores each kept busy.
"""

import os
import tempfile
import time
from pathlib import Path
from uuid import UUID

import orjson
from eventsourcing.application import Application

from api.bootstrap import build
from bench.command_throughput import BareOrganisation
from bench.generate import generate_history
from bench.http_load import Load, hammer
from bench.results_file import append_row
from bench.served_api import issue_token, scratch_database, served
from bench.targets import FULL, Target, machine, now, out, report
from bench.time_travel import busiest_filiere
from infrastructure.settings import normalise_database_url

CLIENTS = 16
WORKERS = 2
COMMANDS = int(os.environ.get("BENCH_HTTP_COMMANDS", str(CLIENTS * (400 if FULL else 60))))
READS = int(os.environ.get("BENCH_HTTP_READS", str(CLIENTS * (500 if FULL else 60))))
WARM_UP = CLIENTS * 5
SMALL_STORE = 2_000
LARGE_STORE = int(os.environ.get("BENCH_HTTP_LARGE_STORE", "200000" if FULL else "20000"))

COMMANDS_TARGET = Target("HTTP commands ÷ bare library", 0.8, at_least=True)
P50_TARGET = Target("GET /filieres/{id} p50 large ÷ small store", 1.3, at_least=False)
P99_TARGET = Target("GET /filieres/{id} p99", 25, at_least=False, unit=" ms")

COMMANDS_SECTION = "## HTTP commands served, 16 clients (`python -m bench.http_served`)"
COMMANDS_TEXT = (
    f"{COMMANDS_SECTION}\n\n"
    "POST /organisations from 16 client threads (one keep-alive connection each) to"
    " `filieres serve --workers 2 --separate-projection-runner` with `filieres projections"
    " run` beside it, so that commands wait for no view, ÷ the bare library saving"
    " one-event aggregates in-process, each on a fresh PostgreSQL database, same run. The"
    " views-in-process column is `filieres serve --workers 2` alone (each command catches"
    " the views up before answering). Cores: the average number each party kept busy while"
    " the separate-runner load ran (the machine has 2): the client threads, the API's"
    " processes, the PostgreSQL backends of its database, and everything else running on the"
    " machine meanwhile.\n\n"
    "| when (UTC) | machine | store | commands | HTTP /s | bare library /s | ratio"
    " | HTTP with views in-process /s | cores: clients / server / PostgreSQL / others |\n"
    "|---|---|---|---|---|---|---|---|---|\n"
)
LATENCY_SECTION = "## GET /filieres/{id} latency, 16 clients (`python -m bench.http_served`)"
LATENCY_TEXT = (
    f"{LATENCY_SECTION}\n\n"
    "The busiest filière's overview, GET from 16 client threads (one keep-alive connection"
    " each) to `filieres serve --workers 2 --separate-projection-runner` with `filieres"
    " projections run` beside it (the scale deployment), on PostgreSQL, after a warm-up;"
    " the same load on a small and a large generated store, same run.\n\n"
    "| when (UTC) | machine | store | events small / large | GETs each | p50 ms small / large"
    " | p99 ms small / large | GET/s small / large | p50 large ÷ small | p99 small | p99 large"
    " | cores (large): clients / server / PostgreSQL / others |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
)


def _check(load: Load, what: str) -> None:
    if load.failures:
        raise RuntimeError(f"{what}: {len(load.failures)} failed, first: {load.failures[0]}")


def _cores(load: Load) -> str:
    return " / ".join(f"{cores:.2f}" for cores in load.cores())


# (a) commands


def bare_library_rate(url: str, commands: int) -> float:
    """One-event aggregates saved one after the other by the plain library, in this process."""
    app: Application = Application(
        {
            "PERSISTENCE_MODULE": "eventsourcing_sqlalchemy",
            "SQLALCHEMY_URL": normalise_database_url(url),
        }
    )
    try:
        app.save(BareOrganisation(name="warm-up", kind="company"))  # tables, caches
        started = time.perf_counter()
        for i in range(commands):
            app.save(BareOrganisation(name=f"Organisation {i}", kind="company"))
        return commands / (time.perf_counter() - started)
    finally:
        app.close()
        app.factory.datastore.engine.dispose()  # type: ignore[attr-defined]


def register(client: int, i: int) -> tuple[str, str, bytes | None]:
    body = {"name": f"Organisation {client}-{i}", "kind": "company"}
    return "POST", "/organisations", orjson.dumps(body)


def served_commands(separate_runner: bool, logs: Path) -> Load:
    kind = "runner" if separate_runner else "inproc"
    with scratch_database(f"cmd_{kind}") as url:
        token = issue_token(url)
        with served(url, WORKERS, separate_runner, logs) as api:
            warm = hammer(api, token, register, CLIENTS, WARM_UP // CLIENTS, 201)
            _check(warm, "warm-up")
            load = hammer(api, token, register, CLIENTS, COMMANDS // CLIENTS, 201)
            _check(load, "POST /organisations")
    return load


def commands(logs: Path) -> None:
    with scratch_database("bare") as url:
        bare = bare_library_rate(url, COMMANDS)
    separate = served_commands(separate_runner=True, logs=logs)
    in_process = served_commands(separate_runner=False, logs=logs)
    ratio = separate.rate / bare
    out.print(
        f"POST /organisations, 16 clients, 2 workers: {separate.rate:.0f}/s with a separate"
        f" projection runner ({separate.cpu_note()}), {in_process.rate:.0f}/s with the views"
        f" in-process ({in_process.cpu_note()}); bare library {bare:.0f}/s"
    )
    cell = report(COMMANDS_TARGET, ratio, "PostgreSQL, 16 clients, 2 workers, separate runner")
    append_row(
        COMMANDS_SECTION,
        COMMANDS_TEXT,
        f"| {now()} | {machine()} | postgresql | {separate.requests} | {separate.rate:.0f}"
        f" | {bare:.0f} | {cell} | {in_process.rate:.0f} | {_cores(separate)} |",
    )


# (b) reads


def prepared_store(url: str, events: int) -> UUID:
    """Generate `events` events, build the views, return the busiest filière."""
    generate_history(url, events)
    services = build(database_url=url, follow_in_process=False)
    try:
        services.views.rebuild()
        filiere_id, *_ = busiest_filiere(services)
        return UUID(str(filiere_id))
    finally:
        services.close()


def served_reads(events: int, logs: Path) -> Load:
    with scratch_database(f"read_{events}") as url:
        started = time.perf_counter()
        filiere = prepared_store(url, events)
        elapsed = time.perf_counter() - started
        out.print(f"{events} events generated and the views built in {elapsed:.0f} s")
        token = issue_token(url)

        def overview(_client: int, _i: int) -> tuple[str, str, bytes | None]:
            return "GET", f"/filieres/{filiere}", None

        with served(url, WORKERS, True, logs) as api:
            _check(hammer(api, token, overview, CLIENTS, WARM_UP // CLIENTS, 200), "warm-up")
            load = hammer(api, token, overview, CLIENTS, READS // CLIENTS, 200)
            _check(load, f"GET /filieres/{filiere}")
    return load


def reads(logs: Path) -> None:
    small = served_reads(SMALL_STORE, logs)
    large = served_reads(LARGE_STORE, logs)
    for name, load in (("small", small), ("large", large)):
        out.print(
            f"GET /filieres/{{id}}, {name} store: p50 {load.percentile_ms(50):.1f} ms,"
            f" p99 {load.percentile_ms(99):.1f} ms, {load.rate:.0f}/s ({load.cpu_note()})"
        )
    p50 = (small.percentile_ms(50), large.percentile_ms(50))
    p99 = (small.percentile_ms(99), large.percentile_ms(99))
    ratio_cell = report(P50_TARGET, p50[1] / p50[0], f"{SMALL_STORE} / {LARGE_STORE} events")
    small_cell = report(P99_TARGET, p99[0], f"{SMALL_STORE} events")
    large_cell = report(P99_TARGET, p99[1], f"{LARGE_STORE} events")
    append_row(
        LATENCY_SECTION,
        LATENCY_TEXT,
        f"| {now()} | {machine()} | postgresql | {SMALL_STORE} / {LARGE_STORE}"
        f" | {large.requests} | {p50[0]:.1f} / {p50[1]:.1f} | {p99[0]:.1f} / {p99[1]:.1f}"
        f" | {small.rate:.0f} / {large.rate:.0f} | {ratio_cell} | {small_cell} | {large_cell}"
        f" | {_cores(large)} |",
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="filieres_bench_http_") as logs:
        commands(Path(logs))
        reads(Path(logs))


if __name__ == "__main__":
    main()
