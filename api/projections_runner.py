"""`filieres projections run`: follow the log in a process of its own and keep the views current.

On PostgreSQL, one library `ProjectionRunner` per view follows the log by
LISTEN/NOTIFY. SQLite has no subscription, so the views catch up by polling.
"""

import threading
from contextlib import ExitStack
from typing import Any

from eventsourcing.projection import ProjectionRunner

from api.bootstrap import build
from application.filieres_app import FilieresApplication
from infrastructure.persistence import event_store_env
from infrastructure.settings import normalise_database_url
from infrastructure.views.catalogue import VIEWS

POLL_SECONDS = 0.2


def follow_log(database_url: str, stop: threading.Event) -> None:
    """Keep every view current until `stop` is set; raise what a runner raised."""
    services = build(database_url=database_url)  # rebuilds outdated views and catches up
    try:
        if normalise_database_url(services.settings.database_url).startswith("postgresql"):
            _follow_by_notifications(services.settings.database_url, stop)
        else:
            while not stop.is_set():
                services.views.catch_up()
                stop.wait(POLL_SECONDS)
    finally:
        services.close()


def _follow_by_notifications(database_url: str, stop: threading.Event) -> None:
    env = event_store_env(database_url)
    with ExitStack() as stack:
        runners: list[ProjectionRunner[Any, Any]] = []
        for projection_class, view_class in VIEWS:
            runner: ProjectionRunner[Any, Any] = ProjectionRunner(
                application_class=FilieresApplication,
                projection_class=projection_class,
                view_class=view_class,
                env=env,
            )
            stack.callback(_dispose_engine, runner)
            runners.append(stack.enter_context(runner))
        while not stop.is_set():
            for runner in runners:
                runner.run_forever(timeout=0)  # re-raises a runner's error
            stop.wait(POLL_SECONDS)


def _dispose_engine(runner: ProjectionRunner[Any, Any]) -> None:
    """The runner closes its application but leaves its view's engine open."""
    runner.view.datastore.engine.dispose()
