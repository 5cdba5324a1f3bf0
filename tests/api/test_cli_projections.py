"""`filieres projections rebuild | status | run`, run as an operator runs them."""

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from typer.testing import CliRunner

from api.bootstrap import build
from api.cli.app import app as cli
from application.roannais_history import record_roannais_history
from infrastructure.settings import normalise_database_url
from tests.conftest import BACKENDS, unfollowed_demo_copy
from tests.projections.conftest import contents

FILIERES = Path(sys.executable).with_name("filieres")
runner = CliRunner()
VIEW_NAMES = (
    "filiere_overview",
    "call_details",
    "project_details",
    "funding_ledger",
    "decision_register",
    "event_index",
    "directory",
)


def record_demo_unfollowed(database_url: str) -> None:
    services = build(database_url=database_url, follow_in_process=False)
    try:
        record_roannais_history(services.app)
    finally:
        services.close()


def view_rows(output: str) -> dict[str, list[str]]:
    """The status table's cells, by view name."""
    rows = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip("│┃ ").split("│")]
        if cells and cells[0] in VIEW_NAMES:
            rows[cells[0]] = cells[1:]
    return rows


@pytest.fixture(params=BACKENDS)
def unfollowed_demo_url(request: pytest.FixtureRequest) -> Iterator[str]:
    with unfollowed_demo_copy(request.param, request) as (url, _ids):
        yield url


def test_status_shows_the_lag_and_rebuild_clears_it(unfollowed_demo_url: str) -> None:
    database_url = unfollowed_demo_url  # the demo recorded while no one followed

    before = runner.invoke(cli, ["projections", "status", "--database-url", database_url])
    assert before.exit_code == 0, before.output
    assert "the log ends at position 137" in before.output
    rows = view_rows(before.output)
    assert set(rows) == set(VIEW_NAMES)
    assert all(position == "0" and int(lag) > 0 for _version, position, lag in rows.values())

    rebuilt = runner.invoke(cli, ["projections", "rebuild", "--database-url", database_url])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert f"Rebuilt {len(VIEW_NAMES)} views from 137 events" in rebuilt.output

    after = runner.invoke(cli, ["projections", "status", "--database-url", database_url])
    assert all(row[1:] == ["137", "0"] for row in view_rows(after.output).values())


def test_dropping_every_view_table_then_rebuild_gives_back_exactly_the_same_tables(
    database_url: str,
) -> None:
    assert runner.invoke(cli, ["demo", "--database-url", database_url]).exit_code == 0
    services = build(database_url=database_url, follow_in_process=False)
    incremental = contents(services.views)
    services.close()

    engine = create_engine(normalise_database_url(database_url))
    with engine.begin() as connection:
        view_tables = [
            name
            for name in inspect(connection).get_table_names()
            if name.startswith(VIEW_NAMES) or name == "filieres_view_versions"
        ]
        assert len(view_tables) > 2 * len(VIEW_NAMES)
        for name in view_tables:
            connection.execute(text(f'DROP TABLE "{name}"'))
    engine.dispose()

    result = runner.invoke(cli, ["projections", "rebuild", "--database-url", database_url])
    assert result.exit_code == 0, result.output
    services = build(database_url=database_url, follow_in_process=False)
    try:
        assert contents(services.views) == incremental
        viandes = next(o for o in services.read_models.filiere_overviews() if o.name == "Viandes")
        assert (viandes.candidacies.submitted, viandes.candidacies.selected) == (7, 4)
        assert viandes.candidacies.rejected == 3
    finally:
        services.close()


def test_projections_run_follows_the_log_in_its_own_process_until_sigterm(
    database_url: str,
) -> None:
    follower = subprocess.Popen(
        [FILIERES, "projections", "run", "--database-url", database_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(1.0)  # let it start: it must then pick up events recorded after it started
        record_demo_unfollowed(database_url)
        services = build(database_url=database_url, follow_in_process=False)
        deadline = time.monotonic() + 60
        while any(s.lag for s in services.views.status()) and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        follower.send_signal(signal.SIGTERM)
        stdout, stderr = follower.communicate(timeout=30)
    assert follower.returncode == 0, stderr
    assert "Stopped." in stdout
    try:
        assert [s.lag for s in services.views.status()] == [0] * len(VIEW_NAMES)
        followed = contents(services.views)
        services.views.rebuild()
        assert contents(services.views) == followed
    finally:
        services.close()
