"""HistoricalViews in SQL: fold the events a cutoff admits into a scratch copy of the view.

A filière's overview folds the filière's events (its calls', projects' and
fundings' too) and the organisations' (for their names), starting from the
latest snapshot the cutoff admits. When a fold runs over many events that
are a whole stretch of the log, it leaves a snapshot for the next query.
A call, a project or a funding folds its own stream, which stays short.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError, Mapper, Tracking
from eventsourcing.projection import Projection
from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore
from sqlalchemy import ColumnElement, Connection, Engine, Table, or_

from application.projections.call_details import CallDetailsProjection
from application.projections.detail_records import CallDetails, FundingLedger, ProjectDetails
from application.projections.filiere_overview import FiliereOverviewProjection
from application.projections.funding_ledger import FundingLedgerProjection
from application.projections.project_details import ProjectDetailsProjection
from application.projections.records import FiliereOverview
from application.projections.time_travel import Cutoff, HistoricalViews
from infrastructure.schema import create_tables
from infrastructure.time_travel import view_snapshots
from infrastructure.time_travel.historical_events import (
    HistoricalEvent,
    first_excluded,
    scope_events,
)
from infrastructure.time_travel.scratch_views import ScratchView
from infrastructure.time_travel.view_snapshots import ViewSnapshot
from infrastructure.views.base import SQLAlchemyView
from infrastructure.views.call_details import SQLAlchemyCallDetailsView
from infrastructure.views.event_index_tables import EVENT_INDEX
from infrastructure.views.filiere_overview import SQLAlchemyFiliereOverviewView
from infrastructure.views.funding_ledger import SQLAlchemyFundingLedgerView
from infrastructure.views.project_details import SQLAlchemyProjectDetailsView

R = TypeVar("R")
V = TypeVar("V", bound=SQLAlchemyView)
SNAPSHOT_EVERY = 200
"""Events folded from the last snapshot before a query leaves a new one."""
TRACKING_NAME = "time_travel"
logger = logging.getLogger(__name__)


class SQLAlchemyHistoricalViews(HistoricalViews):
    def __init__(
        self,
        datastore: SQLAlchemyDatastore,
        events: Table,
        mapper: Mapper[Any],
        snapshot_every: int = SNAPSHOT_EVERY,
    ) -> None:
        self.datastore = datastore
        self.events = events
        self.mapper = mapper
        self.snapshot_every = snapshot_every
        assert isinstance(datastore.engine, Engine)
        create_tables(datastore.engine, view_snapshots.metadata.sorted_tables)

    def overview(self, filiere_id: UUID, cutoff: Cutoff) -> FiliereOverview | None:
        scope = or_(
            EVENT_INDEX.c.filiere_id == filiere_id, EVENT_INDEX.c.aggregate_type == "Organisation"
        )
        return self._fold(
            SQLAlchemyFiliereOverviewView,
            FiliereOverviewProjection,
            scope_id=filiere_id,
            scope=scope,
            cutoff=cutoff,
            read=lambda view: view.overview(filiere_id),
        )

    def call(self, call_id: UUID, cutoff: Cutoff) -> CallDetails | None:
        return self._fold(
            SQLAlchemyCallDetailsView,
            CallDetailsProjection,
            scope=EVENT_INDEX.c.aggregate_id == call_id,
            cutoff=cutoff,
            read=lambda view: view.call(call_id),
        )

    def project(self, project_id: UUID, cutoff: Cutoff) -> ProjectDetails | None:
        return self._fold(
            SQLAlchemyProjectDetailsView,
            ProjectDetailsProjection,
            scope=EVENT_INDEX.c.aggregate_id == project_id,
            cutoff=cutoff,
            read=lambda view: view.project(project_id),
        )

    def funding(self, funding_id: UUID, cutoff: Cutoff) -> FundingLedger | None:
        return self._fold(
            SQLAlchemyFundingLedgerView,
            FundingLedgerProjection,
            scope=EVENT_INDEX.c.aggregate_id == funding_id,
            cutoff=cutoff,
            read=lambda view: view.funding(funding_id),
        )

    def _fold(
        self,
        view_class: type[V],
        projection_class: type[Projection[Any]],
        *,
        scope: ColumnElement[bool],
        cutoff: Cutoff,
        read: Callable[[V], R | None],
        scope_id: UUID | None = None,
    ) -> R | None:
        """Fold what the cutoff admits, from the latest usable snapshot when `scope_id` keeps them.

        Everything is read from the store first: the library's transactions nest
        through one context variable for all datastores, so the scratch view's
        transactions must not overlap the store's.
        """
        name, version = view_class.name, view_class.version
        with self._reading() as connection:
            base = (
                view_snapshots.latest_usable(connection, name, version, scope_id, cutoff)
                if scope_id is not None
                else None
            )
            after = base.position if base else 0
            events = scope_events(connection, self.events, scope, cutoff, after)
            excluded = first_excluded(connection, scope, cutoff, after)
        whole = [e for e in events if excluded is None or e.position < excluded]
        rest = events[len(whole) :]
        scratch = ScratchView(view_class, base.content if base else None)
        try:
            projection = projection_class(view=scratch.view)
            self._apply(scratch.view, projection, whole)
            if scope_id is not None and len(whole) >= self.snapshot_every:
                self._save(name, version, scope_id, _snapshot_after(base, whole, scratch))
            self._apply(scratch.view, projection, rest)
            return read(scratch.view)  # type: ignore[arg-type]
        finally:
            scratch.close()

    def _apply(
        self, view: SQLAlchemyView, projection: Projection[Any], events: list[HistoricalEvent]
    ) -> None:
        if not events:
            return
        with view.batch(TRACKING_NAME) as batch:
            for event in events:
                domain_event = self.mapper.to_domain_event(event.stored)
                projection.process_event(domain_event, Tracking(TRACKING_NAME, event.position))
            batch.advance_to(events[-1].position)

    def _save(self, name: str, version: int, scope_id: UUID, snapshot: ViewSnapshot) -> None:
        try:
            with self.datastore.transaction(commit=True) as session:
                view_snapshots.save(session.connection(), name, version, scope_id, snapshot)
        except IntegrityError:
            logger.debug("another reader saved the snapshot at %s first", snapshot.position)

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        with self.datastore.transaction(commit=False) as session:
            yield session.connection()


def _snapshot_after(
    base: ViewSnapshot | None, folded: list[HistoricalEvent], scratch: ScratchView
) -> ViewSnapshot:
    visible = [e.visible_on for e in folded] + ([base.max_visible_on] if base else [])
    recorded = [e.recorded_at for e in folded] + ([base.max_recorded_at] if base else [])
    return ViewSnapshot(
        position=folded[-1].position,
        max_visible_on=max(visible),
        max_recorded_at=max(recorded),
        events=len(folded) + (base.events if base else 0),
        content=scratch.snapshot(),
    )
