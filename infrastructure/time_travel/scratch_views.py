"""A view's own SQL tables in a private in-memory SQLite database, to fold a history into.

The same view definition and store as the stored view, so a historical read is
built by the very code that builds today's. SQLite can serialise such a database to bytes,
which is what a view snapshot stores.
"""

import sqlite3

from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore
from sqlalchemy import Engine

from application.projections.view import View
from infrastructure.views.view_store import SQLAlchemyViewStore


class ScratchView:
    """One view on its own in-memory database; `store` is where to fold events into."""

    def __init__(self, view: View, snapshot: bytes | None = None) -> None:
        self._connection = sqlite3.connect(":memory:", check_same_thread=False)
        if snapshot is not None:
            self._connection.deserialize(snapshot)
        connection = self._connection
        self.datastore = SQLAlchemyDatastore(url="sqlite:///:memory:", creator=lambda: connection)
        self.store = SQLAlchemyViewStore(self.datastore, view)
        self.store.create_table()

    def snapshot(self) -> bytes:
        return self._connection.serialize()

    def close(self) -> None:
        engine = self.datastore.engine
        assert isinstance(engine, Engine)
        engine.dispose()
        self._connection.close()
