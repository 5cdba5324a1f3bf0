"""`filieres projections rebuild | status | run`."""

import json
import signal
import threading
import time
from dataclasses import asdict, dataclass
from types import FrameType

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from api.bootstrap import build
from api.cli.options import DatabaseUrl, ListingFormat, TableOrJson
from api.cli.projections_runner import follow_log
from api.cli.read_side import remote
from api.cli.remote import ApiToken, ApiUrl
from api.cli.tables import fitted_table
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


@dataclass(frozen=True)
class ViewLine:
    """A view's status as printed; a server's /health does not give versions."""

    name: str
    version: int | None
    stored_version: int | None
    position: int
    lag: int


@projections_app.command()
def status(
    output: ListingFormat = TableOrJson.TABLE,
    database_url: DatabaseUrl = None,
    api: ApiUrl = None,
    token: ApiToken = None,
) -> None:
    """Each view's version, position in the log and lag (events it has still to apply).

    With --api, the server's /health answers: positions and lags, not versions.
    """
    last, views = _remote_status(api, token) if api else _local_status(database_url)
    if output is TableOrJson.JSON:
        answer = {"log_end": last, "views": [asdict(view) for view in views]}
        typer.echo(json.dumps(answer, indent=2))
        return
    rows = [
        (
            view.name,
            _version(view),
            str(view.position),
            str(view.lag),
        )
        for view in views
    ]
    title = f"Views — the log ends at position {last}"
    header = ("view", "version", "position", "lag")
    out.print(fitted_table(out, title, header, rows, right=header[1:]))


def _local_status(database_url: str | None) -> tuple[int, list[ViewLine]]:
    services = build(database_url=database_url, follow_in_process=False, existing_store=True)
    try:
        views = [ViewLine(**asdict(view)) for view in services.views.status()]
        return services.app.recorder.max_notification_id() or 0, views
    finally:
        services.close()


def _remote_status(api: str, token: str | None) -> tuple[int, list[ViewLine]]:
    with remote(api, token) as server:
        health = server.health()
    views = [
        ViewLine(name=v.name, version=None, stored_version=None, position=v.position, lag=v.lag)
        for v in health.projections
    ]
    return health.events, views


def _version(view: ViewLine) -> str:
    if view.version is None:
        return "—"
    if view.stored_version != view.version:
        return f"{view.version} (tables built at {view.stored_version}: rebuilt at next start)"
    return str(view.version)


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
