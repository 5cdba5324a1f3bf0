"""`filieres projections run`: follow the log in a process of its own and keep the views current.

On PostgreSQL, the library's LISTEN/NOTIFY subscription to the log wakes the
runner, which then applies everything new to all the views in batches, one
transaction per batch (`ViewUpdater.catch_up`). One subscription rather than
a library `ProjectionRunner` per view: each of those re-read the log after
every notification, which cost more CPU per event than the command itself.
SQLite has no subscription, so there the views catch up by polling.
"""

import logging
import threading

from api.bootstrap import Services, build
from infrastructure.database_unavailable import database_unavailable
from infrastructure.settings import normalise_database_url

logger = logging.getLogger(__name__)
POLL_SECONDS = 0.2
IDLE_CHECK_SECONDS = 5.0
"""On PostgreSQL, a catch-up this often even without a notification, should one be lost."""
RESUME_SECONDS = 1.0
"""After losing the database (a restart, an outage), the pause before following it again."""


def follow_log(database_url: str, stop: threading.Event) -> None:
    """Keep every view current until `stop` is set, through database outages (each waited
    out and followed again); raise any other error."""
    services = build(database_url=database_url)  # rebuilds outdated views and catches up
    try:
        postgres = normalise_database_url(services.settings.database_url).startswith("postgresql")
        while not stop.is_set():
            try:
                if postgres:
                    _follow_by_notifications(services, stop)
                else:
                    services.views.catch_up()
                    stop.wait(POLL_SECONDS)
            except Exception as error:
                if not database_unavailable(error):
                    raise
                # A batch interrupted mid-way was rolled back with its tracking position:
                # following again from the views' positions applies each event once.
                logger.warning(
                    "the database is unavailable (%s); following again in %s s",
                    type(error).__name__,
                    RESUME_SECONDS,
                )
                stop.wait(RESUME_SECONDS)
    finally:
        services.close()


def _follow_by_notifications(services: Services, stop: threading.Event) -> None:
    woken = threading.Event()
    failure: list[BaseException] = []
    start = services.app.recorder.max_notification_id() or 0
    with services.app.recorder.subscribe(gt=start) as subscription:

        def listen() -> None:
            try:
                for _ in subscription:
                    woken.set()
            except BaseException as error:  # re-raised by the loop below
                failure.append(error)
            woken.set()

        listener = threading.Thread(target=listen, name="log-listener", daemon=True)
        listener.start()
        try:
            while not stop.is_set():
                if failure:
                    raise failure[0]
                woken.clear()
                services.views.catch_up()
                if not woken.is_set():
                    _wait_for_either(woken, stop, IDLE_CHECK_SECONDS)
        finally:
            subscription.stop()
            listener.join(timeout=5)


def _wait_for_either(woken: threading.Event, stop: threading.Event, timeout: float) -> None:
    """Until a notification, a stop request or `timeout`, whichever comes first."""
    step = min(POLL_SECONDS, timeout)
    waited = 0.0
    while waited < timeout and not stop.is_set():
        if woken.wait(step):
            return
        waited += step
