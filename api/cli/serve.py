"""`filieres serve` and what `make run` does: the API under uvicorn."""

import os
from typing import Annotated

import typer
import uvicorn
from rich.console import Console

from api.bootstrap import build
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
    settings = _settings(database_url, separate_projection_runner)
    _prepare(settings)
    _serve(settings, host, port, workers)


def run(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    database_url: DatabaseUrl = None,
) -> None:
    """What `make run` does: load the demo into an empty store, print a token, serve the API."""
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
    )
