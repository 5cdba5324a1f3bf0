"""Keeping the views current by reading the log from each view's position.

The library gives SQLite no subscription, so this catch-up is how views follow
a SQLite log: in-process after each command and at start, or in a loop in
`filieres projections run`. On PostgreSQL the same catch-up serves a process
that keeps its own views current, and the library's `ProjectionRunner`
follows the log by LISTEN/NOTIFY in `filieres projections run`. The views'
locked tracking rows keep every event applied once whichever process gets
there first.
"""

import threading
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from typing import cast
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, Notification, Tracking

from application.projections.view import ViewProjection, ViewStore
from domain.base import DomainEvent

BATCH = 500
MAX_CONFLICTS = 3
ProgressCallback = Callable[[int], None]


@dataclass(frozen=True)
class LogPositions:
    """The log's last position and each view's, read together."""

    last: int
    views: tuple[int, ...]
    """In the projections' order."""
    builds: object = None
    """Changes whenever a view is rebuilt (None when the reader cannot tell)."""


PositionsReader = Callable[[], LogPositions]


@dataclass(frozen=True)
class ViewStatus:
    name: str
    version: int
    stored_version: int | None
    """The version the stored tables were built with; differs from `version` until a restart."""
    position: int
    lag: int
    """Events in the log after the view's position that the view has to apply."""


class ViewUpdater:
    """Applies the log's new events to every view; one batch is one transaction for all views.

    The views must share the application's datastore: the library's
    transactions nest per thread, so the views' writes, their tracking rows
    and the log read join one transaction.
    """

    def __init__(
        self,
        app: Application[UUID],
        projections: Sequence[ViewProjection],
        batch_size: int = BATCH,
        positions: PositionsReader | None = None,
    ) -> None:
        """`positions` reads the log's end and the views' positions at once; by default each
        is asked for separately."""
        self.app = app
        self._read_positions = positions or self._positions_one_by_one
        self.projections = list(projections)
        self._topics = [frozenset(p.topics) for p in self.projections]
        self.batch_size = batch_size
        self._lock = threading.Lock()

    @property
    def views(self) -> list[ViewStore]:
        return [p.view for p in self.projections]

    def start(self) -> list[str]:
        """Rebuild the views whose stored version differs from the code's; then catch up.

        A view never built (a new store) has its tables just created empty: it is
        only marked with its version, not dropped, so that processes starting
        together on a new store (API workers, the runner) do not drop tables
        under each other. Returns the names of the views rebuilt.
        """
        stored = {v.name: v.stored_version() for v in self.views}
        rebuilt = [v.name for v in self.views if stored[v.name] not in (None, v.version)]
        for view in self.views:
            if view.name in rebuilt:
                view.reset()
            elif stored[view.name] is None:
                view.record_version()
        self.catch_up()
        return rebuilt

    def rebuild(self, progress: ProgressCallback | None = None) -> int:
        """Drop every view and apply the whole log again."""
        with self._lock:
            for view in self.views:
                view.reset()
        return self.catch_up(progress)

    def catch_up(
        self,
        progress: ProgressCallback | None = None,
        until: int | None = None,
        check_first: bool = True,
    ) -> int:
        """Apply every event recorded after the views' positions; return how many were read.

        `until`, when the caller knows the position it needs (its command's, say),
        saves reading the log's end to tell whether there is anything to do;
        `check_first=False` skips that check when there surely is (after a command).
        """
        read = 0
        with self._lock:
            if check_first and self._up_to_date(until):
                return 0
            conflicts = 0
            while True:
                try:
                    count, more = self._apply_one_batch()
                except IntegrityError:
                    # Another process recorded a view's first position at the same moment;
                    # a conflict that persists is a bug in a view and must surface.
                    conflicts += 1
                    if conflicts > MAX_CONFLICTS:
                        raise
                    continue
                read += count
                if progress is not None and count:
                    progress(count)
                if not more:
                    return read

    def positions(self) -> LogPositions:
        return self._read_positions()

    def _positions_one_by_one(self) -> LogPositions:
        last = self.app.recorder.max_notification_id() or 0
        return LogPositions(last, tuple(v.max_tracking_id(self.app.name) or 0 for v in self.views))

    def _up_to_date(self, until: int | None = None) -> bool:
        """Cheap check without locks, so that readers do not queue behind writers for nothing."""
        read = self.positions()
        target = until if until is not None else read.last
        return all(position >= target for position in read.views)

    def _apply_one_batch(self) -> tuple[int, bool]:
        name = self.app.name
        with ExitStack() as stack:
            batches = [stack.enter_context(p.view.batch(name)) for p in self.projections]
            start = min(b.position for b in batches)
            page = self.app.recorder.select_notifications(
                start=start, limit=self.batch_size, inclusive_of_start=False
            )
            for notification in page:
                wanting = [
                    p
                    for p, batch, wanted in zip(
                        self.projections, batches, self._topics, strict=True
                    )
                    if notification.id > batch.position and notification.topic in wanted
                ]
                if wanting:
                    event = cast(DomainEvent, self.app.mapper.to_domain_event(notification))
                    tracking = Tracking(name, notification.id)
                    for projection in wanting:
                        projection.process_event(event, tracking)
            if page:
                for batch in batches:
                    batch.advance_to(page[-1].id)
        return len(page), len(page) == self.batch_size

    def wait_for(
        self, position: int | None = None, timeout: float = 5.0, catch_up: bool = True
    ) -> LogPositions | None:
        """Block until every view reflects the log up to `position` (read-your-writes).

        Without `position`, up to the log's end as it is now. With `catch_up`, this
        process applies what is missing itself; otherwise another process (the
        runner) is expected to. TimeoutError after `timeout`. Returns the positions
        read when the views were already there, None when it had to wait.
        """
        deadline = time.monotonic() + timeout
        pause = 0.005
        while True:
            read = self.positions()
            if position is None:
                position = read.last
            lagging = [
                p for p, at in zip(self.projections, read.views, strict=True) if at < position
            ]
            if not lagging:
                return read
            if catch_up:
                self.catch_up(until=position, check_first=False)
            if all(self._reflects(p, position) for p in lagging):
                return None
            if time.monotonic() >= deadline:
                raise TimeoutError(f"the views did not reach log position {position} in {timeout}s")
            time.sleep(pause)
            pause = min(pause * 2, 0.1)

    def _reflects(self, projection: ViewProjection, position: int) -> bool:
        """True when no event up to `position` that the view handles is still to be applied."""
        current = projection.view.max_tracking_id(self.app.name) or 0
        if current >= position:
            return True
        return not self._handled_after(projection, current, position, limit=1)

    def status(self) -> list[ViewStatus]:
        last = self.app.recorder.max_notification_id() or 0
        statuses = []
        for projection in self.projections:
            view = projection.view
            position = view.max_tracking_id(self.app.name) or 0
            statuses.append(
                ViewStatus(
                    name=view.name,
                    version=view.version,
                    stored_version=view.stored_version(),
                    position=position,
                    lag=self._count_after(projection, position, last),
                )
            )
        return statuses

    def _count_after(self, projection: ViewProjection, position: int, last: int) -> int:
        count, start = 0, position
        while start < last:
            page = self._handled_after(projection, start, last, limit=10_000)
            count += len(page)
            if len(page) < 10_000:
                break
            start = page[-1].id
        return count

    def _handled_after(
        self, projection: ViewProjection, start: int, stop: int, limit: int
    ) -> Sequence[Notification]:
        """The events after `start`, up to `stop`, that the view handles: `limit` at most."""
        return self.app.recorder.select_notifications(
            start=start, stop=stop, limit=limit, topics=projection.topics, inclusive_of_start=False
        )
