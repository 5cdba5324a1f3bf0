"""Time travel over a log not recorded in the order things happened.

The synthetic programme records each call's whole life at once (launch,
candidacies, decisions over months, projects, funding), then the next call's,
so a day's events are scattered over the log. A filière's overview as of a
day, or as known at an instant, must still be the fold of exactly the events
the cutoff admits in log order, through the view's own code: with snapshots
(taken by day) and without, and with the snapshots a first round of queries
left. However many queries ask, a filière keeps about one snapshot per
`snapshot_every` of its events.
"""

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import cast
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent, Tracking
from sqlalchemy import func, or_, select

from api.bootstrap import Services, build
from application.projections.records import FiliereOverview
from application.projections.time_travel import Cutoff
from application.projections.view import ViewProjection
from application.projections.views import filiere_overview, filiere_overview_reads
from bench.synthetic_history import record_synthetic_history
from domain.base import DomainEvent
from infrastructure.time_travel.historical_events import admitted
from infrastructure.time_travel.historical_views import SQLAlchemyHistoricalViews
from infrastructure.time_travel.scratch_views import ScratchView
from infrastructure.time_travel.view_snapshots import SNAPSHOTS
from infrastructure.views.event_index_tables import EVENT_INDEX
from tests.conftest import BACKENDS, copy_of

EVENTS = 1500
EVERY = 7
INDEX = EVENT_INDEX.c


def record_scattered(url: str) -> None:
    services = build(database_url=url, follow_in_process=False)
    try:
        record_synthetic_history(services.app, EVENTS, seed=5)
        services.views.catch_up()
    finally:
        services.close()


@pytest.fixture(params=BACKENDS)
def scattered(request: pytest.FixtureRequest) -> Iterator[Services]:
    """A store of the test's own holding the history: a copy of one recorded once per run."""
    key = f"synthetic history of {EVENTS} events, seed 5"
    with copy_of(request.param, key, record_scattered, request) as (url, _):
        services = build(database_url=url, follow_in_process=False)
        try:
            yield services
        finally:
            services.close()


def in_log_order(services: Services, filiere: UUID, cutoff: Cutoff) -> FiliereOverview | None:
    """The definition: every event of the filière or an organisation the cutoff admits, in log
    order, through the view's own code."""
    app = services.app
    events = app.recorder.events_record_cls.__table__  # type: ignore[attr-defined]
    query = (
        select(INDEX.position, events.c.originator_id, events.c.originator_version)
        .add_columns(events.c.topic, events.c.state)
        .join(events, events.c.id == INDEX.position)
        .where(
            or_(INDEX.filiere_id == filiere, INDEX.aggregate_type == "Organisation"),
            *admitted(cutoff),
        )
        .order_by(INDEX.position)
    )
    with app.factory.datastore.transaction(commit=False) as session:  # type: ignore[attr-defined]
        rows = session.connection().execute(query).all()
    scratch = ScratchView(filiere_overview.VIEW)
    try:
        projection = ViewProjection(view=scratch.store)
        for position, originator_id, version, topic, state in rows:
            stored = StoredEvent(originator_id, version, topic, bytes(state))
            event = cast(DomainEvent, app.mapper.to_domain_event(stored))
            projection.process_event(event, Tracking("definition", position))
        with scratch.store.reading() as db:
            return filiere_overview_reads.overview(db, filiere)
    finally:
        scratch.close()


def historical_views(services: Services, every: int | None) -> SQLAlchemyHistoricalViews:
    app = services.app
    return SQLAlchemyHistoricalViews(
        app.factory.datastore,  # type: ignore[attr-defined]
        app.recorder.events_record_cls.__table__,  # type: ignore[attr-defined]
        app.mapper,
        snapshot_every=every,
        seal_key=services.secret,
    )


def busiest(services: Services) -> tuple[UUID, int, date, date]:
    with services.app.factory.datastore.transaction(commit=False) as session:  # type: ignore[attr-defined]
        return tuple(  # type: ignore[return-value]
            session.connection()
            .execute(
                select(
                    INDEX.filiere_id,
                    func.count(),
                    func.min(INDEX.visible_on),
                    func.max(INDEX.visible_on),
                )
                .where(INDEX.filiere_id.is_not(None))
                .group_by(INDEX.filiere_id)
                .order_by(func.count().desc())
                .limit(1)
            )
            .one()
        )


def busiest_days(services: Services, filiere: UUID, count: int) -> list[date]:
    """The days with the most events of the filière: where a snapshot could cut a day in two."""
    with services.app.factory.datastore.transaction(commit=False) as session:  # type: ignore[attr-defined]
        rows = session.connection().execute(
            select(INDEX.visible_on)
            .where(INDEX.filiere_id == filiere)
            .group_by(INDEX.visible_on)
            .order_by(func.count().desc(), INDEX.visible_on)
            .limit(count)
        )
        return [day for (day,) in rows]


def instants(services: Services, count: int) -> list[datetime]:
    """Recording instants spread over the log."""
    with services.app.factory.datastore.transaction(commit=False) as session:  # type: ignore[attr-defined]
        recorded = (
            session.connection().execute(select(INDEX.recorded_at).order_by(INDEX.position)).all()
        )
    step = len(recorded) // (count + 1)
    return [recorded[step * (n + 1)][0] for n in range(count)]


@pytest.mark.reliability  # its store takes seconds to record, for the test below alone
def test_the_log_is_not_in_the_order_of_days(scattered: Services) -> None:
    """What the other test relies on: events of the filière recorded after later days' events."""
    filiere, *_ = busiest(scattered)
    earlier, later = EVENT_INDEX.alias("earlier"), EVENT_INDEX.alias("later")
    inversions = (
        select(func.count())
        .select_from(earlier)
        .join(later, later.c.filiere_id == earlier.c.filiere_id)
        .where(
            earlier.c.filiere_id == filiere,
            earlier.c.position < later.c.position,
            earlier.c.visible_on > later.c.visible_on,
        )
    )
    with scattered.app.factory.datastore.transaction(commit=False) as session:  # type: ignore[attr-defined]
        assert session.connection().execute(inversions).scalar_one() > 0


@pytest.mark.reliability  # over ten seconds: `make reliability`
def test_the_past_is_the_fold_of_what_the_cutoff_admits(scattered: Services) -> None:
    filiere, filiere_events, first, last = busiest(scattered)
    days = [first + timedelta(days=(last - first).days * n // 12) for n in range(13)]
    cutoffs = [Cutoff(as_of=day) for day in days + busiest_days(scattered, filiere, 15)]
    cutoffs += [Cutoff(known_at=instant) for instant in instants(scattered, 4)]
    cutoffs += [Cutoff(as_of=days[8], known_at=instants(scattered, 4)[2])]
    eager = historical_views(scattered, EVERY)
    never = historical_views(scattered, None)
    for _ in range(2):  # the second round starts from the snapshots the first one left
        for cutoff in cutoffs:
            expected = in_log_order(scattered, filiere, cutoff)
            assert never.overview(filiere, cutoff) == expected, cutoff.describe()
            assert eager.overview(filiere, cutoff) == expected, cutoff.describe()
    with scattered.app.factory.datastore.transaction(commit=False) as session:  # type: ignore[attr-defined]
        kept = session.connection().execute(select(SNAPSHOTS.c.day, SNAPSHOTS.c.events)).all()
        organisations = (
            session.connection()
            .execute(select(func.count()).where(INDEX.aggregate_type == "Organisation"))
            .scalar_one()
        )
    assert kept, "folding many events leaves snapshots"
    assert len(kept) <= (filiere_events + organisations) // EVERY
    assert len({events // EVERY for _, events in kept}) == len(kept), "one per multiple"
