"""Commands per second through Filières ÷ the bare library saving one-event aggregates.

Both run in this process on the same kind of store (a fresh SQLite file each, or
FILIERES_BENCH_DATABASE_URL for another database), one after the other, so the
ratio says what the domain checks, pydantic events and metadata cost.
"""

import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from api.bootstrap import build
from application.context import CommandContext
from application.filieres_app import FilieresApplication
from application.organisation_commands import RegisterOrganisation
from infrastructure.persistence import event_store_env
from infrastructure.settings import normalise_database_url

RESULTS = Path(__file__).with_name("RESULTS.md")
COMMANDS = int(os.environ.get("BENCH_COMMANDS", "500"))


class BareOrganisation(Aggregate):
    @event("Registered")
    def __init__(self, name: str, kind: str) -> None:
        self.name = name
        self.kind = kind


def bare_library(url: str) -> Callable[[int], None]:
    app: Application = Application(
        {
            "PERSISTENCE_MODULE": "eventsourcing_sqlalchemy",
            "SQLALCHEMY_URL": normalise_database_url(url),
        }
    )
    return lambda i: app.save(BareOrganisation(name=f"Organisation {i}", kind="company"))


def filieres(url: str) -> Callable[[int], None]:
    app = FilieresApplication(event_store_env(url))
    ctx = CommandContext(actor="bench")
    return lambda i: app.register_organisation(
        ctx,
        RegisterOrganisation(
            name=f"Organisation {i}", kind="company", registered_on=date(2010, 1, 1)
        ),
    )


def filieres_with_views(url: str) -> Callable[[int], None]:
    """The same command with the five views kept current in-process after each one."""
    app = build(database_url=url).app
    ctx = CommandContext(actor="bench")
    return lambda i: app.register_organisation(
        ctx,
        RegisterOrganisation(
            name=f"Organisation {i}", kind="company", registered_on=date(2010, 1, 1)
        ),
    )


def rate(make: Callable[[str], Callable[[int], None]], directory: str, name: str) -> float:
    url = os.environ.get("FILIERES_BENCH_DATABASE_URL") or f"sqlite:///{directory}/{name}.db"
    command = make(url)
    command(-1)  # create tables and warm up outside the timing
    started = time.perf_counter()
    for i in range(COMMANDS):
        command(i)
    return COMMANDS / (time.perf_counter() - started)


def backend() -> str:
    url = os.environ.get("FILIERES_BENCH_DATABASE_URL", "sqlite")
    return url.split(":", 1)[0].split("+", 1)[0]


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        baseline = rate(bare_library, directory, "bare")
        measured = rate(filieres, directory, "filieres")
        with_views = rate(filieres_with_views, directory, "filieres_views")
    ratio = measured / baseline
    line = (
        f"| {datetime.now(UTC):%Y-%m-%d %H:%M} | {platform.node()} ({os.cpu_count()} cores,"
        f" Python {platform.python_version()}) | {backend()} | {COMMANDS} | {measured:.0f}"
        f" | {baseline:.0f}"
        f" | {ratio:.2f} | {with_views:.0f} |"
    )
    print(
        f"register_organisation: {measured:.0f}/s; bare library: {baseline:.0f}/s;"
        f" ratio {ratio:.2f}; with the views kept in-process: {with_views:.0f}/s"
    )
    if not RESULTS.exists():
        RESULTS.write_text(
            "# Benchmark results\n\n"
            "## Command throughput, one process (`python -m bench.command_throughput`)\n\n"
            "Filières `register_organisation` (pydantic event, metadata, one transaction per"
            " command) ÷ the bare library saving a one-event aggregate, same run.\n\n"
            "| when (UTC) | machine | store | commands | Filières /s | bare library /s | ratio"
            " | Filières with views in-process /s |\n"
            "|---|---|---|---|---|---|---|---|\n"
        )
    with RESULTS.open("a") as results:
        results.write(line + "\n")


if __name__ == "__main__":
    sys.exit(main())
