"""A rebuild killed with SIGKILL mid-way: the next catch-up finishes it, nothing counted twice."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from eventsourcing.persistence import OperationalError

from api.bootstrap import build
from bench.synthetic_history import record_synthetic_history
from tests.projections.conftest import contents

FILIERES = Path(sys.executable).with_name("filieres")
# 4,000 events recorded, rebuilt, then rebuilt again and killed: minutes with both backends,
# so `make reliability`, not `make test`.
pytestmark = pytest.mark.reliability

EVENTS = 4000  # eight batches: a watcher on SQLite, slowed by DDL and locks, sees one end


def test_a_rebuild_killed_mid_way_is_finished_by_the_next_catch_up(database_url: str) -> None:
    services = build(database_url=database_url, follow_in_process=False)
    try:
        record_synthetic_history(services.app, EVENTS)
        services.views.rebuild()
        expected = contents(services.views)
    finally:
        services.close()

    rebuild = subprocess.Popen(
        [FILIERES, "projections", "rebuild", "--database-url", database_url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    watcher = build(database_url=database_url, follow_in_process=False)
    try:
        # Kill it once some batches are committed and before the last one is.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and rebuild.poll() is None:
            try:
                # Positions alone (status() also counts the lag: too slow to catch a batch).
                positions = [v.max_tracking_id(watcher.app.name) or 0 for v in watcher.views.views]
            except OperationalError:
                # SQLite runs DROP and CREATE outside the rebuild's transaction (pysqlite
                # commits before DDL): between the two, a table is missing. Look again.
                continue
            if 0 < max(positions) < EVENTS:
                rebuild.send_signal(signal.SIGKILL)
                break
            time.sleep(0.02)
        rebuild.wait(timeout=30)
        assert rebuild.returncode == -signal.SIGKILL, "the rebuild ended before it was killed"
        assert max(s.position for s in watcher.views.status()) < EVENTS
    finally:
        watcher.close()

    restarted = build(database_url=database_url)  # catches up at start
    try:
        assert [s.lag for s in restarted.views.status()] == [0] * len(restarted.views.views)
        assert contents(restarted.views) == expected
    finally:
        restarted.close()
