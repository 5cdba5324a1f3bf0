"""The suite's own databases: an interrupted run's are dropped by the next, a live run's never."""

import subprocess
import sys

import psycopg
import pytest

from tests.stores import create_database, database_name, sweep_leftover_databases

pytestmark = pytest.mark.postgres


def _databases(admin_url: str) -> set[str]:
    with psycopg.connect(admin_url) as connection:
        return {row[0] for row in connection.execute("SELECT datname FROM pg_database")}


def _pid_of_an_ended_process() -> int:
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    return ended.pid


def test_the_sweep_drops_what_an_ended_process_left_and_keeps_a_live_ones(
    postgres_admin_url: str,
) -> None:
    left_behind = database_name("filieres_test", owner=_pid_of_an_ended_process())
    in_use = database_name("filieres_test", owner=None)  # this process: alive
    unmarked = f"filieres_test_{left_behind.rsplit('_', 1)[1]}"  # no owner: not ours to judge
    for name in (left_behind, in_use, unmarked):
        create_database(postgres_admin_url, name)
    try:
        dropped = sweep_leftover_databases(postgres_admin_url)
        remaining = _databases(postgres_admin_url)
        assert left_behind in dropped and left_behind not in remaining
        assert {in_use, unmarked} <= remaining
        assert in_use not in dropped and unmarked not in dropped
    finally:
        with psycopg.connect(postgres_admin_url, autocommit=True) as connection:
            for name in (left_behind, in_use, unmarked):
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
