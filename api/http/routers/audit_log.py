"""/audit: the event log, one aggregate's history, and the provenance of a funding or project.

Auditors and admins only. The log's filters read the event index view, so a
page first waits, like every read, for the views to reach the log's end; the
history and the provenance read the events themselves and need no view.
"""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from api.http.deps import App, AuditEvents, Auditor, Views
from api.http.routers.filters import assumed_filter
from api.http.routers.paging import DEFAULT_LIMIT, Cursor, Limit
from api.http.routers.responses import READ
from api.http.schemas import audit as schemas
from api.http.schemas.common import Day, Moment
from application.audit.event_record import AuditEvent
from application.audit.provenance import provenance
from application.audit.stream_history import stream_history
from application.payload import NO_CONTROL_PATTERN
from application.projections.records import Page
from infrastructure.audit_event_query import EventLogFilter

router = APIRouter(prefix="/audit", tags=["audit"])


EventType = Annotated[
    str | None,
    Query(
        alias="type",
        max_length=128,
        pattern=r"^[A-Za-z]+(\.[A-Za-z]+)?$",
        description="An event type (`Call.CandidacySelected`) or an aggregate type (`Call`).",
    ),
]
Actor = Annotated[
    str | None,
    Query(
        max_length=200,
        pattern=NO_CONTROL_PATTERN,
        description="Who recorded the events (`recorded_by`), exactly.",
    ),
]
Instant = Moment | None
"""With its offset: an instant without one would be a guess about the time zone."""


@router.get("/events", response_model=schemas.AuditEventPage, responses=READ)
def list_events(
    views: Views,
    log: AuditEvents,
    _: Auditor,
    aggregate_id: UUID | None = None,
    type_: EventType = None,
    filiere_id: Annotated[
        UUID | None,
        Query(description="The filière's own events and its calls', projects' and fundings'."),
    ] = None,
    actor: Actor = None,
    recorded_from: Annotated[Instant, Query(description="recorded_at ≥ this instant")] = None,
    recorded_to: Annotated[Instant, Query(description="recorded_at ≤ this instant")] = None,
    effective_from: Annotated[Day | None, Query(description="effective_on ≥ this day")] = None,
    effective_to: Annotated[Day | None, Query(description="effective_on ≤ this day")] = None,
    assumed: Annotated[bool | None, assumed_filter("events", " (`metadata.assumptions`)")] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[AuditEvent]:
    """The log in position order, each event with its chain hashes; filters combine."""
    where = EventLogFilter(
        aggregate_id=aggregate_id,
        type=type_,
        filiere_id=filiere_id,
        actor=actor,
        recorded_from=recorded_from,
        recorded_to=recorded_to,
        effective_from=effective_from,
        effective_to=effective_to,
        assumed=assumed,
    )
    where.check()  # a malformed question is answered before waiting for the views
    views.fresh()
    return log.page(where, limit, cursor)


@router.get("/assumptions", response_model=schemas.AuditEventPage, responses=READ)
def list_assumptions(
    views: Views,
    log: AuditEvents,
    _: Auditor,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[AuditEvent]:
    """Every event that rests on an assumption of its recorder, in log order.

    Each event's `metadata` holds its `assumptions` and the `source` it cites.
    The same as `/audit/events?assumed=true`.
    """
    views.fresh()
    return log.page(EventLogFilter(assumed=True), limit, cursor)


@router.get("/streams/{aggregate_id}", response_model=schemas.StreamHistory, responses=READ)
def read_stream(
    aggregate_id: UUID, app: App, log: AuditEvents, _: Auditor
) -> schemas.StreamHistory:
    """Every version of one aggregate: the stored event and the state it left."""
    return schemas.StreamHistory.model_validate(stream_history(app.mapper, log, aggregate_id))


@router.get("/provenance/{subject_id}", response_model=schemas.Provenance, responses=READ)
def read_provenance(subject_id: UUID, app: App, log: AuditEvents, _: Auditor) -> schemas.Provenance:
    """The events and decisions that led to a funding line or a project, nearest first."""
    return schemas.Provenance.model_validate(provenance(app, log, subject_id))
