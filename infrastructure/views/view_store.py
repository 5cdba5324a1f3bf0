"""Every view as SQL tables beside the library's tracking table, updated exactly once per event.

Each update runs in the datastore's transaction together with the tracking
row, which is locked first: two processes following the same log (an API
worker catching up and `filieres projections run`) then wait for each other
instead of applying an event twice, and an event already applied is skipped.
The handlers change rows through `PendingRows`: within a batch the changes
of all its events are written together at its end, a few statements per table
instead of several per event. One class serves every view: the view's
definition gives its name, version and tables.
"""

import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore
from eventsourcing_sqlalchemy.recorders import SQLAlchemyTrackingRecorder
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy import exc as sql_errors

from application.projections.rows import Reader
from application.projections.view import Handler, View, ViewBatch, ViewStore
from domain.base import DomainEvent
from infrastructure.schema import create_tables
from infrastructure.views.column_types import UtcDateTime
from infrastructure.views.pending_rows import PendingRows, table_statements
from infrastructure.views.sql_reader import SQLReader
from infrastructure.views.sql_tables import sql_tables

VERSIONS = Table(
    "filieres_view_versions",
    MetaData(),
    Column("view_name", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("built_at", UtcDateTime, nullable=False),
)


class SQLAlchemyViewBatch(ViewBatch):
    def __init__(self, position: int, rows: PendingRows) -> None:
        self.position = position
        self.reached = position
        self.rows = rows

    def advance_to(self, position: int) -> None:
        self.reached = max(self.reached, position)


class SQLAlchemyViewStore(SQLAlchemyTrackingRecorder, ViewStore):
    """The store of any view: its tables are the view definition's, in SQL."""

    def __init__(
        self,
        datastore: SQLAlchemyDatastore,
        definition: View,
        *,
        tracking_table_name: str | None = None,
        schema_name: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.definition = definition
        with warnings.catch_warnings():
            # Every view's tracking record class has the library's one class name.
            warnings.filterwarnings("ignore", "This declarative base already contains a class")
            super().__init__(
                datastore,
                tracking_table_name=tracking_table_name or f"{definition.name}_tracking",
                schema_name=schema_name,
                **kwargs,
            )
        self.sql_tables = sql_tables(definition)
        self.tables.extend(self.sql_tables.values())
        self._statements = {
            table: table_statements(sql_table) for table, sql_table in self.sql_tables.items()
        }
        # Per thread: a batch belongs to the thread whose transaction it runs in.
        self._batches = threading.local()
        # The tracking row through prebuilt Core statements: the library's ORM queries
        # cost more than the rest of a catch-up after one command.
        tracking = self.tracking_table
        mine = tracking.c.application_name == bindparam("b_application")
        self._lock_position = (
            update(tracking)
            .where(mine)
            .values(notification_id=tracking.c.notification_id)
            .returning(tracking.c.notification_id)
        )
        self._read_position = select(tracking.c.notification_id).where(mine)
        self._move_position = (
            update(tracking).where(mine).values(notification_id=bindparam("b_position"))
        )
        self._first_position = insert(tracking)

    # Writing
    def apply(self, tracking: Tracking, handler: Handler, event: DomainEvent) -> None:
        batch: SQLAlchemyViewBatch | None = getattr(self._batches, "current", None)
        if batch is not None:
            if tracking.notification_id > batch.position:
                handler(event, batch.rows, tracking)
                batch.advance_to(tracking.notification_id)
            return
        with self.transaction(commit=True) as session:
            connection = session.connection()
            application_name = tracking.application_name
            position = self._locked_position(connection, application_name)
            if tracking.notification_id <= (position or 0):
                return
            rows = PendingRows(connection, self._statements)
            handler(event, rows, tracking)
            rows.flush()
            self._record_position(
                connection, application_name, tracking.notification_id, first=position is None
            )

    @contextmanager
    def batch(self, application_name: str) -> Iterator[ViewBatch]:
        with self.transaction(commit=True) as session:
            connection = session.connection()
            position = self._locked_position(connection, application_name)
            batch = SQLAlchemyViewBatch(position or 0, PendingRows(connection, self._statements))
            self._batches.current = batch
            try:
                yield batch
            finally:
                self._batches.current = None
            batch.rows.flush()
            if batch.reached > batch.position:
                self._record_position(
                    connection, application_name, batch.reached, first=position is None
                )

    def _locked_position(self, connection: Connection, application_name: str) -> int | None:
        """The view's position (None before its first), its tracking row locked until commit.

        A write, not SELECT ... FOR UPDATE: SQLite ignores FOR UPDATE and would
        read the position outside the transaction; an UPDATE takes its write
        lock first, and on PostgreSQL locks the row just the same.
        """
        found = connection.execute(
            self._lock_position, {"b_application": application_name}
        ).scalar()
        return None if found is None else int(found)

    def _record_position(
        self, connection: Connection, application_name: str, position: int, first: bool
    ) -> None:
        """Move the view's position; the first one inserts its tracking row."""
        if not first:
            connection.execute(
                self._move_position, {"b_application": application_name, "b_position": position}
            )
            return
        try:
            connection.execute(
                self._first_position,
                {"application_name": application_name, "notification_id": position},
            )
        except sql_errors.IntegrityError as error:
            # Another process recorded this view's first position at the same moment.
            raise IntegrityError(error) from error

    def max_tracking_id(self, application_name: str) -> int | None:
        with self.transaction(commit=False) as session:
            found = (
                session.connection()
                .execute(self._read_position, {"b_application": application_name})
                .scalar()
            )
        return None if found is None else int(found)

    # Lifecycle
    def create_table(self) -> None:
        engine = self.datastore.engine
        assert isinstance(engine, Engine)
        create_tables(engine, [*self.tables, self.tracking_table, VERSIONS])

    def stored_version(self) -> int | None:
        with self.transaction(commit=False) as session:
            found = session.execute(
                select(VERSIONS.c.version).where(VERSIONS.c.view_name == self.name)
            ).scalar()
        return None if found is None else int(found)

    def record_version(self) -> None:
        mine = VERSIONS.c.view_name == self.name
        try:
            with self.transaction(commit=True) as session:
                if session.execute(select(VERSIONS.c.version).where(mine)).first() is None:
                    session.execute(
                        insert(VERSIONS).values(
                            view_name=self.name, version=self.version, built_at=datetime.now(UTC)
                        )
                    )
        except IntegrityError:
            pass  # another process starting at the same moment recorded it

    def reset(self) -> None:
        with self.transaction(commit=True) as session:
            connection = session.connection()
            for table in reversed(self.sql_tables.values()):
                table.drop(connection, checkfirst=True)
            self.tracking_table.drop(connection, checkfirst=True)
            VERSIONS.create(connection, checkfirst=True)
            self.tracking_table.create(connection)
            for table in self.sql_tables.values():
                table.create(connection)
            session.execute(delete(VERSIONS).where(VERSIONS.c.view_name == self.name))
            session.execute(
                insert(VERSIONS).values(
                    view_name=self.name, version=self.version, built_at=datetime.now(UTC)
                )
            )

    # Reading
    def table_contents(self) -> dict[str, list[tuple[object, ...]]]:
        with self.transaction(commit=False) as session:
            return {
                table.name: [
                    tuple(row) for row in session.execute(select(table).order_by(*_ordering(table)))
                ]
                for table in self.sql_tables.values()
            }

    @contextmanager
    def reading(self) -> Iterator[Reader]:
        with self.transaction(commit=False) as session:
            yield SQLReader(session.connection(), self.sql_tables)


def _ordering(table: Table) -> list[Column[Any]]:
    """The primary key, or every column when a table has none."""
    return list(table.primary_key.columns) or list(table.columns)
