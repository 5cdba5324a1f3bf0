"""HistoricalViews in SQL: fold the events a cutoff admits into a scratch copy of the view.

A filière's overview folds the filière's events (its calls', projects' and
fundings' too) and the organisations' (for their names), of the types the
view reads. A call, a project or a funding folds its own stream.

Events are folded by day, then by log position. Within an aggregate that is
log order (its days never go back), a parent comes before its children, and
the overview's counts and sums do not depend on the order of different
aggregates; only its `version_position`, the last event that changed it, is
taken from the log instead. Folding by day lets a snapshot hold a filière's
overview up to a day, whatever order the log recorded the events in (a call's
whole life recorded at once, a history recorded late): a query as of a day
starts from the latest snapshot of a day before it and folds what was visible
since, plus anything recorded since the snapshot.

While a fold runs over the log as it is (no instant cuts it short), it
leaves a snapshot at the end of the first day on which its count of events
since the filière's first passes a multiple of `snapshot_every`: a later
query folds about that many events beyond one, and a filière of N events
keeps about N / `snapshot_every` snapshots (a newer one of the same day
replaces the older), however many queries ask.
"""

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar, cast
from uuid import UUID, uuid4

from eventsourcing.persistence import IntegrityError, Mapper, StoredEvent, Tracking
from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore
from sqlalchemy import Connection, Engine, Row, Select, Table, and_, select

from application.projections.detail_records import CallDetails, FundingLedger, ProjectDetails
from application.projections.records import FiliereOverview
from application.projections.rows import Reader
from application.projections.time_travel import Cutoff, HistoricalViews
from application.projections.view import View, ViewProjection, ViewStore
from application.projections.views import (
    call_details,
    filiere_overview,
    filiere_overview_reads,
    funding_ledger,
    project_details,
)
from domain.base import DomainEvent
from domain.funding import Funding
from infrastructure.schema import create_tables
from infrastructure.time_travel import view_snapshots
from infrastructure.time_travel.fold_progress import FoldProgress
from infrastructure.time_travel.historical_events import (
    Covered,
    HistoricalEvent,
    Scope,
    first_unknown,
    last_indexed,
    load_events,
    scope_keys,
)
from infrastructure.time_travel.scratch_views import ScratchViews
from infrastructure.time_travel.view_snapshots import ViewSnapshot
from infrastructure.views.event_index_tables import EVENT_INDEX

R = TypeVar("R")
SNAPSHOT_EVERY = 1000
"""A fold leaves a snapshot each time it has folded this many more events of its scope."""
CHUNK = 1000
"""Events read from the store, then folded in one batch of the scratch view."""
TRACKING_NAME = "time_travel"
logger = logging.getLogger(__name__)


class SQLAlchemyHistoricalViews(HistoricalViews):
    def __init__(
        self,
        datastore: SQLAlchemyDatastore,
        events: Table,
        mapper: Mapper[Any],
        snapshot_every: int | None = SNAPSHOT_EVERY,
        *,
        seal_key: bytes,
    ) -> None:
        """`snapshot_every=None`: no snapshot is read or left, every fold starts from the start.
        `seal_key`: the deployment's secret, which seals each snapshot (`view_snapshots.py`)."""
        self.datastore = datastore
        self.seal_key = seal_key
        self.events = events
        self.mapper = mapper
        self.snapshot_every = snapshot_every
        self.scratches = ScratchViews()
        assert isinstance(datastore.engine, Engine)
        create_tables(datastore.engine, view_snapshots.metadata.sorted_tables)

    def overview(self, filiere_id: UUID, cutoff: Cutoff) -> FiliereOverview | None:
        folded = self._fold(
            filiere_overview.VIEW,
            scope_id=filiere_id,
            scope=_overview_scope(filiere_id),
            cutoff=cutoff,
            read=lambda db: filiere_overview_reads.overview(db, filiere_id),
        )
        if folded is None:
            return None
        overview, last_changed = folded
        # Every event of the filière's own arm changes its overview: the last of them in the log.
        return overview.model_copy(update={"version_position": last_changed})

    def call(self, call_id: UUID, cutoff: Cutoff) -> CallDetails | None:
        return self._aggregate(call_details.VIEW, call_details.READS.one, call_id, cutoff)

    def project(self, project_id: UUID, cutoff: Cutoff) -> ProjectDetails | None:
        return self._aggregate(project_details.VIEW, project_details.READS.one, project_id, cutoff)

    def funding(self, funding_id: UUID, cutoff: Cutoff) -> FundingLedger | None:
        """The line's own stream, and its project's proposal (for the budget it is a share of)."""
        project_id = self._project_of(funding_id)
        if project_id is None:
            read_one = funding_ledger.READS.one
            return self._aggregate(funding_ledger.VIEW, read_one, funding_id, cutoff)
        i = EVENT_INDEX.c
        scope = Scope(
            (
                i.aggregate_id == funding_id,
                and_(i.aggregate_id == project_id, i.event_type == "Project.Proposed"),
            )
        )
        folded = self._fold(
            funding_ledger.VIEW,
            scope=scope,
            cutoff=cutoff,
            read=lambda db: funding_ledger.READS.one(db, funding_id),
        )
        return None if folded is None else folded[0]

    def _project_of(self, funding_id: UUID) -> UUID | None:
        """The project its grant names, read from the stored grant; None if there is none."""
        e = self.events.c
        rows = self._run(
            select(e.originator_id, e.originator_version, e.topic, e.state).where(
                e.originator_id == funding_id, e.originator_version == 1
            )
        )
        if not rows:
            return None
        row = rows[0]
        stored = StoredEvent(
            originator_id=row.originator_id,
            originator_version=row.originator_version,
            topic=row.topic,
            state=bytes(row.state),
        )
        granted = self.mapper.to_domain_event(stored)
        return granted.project_id if isinstance(granted, Funding.Granted) else None

    def _aggregate(
        self,
        view: View,
        read: Callable[[Reader, UUID], R | None],
        aggregate_id: UUID,
        cutoff: Cutoff,
    ) -> R | None:
        """What `read` finds of one aggregate in `view`, folded from the aggregate's own stream."""
        folded = self._fold(
            view,
            scope=_aggregate_scope(aggregate_id),
            cutoff=cutoff,
            read=lambda db: read(db, aggregate_id),
        )
        return None if folded is None else folded[0]

    def _fold(
        self,
        view: View,
        *,
        scope: Scope,
        cutoff: Cutoff,
        read: Callable[[Reader], R | None],
        scope_id: UUID | None = None,
    ) -> tuple[R, int] | None:
        """What `read` finds in the fold of what the cutoff admits, and the last position of arm 0.

        From the latest usable snapshot when `scope_id` keeps them. The store is
        read between the scratch view's batches, never during one: the
        library's transactions nest through one context variable for all
        datastores, so the two must not overlap.
        """
        name, version = view.name, view.version
        every = self.snapshot_every if scope_id is not None else None
        with self._reading() as connection:
            base = None
            if every is not None and scope_id is not None:
                base = view_snapshots.latest_usable(
                    connection, self.seal_key, name, version, scope_id, cutoff
                )
            upto = last_indexed(connection)
            unknown = first_unknown(connection, scope, cutoff, upto)
            # Up to `whole_upto` the cutoff admits every event of the days it admits.
            whole_upto = upto if unknown is None else unknown - 1
            covered = Covered(base.day, base.position) if base else None
            keys = scope_keys(connection, scope, cutoff, upto, whole_upto, covered)
        if unknown is not None:
            # Snapshots only of the log as it is: one per day and multiple of `every`, not one
            # per instant asked about. A snapshot before the instant still serves it.
            every = None
        folded = FoldProgress.after(base, whole_upto)
        with self.scratches.borrowed(view, base.content if base else None) as scratch:

            def save() -> None:
                assert scope_id is not None
                self._save(name, version, scope_id, folded.snapshot(scratch))

            projection = ViewProjection(view=scratch.store)
            for start in range(0, len(keys), CHUNK):
                chunk = load_events(self._run, self.events, keys[start : start + CHUNK])
                pending: list[HistoricalEvent] = []
                for event in chunk:
                    if every is not None and folded.due(every) and folded.ends_day(event.key):
                        self._apply(scratch.store, projection, pending)
                        pending = []
                        save()
                    if event.key.late:
                        every = None  # what follows is not a day's whole stretch of the log
                    pending.append(event)
                    folded.add(event)
                self._apply(scratch.store, projection, pending)
            with scratch.store.reading() as reader:
                found = read(reader)
            return None if found is None else (found, folded.last_changed)

    def _run(self, query: Select[Any]) -> Sequence[Row[Any]]:
        with self._reading() as connection:
            return connection.execute(query).all()

    def _apply(
        self, store: ViewStore, projection: ViewProjection, events: list[HistoricalEvent]
    ) -> None:
        if not events:
            return
        # Not in log order: each batch tracks under a name of its own, from position 0.
        tracking_name = uuid4().hex
        with store.batch(tracking_name) as batch:
            for event in events:
                domain_event = cast(DomainEvent, self.mapper.to_domain_event(event.stored))
                position = event.key.position
                projection.process_event(domain_event, Tracking(tracking_name, position))
                batch.advance_to(position)

    def _save(self, name: str, version: int, scope_id: UUID, snapshot: ViewSnapshot) -> None:
        try:
            with self.datastore.transaction(commit=True) as session:
                connection = session.connection()
                view_snapshots.save(connection, self.seal_key, name, version, scope_id, snapshot)
        except IntegrityError:
            logger.debug("another reader saved the snapshot of %s first", snapshot.day)

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        with self.datastore.transaction(commit=False) as session:
            yield session.connection()


def _overview_scope(filiere_id: UUID) -> Scope:
    """The filière's events and the organisations' (for their names), of the types the view reads.

    One arm per organisation event type, each one range of the index on
    (event_type, position).
    """
    handled = _event_types(filiere_overview.VIEW)
    i = EVENT_INDEX.c
    organisations = [t for t in handled if t.startswith("Organisation.")]
    return Scope(
        (
            and_(i.filiere_id == filiere_id, i.event_type.in_(handled)),
            *(i.event_type == event_type for event_type in organisations),
        )
    )


def _aggregate_scope(aggregate_id: UUID) -> Scope:
    return Scope((EVENT_INDEX.c.aggregate_id == aggregate_id,))


def _event_types(view: View) -> tuple[str, ...]:
    """`Call.CandidacySelected` and the like: the index's names of the events a view reads.

    The index names an event by its class's qualified name, the part of its
    topic after the colon; the others leave the view as it is, so are not read.
    """
    return tuple(topic.rpartition(":")[2] for topic in view.topics)
