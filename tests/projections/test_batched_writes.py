"""A batch's changes are kept in memory and written at its end: the tables come out the same."""

from collections.abc import Iterator
from decimal import Decimal

import pytest
from eventsourcing.persistence import IntegrityError, Tracking
from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, create_engine, select

from api.bootstrap import Services
from application.roannais_history import record_roannais_history
from infrastructure.settings import normalise_database_url
from infrastructure.views.column_types import Cents
from infrastructure.views.pending_rows import PendingRows
from tests.projections.conftest import contents

metadata = MetaData()
lines = Table(
    "test_pending_lines",
    metadata,
    Column("line_id", Integer, primary_key=True, autoincrement=False),
    Column("label", String(50), nullable=False),
    Column("total", Cents, nullable=False, default=Decimal("0.00")),
)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine(normalise_database_url(database_url))
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            lines.insert(),
            [
                {"line_id": 1, "label": "kept", "total": Decimal("1.00")},
                {"line_id": 2, "label": "replaced", "total": Decimal("2.00")},
                {"line_id": 3, "label": "deleted", "total": Decimal("3.00")},
            ],
        )
    yield engine
    engine.dispose()


def table(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(select(lines).order_by(lines.c.line_id))]


def test_a_row_changed_several_times_in_a_batch_is_written_as_it_ends(engine: Engine) -> None:
    with engine.begin() as connection:
        rows = PendingRows(connection, [lines])
        for cents in ("0.10", "0.25", "0.05"):  # three events adding to one line
            line = rows.get(lines, (1,))
            assert line is not None
            rows.update(lines, (1,), {"total": line["total"] + Decimal(cents)})
        assert rows.delete(lines, (2,))
        rows.insert(lines, {"line_id": 2, "label": "again"})  # deleted then inserted: updated
        assert rows.delete(lines, (3,))
        rows.insert(lines, {"line_id": 4, "label": "short-lived"})
        assert rows.delete(lines, (4,))  # inserted then deleted: never written
        rows.insert(lines, {"line_id": 5, "label": "new"})
        assert not rows.update(lines, (6,), {"label": "absent"})
        assert not rows.delete(lines, (6,))
        assert rows.get(lines, (1,)) == {"line_id": 1, "label": "kept", "total": Decimal("1.40")}
        assert table(engine)[0][2] == Decimal("1.00")  # nothing written before the flush
        rows.flush()
    assert table(engine) == [
        (1, "kept", Decimal("1.40")),
        (2, "again", Decimal("0.00")),
        (5, "new", Decimal("0.00")),
    ]


def test_a_key_inserted_twice_in_a_batch_is_refused(engine: Engine) -> None:
    with engine.begin() as connection:
        rows = PendingRows(connection, [lines])
        rows.insert(lines, {"line_id": 7, "label": "first"})
        with pytest.raises(IntegrityError):
            rows.insert(lines, {"line_id": 7, "label": "second"})


def test_the_whole_log_in_one_batch_gives_the_tables_of_one_event_at_a_time(
    unfollowed: Services,
) -> None:
    app, updater = unfollowed.app, unfollowed.views
    record_roannais_history(app)
    events = app.event_count()
    updater.batch_size = events + 1  # every row a filière touches, changed many times in memory
    assert updater.catch_up() == events
    batched = contents(updater)

    for view in updater.views:
        view.reset()
    for notification in app.recorder.select_notifications(start=1, limit=events):
        event = app.mapper.to_domain_event(notification)
        for projection in updater.projections:
            if notification.topic in projection.topics:
                # Outside a batch: each event written with its own position, at once.
                projection.process_event(event, Tracking(app.name, notification.id))
    assert contents(updater) == batched
