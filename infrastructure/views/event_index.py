"""EventIndex in SQL: one row per event, and each aggregate's filière and latest visible day."""

from eventsourcing.persistence import Tracking

from application.projections.event_index import EventIndexView, IndexedEvent
from infrastructure.views import event_index_tables
from infrastructure.views.base import SQLAlchemyView
from infrastructure.views.event_index_tables import AGGREGATE_SCOPE, EVENT_INDEX
from infrastructure.views.pending_rows import PendingRows


class SQLAlchemyEventIndexView(SQLAlchemyView, EventIndexView):
    metadata = event_index_tables.metadata

    def event_indexed(self, event: IndexedEvent, tracking: Tracking) -> None:
        def write(rows: PendingRows) -> None:
            filiere_id = event.filiere_id
            visible_on = event.effective_on
            if event.version == 1:
                if event.parent_id is not None:
                    parent = rows.get(AGGREGATE_SCOPE, (event.parent_id,))
                    if parent is not None:
                        filiere_id = filiere_id or parent["filiere_id"]
                        visible_on = max(visible_on, parent["first_visible_on"])
                rows.insert(
                    AGGREGATE_SCOPE,
                    {
                        "aggregate_id": event.aggregate_id,
                        "aggregate_type": event.aggregate_type,
                        "filiere_id": filiere_id,
                        "first_visible_on": visible_on,
                        "last_visible_on": visible_on,
                    },
                )
            else:
                scope = rows.get(AGGREGATE_SCOPE, (event.aggregate_id,))
                if scope is not None:
                    filiere_id = filiere_id or scope["filiere_id"]
                    visible_on = max(visible_on, scope["last_visible_on"])
                    if visible_on != scope["last_visible_on"]:
                        rows.update(
                            AGGREGATE_SCOPE,
                            (event.aggregate_id,),
                            {"last_visible_on": visible_on},
                        )
            rows.insert(
                EVENT_INDEX,
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
