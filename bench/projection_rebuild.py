"""Rebuilding every view from the log ÷ the bare library reading and decoding that log.

One synthetic log of BENCH_EVENTS events (seed BENCH_SEED, default 0; 1,000,000
with BENCH_FULL=1) is recorded by `bench.generate.generate_history` into a fresh
store (a SQLite file in a temporary directory, or FILIERES_BENCH_DATABASE_URL,
which must be an empty database), with the views not following. Then, on that
same log:

- the baseline pages through `select_notifications` 500 at a time and decodes
  every notification with the application's mapper (run twice, the better kept);
- the rebuild is `ViewUpdater.rebuild()` over whatever views `build()` wires,
  with the garbage collector tuned as `filieres projections rebuild` tunes it.

Both rates are events in the log ÷ seconds. The timed runs are not traced
(tracemalloc slows the rebuild about fivefold, the decoding about threefold);
each phase then runs once more under `tracemalloc` for its peak of
Python-allocated memory. The peak RSS is the whole process's, recording included.
BENCH_PROFILE=1 also prints the rebuild's top 15 functions by cumulative time.

The ratio is printed beside the scale issue's target (≥ 0.5) and the peak RSS
beside its own (≤ 300 MB at 1,000,000 events). BENCH_FULL=1 skips the traced
runs, which would take hours at that scale.
"""

import cProfile
import multiprocessing
import os
import platform
import pstats
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime

from api.bootstrap import Services, build
from bench.results_file import append_row
from bench.store_cache import recorded_store
from bench.targets import FULL, Target, report
from infrastructure.garbage_collection import rare_collections

EVENTS = int(os.environ.get("BENCH_EVENTS", "1000000" if FULL else "10000"))
SEED = int(os.environ.get("BENCH_SEED", "0"))
PAGE = 500
RATIO = Target("rebuild ÷ read-and-decode", 0.5, at_least=True)
RSS = Target("rebuild peak RSS", 300, at_least=False, unit=" MB")
SECTION = "## Projection rebuild (`python -m bench.projection_rebuild`)"
SECTION_TEXT = (
    f"{SECTION}\n\n"
    "`ViewUpdater.rebuild()` of every view over a synthetic log (calls, candidacies,"
    " projects, funding) ÷ the bare library paging through the same log and decoding each"
    " event, same run; peaks of Python-allocated memory per phase (tracemalloc) and of the"
    " process's RSS.\n\n"
    "| when (UTC) | machine | store | events | rebuild events/s"
    " | bare read-and-decode events/s | ratio | rebuild peak traced MB"
    " | baseline peak traced MB | peak RSS MB |\n"
    "|---|---|---|---|---|---|---|---|---|---|\n"
)


def read_and_decode(services: Services) -> int:
    """The bare library: every notification of the log, decoded to its domain event."""
    app = services.app
    start, count = 0, 0
    while True:
        page = app.recorder.select_notifications(start, PAGE, inclusive_of_start=False)
        for notification in page:
            app.mapper.to_domain_event(notification)
        count += len(page)
        if len(page) < PAGE:
            return count
        start = page[-1].id


def rebuild(services: Services) -> int:
    """As `filieres projections rebuild` runs it."""
    with rare_collections():
        return services.views.rebuild()


def timed(phase: Callable[[Services], int], services: Services, events: int) -> float:
    """Wall-clock seconds; the process's CPU seconds are printed too (the machine may be shared)."""
    started, cpu = time.perf_counter(), time.process_time()
    read = phase(services)
    elapsed = time.perf_counter() - started
    print(f"{phase.__name__}: {elapsed:.2f} s, of which {time.process_time() - cpu:.2f} s CPU here")
    if read != events:
        raise RuntimeError(f"{phase.__name__} read {read} events of the {events} in the log")
    return elapsed


def traced_peak_mb(phase: Callable[[Services], int], services: Services) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        phase(services)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Kilobytes on Linux, bytes on macOS.
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def profile_rebuild(services: Services) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(rebuild, services)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(15)


def backend() -> str:
    url = os.environ.get("FILIERES_BENCH_DATABASE_URL", "sqlite")
    return url.split(":", 1)[0].split("+", 1)[0]


def record(url: str) -> None:
    """The log, by the generator in a child process: the peak RSS measured is then the phases'."""
    started = time.perf_counter()
    child = multiprocessing.get_context("spawn").Process(
        target=recorded_store, args=(url, EVENTS, SEED)
    )
    child.start()
    child.join()
    if child.exitcode != 0:
        sys.exit(f"generating the {EVENTS}-event log failed (exit code {child.exitcode})")
    print(f"recorded {EVENTS} events in {time.perf_counter() - started:.1f} s")


def measure(url: str) -> tuple[int, float, float, float | None, float | None]:
    services = build(database_url=url, follow_in_process=False)
    try:
        if services.app.event_count():
            sys.exit(
                f"{backend()} store at FILIERES_BENCH_DATABASE_URL is not empty; give an empty one"
            )
        record(url)
        events = services.app.event_count()
        baseline = min(timed(read_and_decode, services, events) for _ in range(2))
        rebuilt = timed(rebuild, services, events)
        print(f"timed: read-and-decode {baseline:.2f} s (better of two), rebuild {rebuilt:.1f} s")
        rebuild_mb = baseline_mb = None
        if not FULL:
            started = time.perf_counter()
            baseline_mb = traced_peak_mb(read_and_decode, services)
            rebuild_mb = traced_peak_mb(rebuild, services)
            print(f"traced (tracemalloc) runs of both: {time.perf_counter() - started:.1f} s")
        if os.environ.get("BENCH_PROFILE"):
            profile_rebuild(services)
    finally:
        services.close()
    return events, events / rebuilt, events / baseline, rebuild_mb, baseline_mb


def mb(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        url = os.environ.get("FILIERES_BENCH_DATABASE_URL") or f"sqlite:///{directory}/rebuild.db"
        events, rebuild_rate, baseline_rate, rebuild_mb, baseline_mb = measure(url)
    rss = peak_rss_mb()
    ratio = rebuild_rate / baseline_rate
    print(
        f"rebuild: {rebuild_rate:.0f} events/s; bare read-and-decode: {baseline_rate:.0f}"
        f" events/s\npeak traced: rebuild {mb(rebuild_mb)} MB, baseline {mb(baseline_mb)} MB"
    )
    ratio_cell = report(RATIO, ratio)
    rss_cell = report(RSS, rss)
    append_row(
        SECTION,
        SECTION_TEXT,
        f"| {datetime.now(UTC):%Y-%m-%d %H:%M} | {platform.node()} ({os.cpu_count()} cores,"
        f" Python {platform.python_version()}) | {backend()} | {events} | {rebuild_rate:.0f}"
        f" | {baseline_rate:.0f} | {ratio_cell} | {mb(rebuild_mb)} | {mb(baseline_mb)}"
        f" | {rss_cell} |",
    )


if __name__ == "__main__":
    main()
