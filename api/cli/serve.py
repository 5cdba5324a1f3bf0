"""`filieres serve` and what `make run` does: the API under uvicorn."""

import os
import socket
from typing import Annotated

import typer
import uvicorn
from rich.console import Console

from api.bootstrap import build
from api.cli.failures import CannotCheck
from api.cli.options import DatabaseUrl
from application.roannais_history import record_roannais_history
from infrastructure.auth_store import Role
from infrastructure.settings import Settings

out = Console()

Host = Annotated[str, typer.Option(help="Interface to listen on.")]
Port = Annotated[int, typer.Option(help="TCP port.")]
Workers = Annotated[int, typer.Option(min=1, max=64, help="uvicorn worker processes.")]
SeparateRunner = Annotated[
    bool,
    typer.Option(
        "--separate-projection-runner",
        help="`filieres projections run` keeps the views; workers only wait for them.",
    ),
]


def serve(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    workers: Workers = 1,
    separate_projection_runner: SeparateRunner = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Serve the HTTP API (docs at /docs)."""
    require_free_port(host, port)
    settings = _settings(database_url, separate_projection_runner)
    _prepare(settings)
    _serve(settings, host, port, workers)


def run(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    database_url: DatabaseUrl = None,
) -> None:
    """What `make run` does: load the demo into an empty store, print a token, serve the API."""
    # Before anything is recorded or a token issued: a run that cannot serve leaves no trace.
    require_free_port(host, port)
    settings = _settings(database_url, separate=False)
    services = build(settings)
    try:
        if services.app.event_count() == 0:
            record_roannais_history(services.app)
            out.print(f"Loaded the Roannais history into {settings.database_url}")
        token = services.tokens.issue("make run", Role.ADMIN)
    finally:
        services.close()
    base = f"http://{host}:{port}"
    out.print(f"API on {base} — docs at {base}/docs")
    out.print(f"Admin token for this session (acts as 'make run'):\n{token}", soft_wrap=True)
    out.print(f'Try: curl -H "Authorization: Bearer {token}" {base}/filieres', soft_wrap=True)
    _serve(settings, host, port, workers=1)


def require_free_port(host: str, port: int) -> None:
    """Raise unless uvicorn could listen on `host`:`port` now.

    Bound as uvicorn binds, with SO_REUSEADDR: Linux still refuses a port another
    socket listens on, but accepts one whose last connections linger in TIME_WAIT.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise CannotCheck(
                f"cannot listen on {host}:{port}: {error.strerror or error}. Stop what uses"
                " that port, or choose another with --port"
            ) from None


def _settings(database_url: str | None, separate: bool) -> Settings:
    settings = Settings()
    update: dict[str, object] = {"separate_projection_runner": separate}
    if database_url:
        update["database_url"] = database_url
    return settings.model_copy(update=update)


def _prepare(settings: Settings) -> None:
    """Create the tables and bring the views to their current version once, before any worker,
    so that workers starting together never rebuild a view under each other."""
    build(settings, follow_in_process=not settings.separate_projection_runner).close()


def _serve(settings: Settings, host: str, port: int, workers: int) -> None:
    # Workers are separate processes: they read their settings from the environment.
    os.environ["FILIERES_DATABASE_URL"] = settings.database_url
    os.environ["FILIERES_SEPARATE_PROJECTION_RUNNER"] = str(settings.separate_projection_runner)
    uvicorn.run(
        "api.http.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        # Our httptools protocol: 431 past 16 KiB of headers, 408 for a request too slow.
        http="api.http.edge:GuardedHttpToolsProtocol",
    )
