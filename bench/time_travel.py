"""A filière's overview as of a day ÷ today's overview read from its view.

One synthetic log of BENCH_EVENTS events (seed BENCH_SEED) is recorded through
the commands into a fresh store (SQLite in a temporary directory, or
FILIERES_BENCH_DATABASE_URL, an empty database), and the views catch up. On
the filière with the most events, each query runs BENCH_REPEAT times and its
median is kept:

- today: `ReadModels.filiere_overview(id)`, the current view (the baseline);
- cold: as of the last day, folded from the first event, snapshots disabled;
- warm: as of the last day and as of a day mid-history, with the snapshots
  that earlier queries left (the first warm-up query is not timed).

The question the audit issue asks: a historical read must not replay the whole
log. The scale issue sets the target (≤ 250 ms median at 1M events).
"""

import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from uuid import UUID

from sqlalchemy import func, select

from api.bootstrap import Services, build
from application.projections.time_travel import Cutoff
from bench.results_file import append_row
from bench.synthetic_history import record_synthetic_history
from infrastructure.time_travel.historical_views import SQLAlchemyHistoricalViews
from infrastructure.views.event_index_tables import EVENT_INDEX

EVENTS = int(os.environ.get("BENCH_EVENTS", "10000"))
SEED = int(os.environ.get("BENCH_SEED", "0"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
SECTION = "## Time travel (`python -m bench.time_travel`)"
SECTION_TEXT = (
    f"{SECTION}\n\n"
    "A filière's overview as of a day (folded from the indexed events by the views' own"
    " code) ÷ today's overview read from its view, medians on the filière with the most"
    " events; cold = no snapshot, warm = from the snapshots earlier queries left.\n\n"
    "| when (UTC) | machine | store | events | filière events | today ms | cold as-of ms"
    " | warm as-of ms (last day) | warm as-of ms (mid-history) | warm ÷ today |\n"
    "|---|---|---|---|---|---|---|---|---|---|\n"
)


def median_ms(query: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        query()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def busiest_filiere(services: Services) -> tuple[UUID, int, date, date]:
    """The filière with the most indexed events, its count, and its first and last days."""
    i = EVENT_INDEX.c
    with services.app.factory.datastore.transaction(commit=False) as session:  # type: ignore[attr-defined]
        row = session.execute(
            select(i.filiere_id, func.count(), func.min(i.visible_on), func.max(i.visible_on))
            .where(i.filiere_id.is_not(None))
            .group_by(i.filiere_id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
    return row[0], row[1], row[2], row[3]


def backend() -> str:
    url = os.environ.get("FILIERES_BENCH_DATABASE_URL", "sqlite")
    return url.split(":", 1)[0].split("+", 1)[0]


def measure(url: str) -> tuple[int, int, float, float, float, float]:
    services = build(database_url=url, follow_in_process=False)
    try:
        if services.app.event_count():
            raise SystemExit("FILIERES_BENCH_DATABASE_URL is not empty; give an empty database")
        record_synthetic_history(services.app, EVENTS, seed=SEED)
        services.views.catch_up()
        events = services.app.event_count()
        filiere, filiere_events, first, last = busiest_filiere(services)
        mid = first + (last - first) / 2
        read = services.read_models
        app = services.app
        cold = SQLAlchemyHistoricalViews(
            app.factory.datastore,  # type: ignore[attr-defined]
            app.recorder.events_record_cls.__table__,  # type: ignore[attr-defined]
            app.mapper,
            snapshot_every=10**12,
            seal_key=services.secret,
        )
        today = median_ms(lambda: read.filiere_overview(filiere))
        cold_ms = median_ms(lambda: cold.overview(filiere, Cutoff(as_of=last)))
        for day in (mid, last):  # leave the snapshots a first query would
            read.filiere_overview(filiere, Cutoff(as_of=day))
        warm_last = median_ms(lambda: read.filiere_overview(filiere, Cutoff(as_of=last)))
        warm_mid = median_ms(lambda: read.filiere_overview(filiere, Cutoff(as_of=mid)))
        assert read.filiere_overview(filiere, Cutoff(as_of=last)) == cold.overview(
            filiere, Cutoff(as_of=last)
        )
    finally:
        services.close()
    return events, filiere_events, today, cold_ms, warm_last, warm_mid


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        url = os.environ.get("FILIERES_BENCH_DATABASE_URL") or f"sqlite:///{directory}/tt.db"
        events, filiere_events, today, cold, warm_last, warm_mid = measure(url)
    ratio = warm_last / today
    print(
        f"{events} events, busiest filière {filiere_events}: today {today:.1f} ms,"
        f" cold as-of {cold:.1f} ms, warm as-of {warm_last:.1f} ms (last day),"
        f" {warm_mid:.1f} ms (mid-history); warm ÷ today {ratio:.1f}"
    )
    append_row(
        SECTION,
        SECTION_TEXT,
        f"| {datetime.now(UTC):%Y-%m-%d %H:%M} | {platform.node()} ({os.cpu_count()} cores,"
        f" Python {platform.python_version()}) | {backend()} | {events} | {filiere_events}"
        f" | {today:.1f} | {cold:.1f} | {warm_last:.1f} | {warm_mid:.1f} | {ratio:.1f} |",
    )


if __name__ == "__main__":
    main()
