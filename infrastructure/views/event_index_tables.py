"""The event index's tables: every event by filière, both times and actor; each aggregate's scope.

`visible_on` is the day from which an event counts for time travel on the
effective axis: its own `effective_on`, but never before the aggregate's
previous event nor, for an aggregate's first event, before its parent's
(a call's filière, a funding's project). An aggregate's history filtered
by `visible_on <= day` is then always a prefix of its stream, in log order.
"""

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
)

from infrastructure.views.column_types import UtcDateTime

metadata = MetaData()

_POSITION = BigInteger().with_variant(Integer(), "sqlite")

EVENT_INDEX = Table(
    "audit_event_index",
    metadata,
    Column("position", _POSITION, primary_key=True, autoincrement=False),
    Column("aggregate_id", Uuid, nullable=False),
    Column("aggregate_type", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("event_type", String(128), nullable=False),
    Column("filiere_id", Uuid, nullable=True),
    Column("effective_on", Date, nullable=False),
    Column("visible_on", Date, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("recorded_by", String(200), nullable=True),
    Column("correlation_id", Uuid, nullable=True),
    Index("audit_event_index_filiere", "filiere_id", "position"),
    Index("audit_event_index_aggregate", "aggregate_id", "version"),
    Index("audit_event_index_effective", "effective_on", "position"),
    Index("audit_event_index_recorded", "recorded_at", "position"),
    Index("audit_event_index_actor", "recorded_by", "position"),
    Index("audit_event_index_type", "event_type", "position"),
)

AGGREGATE_SCOPE = Table(
    "audit_aggregate_scope",
    metadata,
    Column("aggregate_id", Uuid, primary_key=True),
    Column("aggregate_type", String(64), nullable=False),
    Column("filiere_id", Uuid, nullable=True),
    Column("first_visible_on", Date, nullable=False),
    Column("last_visible_on", Date, nullable=False),
)
