"""A batch's changes are kept in memory and written at its end: the tables come out the same."""

from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, TypedDict

import pytest
from eventsourcing.persistence import IntegrityError, Tracking
from sqlalchemy import Engine, MetaData, create_engine, select

from api.bootstrap import Services
from application.projections.tables import KEY, Table, Text
from application.roannais_history import record_roannais_history
from infrastructure.settings import normalise_database_url
from infrastructure.views.pending_rows import PendingRows, TableStatements
from infrastructure.views.sql_tables import to_sql
from tests.projections.conftest import contents


class Line(TypedDict):
    line_id: Annotated[int, KEY]
    label: Annotated[str, Text(50)]
    total: Decimal


LINES = Table("test_pending_lines", Line)
lines = to_sql(LINES, MetaData())


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine(normalise_database_url(database_url))
    lines.create(engine)
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
        rows = PendingRows(connection, {LINES: TableStatements(lines)})
        for cents in ("0.10", "0.25", "0.05"):  # three events adding to one line
            line = rows.get(LINES, (1,))
            assert line is not None
            rows.update(LINES, (1,), {"total": line["total"] + Decimal(cents)})
        assert rows.delete(LINES, (2,))
        zero = Decimal("0.00")
        rows.insert(LINES, {"line_id": 2, "label": "again", "total": zero})  # now an update
        assert rows.delete(LINES, (3,))
        rows.insert(LINES, {"line_id": 4, "label": "short-lived", "total": zero})
        assert rows.delete(LINES, (4,))  # inserted then deleted: never written
        rows.insert(LINES, {"line_id": 5, "label": "new", "total": zero})
        assert not rows.update(LINES, (6,), {"label": "absent"})
        assert not rows.delete(LINES, (6,))
        assert rows.get(LINES, (1,)) == {"line_id": 1, "label": "kept", "total": Decimal("1.40")}
        assert table(engine)[0][2] == Decimal("1.00")  # nothing written before the flush
        rows.flush()
    assert table(engine) == [
        (1, "kept", Decimal("1.40")),
        (2, "again", Decimal("0.00")),
        (5, "new", Decimal("0.00")),
    ]


def test_a_key_inserted_twice_or_a_column_misspelt_is_refused(engine: Engine) -> None:
    with engine.begin() as connection:
        rows = PendingRows(connection, {LINES: TableStatements(lines)})
        rows.insert(LINES, {"line_id": 7, "label": "first", "total": Decimal("0.00")})
        with pytest.raises(IntegrityError):
            rows.insert(LINES, {"line_id": 7, "label": "second", "total": Decimal("0.00")})
        with pytest.raises(KeyError, match="no column totl"):
            rows.update(LINES, (7,), {"totl": Decimal("1.00")})
        assert rows.get(LINES, (7,)) == {"line_id": 7, "label": "first", "total": Decimal("0.00")}


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
