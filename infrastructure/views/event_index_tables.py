"""The event index's tables in SQL, for the infrastructure that queries them directly.

The audit log's filters and time travel's selection of a scope's events read
`audit_event_index` with queries of their own (the view is declared in
`application/projections/views/event_index.py`).
"""

from application.projections.views import event_index
from infrastructure.views.sql_tables import sql_table

EVENT_INDEX = sql_table(event_index.VIEW, event_index.EVENTS)
AGGREGATE_SCOPE = sql_table(event_index.VIEW, event_index.AGGREGATE_SCOPE)
