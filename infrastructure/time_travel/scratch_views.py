"""A view's own SQL tables in a private in-memory SQLite database, to fold a history into.

The same view definition and store as the stored view, so a historical read is
built by the very code that builds today's. SQLite can serialise such a database to bytes,
which is what a view snapshot stores.

Scratch views are reused through `ScratchViews`: creating a view's tables and
compiling its statements for a new engine cost more than most folds, and a
page comparing two days folds a dozen histories.
"""

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore
from sqlalchemy import Engine

from application.projections.view import View
from infrastructure.views.view_store import SQLAlchemyViewStore

IDLE_PER_VIEW = 4
"""Scratch views kept for reuse per view: about as many as requests fold at once."""


class ScratchView:
    """One view on its own in-memory database; `store` is where to fold events into."""

    def __init__(self, view: View) -> None:
        self._connection = sqlite3.connect(":memory:", check_same_thread=False)
        connection = self._connection
        self.datastore = SQLAlchemyDatastore(url="sqlite:///:memory:", creator=lambda: connection)
        self.store = SQLAlchemyViewStore(self.datastore, view)
        self.store.create_table()
        self._empty = self._connection.serialize()

    def load(self, snapshot: bytes | None) -> None:
        """Hold `snapshot`'s rows, or none: whatever was folded here before is gone."""
        self._connection.deserialize(self._empty if snapshot is None else snapshot)
        if snapshot is not None:
            self.store.create_table()  # a snapshot of an older build may lack a newer table

    def snapshot(self) -> bytes:
        return self._connection.serialize()

    def close(self) -> None:
        engine = self.datastore.engine
        assert isinstance(engine, Engine)
        engine.dispose()
        self._connection.close()


class ScratchViews:
    """Scratch views lent one request at a time and kept, emptied, for the next fold."""

    def __init__(self) -> None:
        self._idle: dict[tuple[str, int], list[ScratchView]] = {}
        self._lock = threading.Lock()

    @contextmanager
    def borrowed(self, view: View, snapshot: bytes | None = None) -> Iterator[ScratchView]:
        """A scratch view of `view` holding `snapshot` (or nothing), for this fold alone."""
        key = (view.name, view.version)
        with self._lock:
            idle = self._idle.setdefault(key, [])
            scratch = idle.pop() if idle else None
        if scratch is None:
            scratch = ScratchView(view)
        try:
            scratch.load(snapshot)
            yield scratch
        except BaseException:
            scratch.close()  # it may hold a half-folded batch: not worth reusing
            raise
        with self._lock:
            if len(idle) < IDLE_PER_VIEW:
                idle.append(scratch)
                return
        scratch.close()
