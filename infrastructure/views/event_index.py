"""EventIndex in SQL: one row per event, and each aggregate's filière and latest visible day."""

from eventsourcing.persistence import Tracking
from sqlalchemy import Connection, bindparam, insert, select, update

from application.projections.event_index import EventIndexView, IndexedEvent
from infrastructure.views import event_index_tables
from infrastructure.views.base import SQLAlchemyView
from infrastructure.views.event_index_tables import AGGREGATE_SCOPE, EVENT_INDEX

_SCOPE_OF = select(
    AGGREGATE_SCOPE.c.filiere_id,
    AGGREGATE_SCOPE.c.first_visible_on,
    AGGREGATE_SCOPE.c.last_visible_on,
).where(AGGREGATE_SCOPE.c.aggregate_id == bindparam("b_aggregate"))
_NEW_SCOPE = insert(AGGREGATE_SCOPE)
_MOVE_SCOPE = (
    update(AGGREGATE_SCOPE)
    .where(AGGREGATE_SCOPE.c.aggregate_id == bindparam("b_aggregate"))
    .values(last_visible_on=bindparam("b_visible_on"))
)
_NEW_ENTRY = insert(EVENT_INDEX)


class SQLAlchemyEventIndexView(SQLAlchemyView, EventIndexView):
    metadata = event_index_tables.metadata

    def event_indexed(self, event: IndexedEvent, tracking: Tracking) -> None:
        def write(connection: Connection) -> None:
            filiere_id = event.filiere_id
            visible_on = event.effective_on
            if event.version == 1:
                if event.parent_id is not None:
                    parent = connection.execute(_SCOPE_OF, {"b_aggregate": event.parent_id}).first()
                    if parent is not None:
                        filiere_id = filiere_id or parent.filiere_id
                        visible_on = max(visible_on, parent.first_visible_on)
                connection.execute(
                    _NEW_SCOPE,
                    {
                        "aggregate_id": event.aggregate_id,
                        "aggregate_type": event.aggregate_type,
                        "filiere_id": filiere_id,
                        "first_visible_on": visible_on,
                        "last_visible_on": visible_on,
                    },
                )
            else:
                scope = connection.execute(_SCOPE_OF, {"b_aggregate": event.aggregate_id}).first()
                if scope is not None:
                    filiere_id = filiere_id or scope.filiere_id
                    visible_on = max(visible_on, scope.last_visible_on)
                    if visible_on != scope.last_visible_on:
                        connection.execute(
                            _MOVE_SCOPE,
                            {"b_aggregate": event.aggregate_id, "b_visible_on": visible_on},
                        )
            connection.execute(
                _NEW_ENTRY,
                {
                    "position": tracking.notification_id,
                    "aggregate_id": event.aggregate_id,
                    "aggregate_type": event.aggregate_type,
                    "version": event.version,
                    "event_type": event.event_type,
                    "filiere_id": filiere_id,
                    "effective_on": event.effective_on,
                    "visible_on": visible_on,
                    "recorded_at": event.recorded_at,
                    "recorded_by": event.recorded_by,
                    "correlation_id": event.correlation_id,
                },
            )

        self._apply(tracking, write)
