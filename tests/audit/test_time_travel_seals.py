"""Nothing outside the chain answers either: a time-travel snapshot forged in the database
is never used, and `audit verify` names it.

A time-travel snapshot holds a view's fold of one filière up to a day; answers about
the past start from it. Each is sealed with the deployment's secret; one altered by SQL
(here: the content of a later day's snapshot put in an earlier day's row, so that the
earlier day would show what came after) fails its seal, is skipped, and the answer is
the one the log gives.
"""

from datetime import date, timedelta

from sqlalchemy import select, update
from typer.testing import CliRunner

from api.cli.app import app as cli
from application.projections.time_travel import Cutoff
from infrastructure.time_travel.historical_views import SQLAlchemyHistoricalViews
from infrastructure.time_travel.view_snapshots import SNAPSHOTS

runner = CliRunner()
DAYS = [date(2009, 6, 15) + timedelta(days=122 * n) for n in range(13)]


def historical_views(services, every: int | None) -> SQLAlchemyHistoricalViews:
    app = services.app
    return SQLAlchemyHistoricalViews(
        app.factory.datastore,
        app.recorder.events_record_cls.__table__,
        app.mapper,
        snapshot_every=every,
        seal_key=services.secret,
    )


def answers(views: SQLAlchemyHistoricalViews, filieres: list) -> list:
    return [views.overview(f, Cutoff(as_of=day)) for day in DAYS for f in filieres]


def forge_an_earlier_day(services) -> tuple:
    """Put the content of a filière's latest snapshot in its earliest one's row, by SQL."""
    engine = services.app.factory.datastore.engine
    s = SNAPSHOTS.c
    with engine.begin() as connection:
        rows = connection.execute(
            select(s.scope_id, s.day, s.position, s.content).order_by(s.scope_id, s.day)
        ).all()
        scope = next(r.scope_id for r in rows if sum(o.scope_id == r.scope_id for o in rows) > 1)
        mine = [r for r in rows if r.scope_id == scope]
        earliest, latest = mine[0], mine[-1]
        connection.execute(
            update(SNAPSHOTS)
            .where(s.scope_id == scope, s.day == earliest.day, s.position == earliest.position)
            .values(content=latest.content)
        )
    return scope, earliest.day, earliest.position


def test_a_forged_time_travel_snapshot_is_skipped_and_verify_names_it(
    demo_services, demo_url, caplog
):
    filieres = [f.id for f in demo_services.read_models.filieres().items]
    eager, never = historical_views(demo_services, 3), historical_views(demo_services, None)
    truth = answers(never, filieres)
    assert answers(eager, filieres) == truth  # leaves snapshots
    clean = demo_services.audit_log.verify()
    assert clean.ok and clean.view_snapshots is not None and clean.view_snapshots.checked > 1

    scope, day, position = forge_an_earlier_day(demo_services)

    # The day the forged row is for: the snapshot a query as of that day starts from.
    on_that_day = Cutoff(as_of=day)
    assert eager.overview(scope, on_that_day) == never.overview(scope, on_that_day)
    assert "fails its seal: not used" in caplog.text
    assert answers(eager, filieres) == truth
    result = demo_services.audit_log.verify()
    assert result.first_broken is None and result.tree is not None and result.tree.ok
    assert not result.ok and result.view_snapshots is not None
    assert result.view_snapshots.bad_count == 1
    bad = result.view_snapshots.bad[0]
    assert (bad.scope_id, bad.day, bad.position) == (scope, day, position)

    verified = runner.invoke(
        cli, ["audit", "verify", "--database-url", demo_url], env={"COLUMNS": "300"}
    )
    assert verified.exit_code == 1, verified.output
    assert "TIME-TRAVEL SNAPSHOTS BAD: 1 of" in verified.output
    assert f"of {scope} as of {day}, position {position}" in verified.output


def test_snapshots_sealed_under_another_secret_are_not_used(demo_services):
    filieres = [f.id for f in demo_services.read_models.filieres().items]
    truth = answers(historical_views(demo_services, None), filieres)
    # Left by a deployment with another secret (a copied store, or a forger guessing one).
    elsewhere = historical_views(demo_services, 3)
    elsewhere.seal_key = bytes(32)
    answers(elsewhere, filieres)

    assert answers(historical_views(demo_services, 3), filieres) == truth
    result = demo_services.audit_log.verify()
    assert result.view_snapshots is not None and not result.ok
    assert result.view_snapshots.bad_count == result.view_snapshots.checked > 0
