"""The log's end and every view's position, read in one statement.

A read that must reflect the log (read-your-writes) compares the two before
each query. Asked one by one, through the library's ORM, that was seven
transactions and about 5 ms of CPU per GET; as one statement of scalar
subqueries it is one round trip.
"""

from collections.abc import Sequence

from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore
from sqlalchemy import Table, func, select

from application.projections.updater import LogPositions, PositionsReader
from infrastructure.views.base import VERSIONS, SQLAlchemyView


def log_positions_reader(
    datastore: SQLAlchemyDatastore,
    events: Table,
    views: Sequence[SQLAlchemyView],
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

    def read() -> LogPositions:
        with datastore.transaction(commit=False) as session:
            last, built, *positions = session.connection().execute(statement).one()
        return LogPositions(int(last or 0), tuple(int(p or 0) for p in positions), built)

    return read
