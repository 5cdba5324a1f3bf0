"""`filieres projections rebuild | status | run`."""

import signal
import threading
import time
from types import FrameType

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from api.bootstrap import build
from api.cli.options import DatabaseUrl
from api.cli.projections_runner import follow_log
from infrastructure.garbage_collection import rare_collections

projections_app = typer.Typer(help="The views built from the log.", no_args_is_help=True)
out = Console()


@projections_app.command()
def rebuild(database_url: DatabaseUrl = None) -> None:
    """Drop every view and its position, then apply the whole log again.

    Stop `filieres projections run` (and API workers) first: they would write to
    tables being dropped.
    """
    services = build(database_url=database_url, follow_in_process=False)
    try:
        total = services.app.recorder.max_notification_id() or 0
        started = time.perf_counter()
        with Progress(
            TextColumn("[bold]rebuilding views"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:>8.0f} events/s"),
            TimeElapsedColumn(),
            console=out,
        ) as progress:
            task = progress.add_task("rebuild", total=total, rate=0.0)

            def advance(count: int) -> None:
                done = progress.tasks[task].completed + count
                rate = done / max(time.perf_counter() - started, 1e-9)
                progress.update(task, completed=done, rate=rate)

            with rare_collections():
                applied = services.views.rebuild(progress=advance)
        elapsed = time.perf_counter() - started
        out.print(
            f"Rebuilt {len(services.views.views)} views from {applied} events"
            f" in {elapsed:.1f} s ({applied / max(elapsed, 1e-9):.0f} events/s)."
        )
    finally:
        services.close()


@projections_app.command()
def status(database_url: DatabaseUrl = None) -> None:
    """Each view's version, position in the log and lag (events it has still to apply)."""
    services = build(database_url=database_url, follow_in_process=False)
    try:
        last = services.app.recorder.max_notification_id() or 0
        table = Table(title=f"Views — the log ends at position {last}")
        for column in ("view", "version", "position", "lag"):
            table.add_column(column, justify="left" if column == "view" else "right")
        for view in services.views.status():
            version = str(view.version)
            if view.stored_version != view.version:
                version += f" (tables built at {view.stored_version}: rebuilt at next start)"
            table.add_row(view.name, version, str(view.position), str(view.lag))
        out.print(table)
    finally:
        services.close()


@projections_app.command()
def run(database_url: DatabaseUrl = None) -> None:
    """Follow the log and keep the views current until interrupted (Ctrl-C or SIGTERM)."""
    stop = threading.Event()

    def request_stop(_signal: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    out.print("Following the log; the views stay current until interrupted.")
    follow_log(database_url or "", stop)
    out.print("Stopped.")
