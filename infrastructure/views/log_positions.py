"""The log's end and every view's position, read in one statement.

A read that must reflect the log (read-your-writes) compares the two before
each query. Asked one by one, through the library's ORM, that was seven
transactions and about 5 ms of CPU per GET; as one statement of scalar
subqueries, on PostgreSQL outside any transaction, it is one round trip.
"""

from collections.abc import Sequence

from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore
from sqlalchemy import Engine, Table, func, select

from application.projections.updater import LogPositions, PositionsReader
from infrastructure.views.view_store import VERSIONS, SQLAlchemyViewStore


def log_positions_reader(
    datastore: SQLAlchemyDatastore,
    events: Table,
    views: Sequence[SQLAlchemyViewStore],
    application_name: str,
) -> PositionsReader:
    """A function reading the log's last position, each view's (in `views`' order) and when
    the views were last built."""
    view_positions = [
        select(view.tracking_table.c.notification_id)
        .where(view.tracking_table.c.application_name == application_name)
        .scalar_subquery()
        for view in views
    ]
    statement = select(
        select(func.max(events.c.id)).scalar_subquery(),
        select(func.max(VERSIONS.c.built_at)).scalar_subquery(),
        *view_positions,
    )

    engine = datastore.engine
    assert isinstance(engine, Engine)

    def read() -> LogPositions:
        if engine.dialect.name == "postgresql":
            # One statement needs no transaction: in autocommit, no BEGIN and ROLLBACK round
            # trips around it. (SQLite shares the library's connection and lock instead.)
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                row = connection.execute(statement).one()
        else:
            with datastore.transaction(commit=False) as session:
                row = session.connection().execute(statement).one()
        last, built, *positions = row
        return LogPositions(int(last or 0), tuple(int(p or 0) for p in positions), built)

    return read
