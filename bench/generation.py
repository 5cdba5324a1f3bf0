"""How fast `bench.generate` fills a store ÷ the same commands saved one at a time.

Quick: 20,000 events on SQLite and PostgreSQL, and the seconds a million
would take at that rate (projected: the target is measured by BENCH_FULL=1,
which records 1,000,000 events on each). The baseline records the first
5,000 events of the same programme one command per transaction, as the API
does, in the same run.
"""

import resource
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

from application.filieres_app import FilieresApplication
from bench.generate import generate_history
from bench.results_file import append_row
from bench.served_api import scratch_database
from bench.store_cache import keep
from bench.synthetic_history import record_synthetic_history
from bench.targets import FULL, Target, machine, now, out, report, store_kind
from infrastructure.persistence import event_store_env

EVENTS = 1_000_000 if FULL else 20_000
ONE_BY_ONE_EVENTS = 5_000
MILLION_SECONDS = Target("1,000,000 events generated in", 600, at_least=False, unit=" s")
SECTION = "## Generating a store (`python -m bench.generation`)"
SECTION_TEXT = (
    f"{SECTION}\n\n"
    "The synthetic programme recorded through the commands, many to a transaction, ÷ the"
    " same commands one per transaction; seconds for a million events (measured at"
    " 1,000,000, projected from the rate below that).\n\n"
    "| when (UTC) | machine | store | events | generator events/s | one by one events/s"
    " | ratio | seconds for 1M | peak RSS MB |\n"
    "|---|---|---|---|---|---|---|---|---|\n"
)


@contextmanager
def store(kind: str, directory: str, name: str) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{directory}/{name}.db"
    else:
        with scratch_database(name) as url:
            yield url


def one_by_one_rate(url: str) -> float:
    app = FilieresApplication(event_store_env(url))
    try:
        started = time.perf_counter()
        record_synthetic_history(app, ONE_BY_ONE_EVENTS)
        return ONE_BY_ONE_EVENTS / (time.perf_counter() - started)
    finally:
        app.close()
        app.factory.datastore.engine.dispose()  # type: ignore[attr-defined]


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        for kind in ("sqlite", "postgresql"):
            with store(kind, directory, "one_by_one") as url:
                baseline = one_by_one_rate(url)
            with store(kind, directory, "generated") as url:
                generated = generate_history(url, EVENTS, show_progress=True)
                rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                keep(url, EVENTS, seed=0)
            seconds = generated.seconds if FULL else 1_000_000 / generated.rate
            out.print(f"{kind}: {generated.rate:.0f} events/s batched, {baseline:.0f} one by one")
            cell = report(
                MILLION_SECONDS, seconds, f"{kind}, {'measured' if FULL else 'projected'}"
            )
            append_row(
                SECTION,
                SECTION_TEXT,
                f"| {now()} | {machine()} | {store_kind(url)} | {generated.events}"
                f" | {generated.rate:.0f} | {baseline:.0f} | {generated.rate / baseline:.1f}"
                f" | {cell}{'' if FULL else ' projected'} | {rss:.0f} |",
            )


if __name__ == "__main__":
    main()
