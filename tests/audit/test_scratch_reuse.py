"""A scratch view lent to one fold and then to the next holds nothing of the first.

Time travel reuses scratch views (their tables and compiled statements) across
folds: a reused one must start from exactly the snapshot it is given, or from
empty tables, never from what the previous fold left in it.
"""

import sqlite3
from collections.abc import Iterator
from contextlib import closing

from application.projections.views import filiere_overview
from infrastructure.time_travel.scratch_views import ScratchViews

VIEW = filiere_overview.VIEW


def tables_in(snapshot: bytes) -> set[str]:
    with closing(sqlite3.connect(":memory:")) as connection:
        connection.deserialize(snapshot)
        rows: Iterator[tuple[str]] = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
        )
        return {name for (name,) in rows}


def with_marker_table() -> bytes:
    """A snapshot as a fold could leave it: the view's tables and something of its own."""
    pool = ScratchViews()
    with pool.borrowed(VIEW) as scratch, closing(sqlite3.connect(":memory:")) as connection:
        connection.deserialize(scratch.snapshot())
        connection.execute("CREATE TABLE left_by_the_first_fold (x)")
        connection.commit()
        return connection.serialize()


def test_a_reused_scratch_view_starts_from_empty_tables() -> None:
    pool = ScratchViews()
    with pool.borrowed(VIEW, with_marker_table()) as first:
        assert "left_by_the_first_fold" in tables_in(first.snapshot())
    with pool.borrowed(VIEW) as again:
        assert again is first  # reused, not rebuilt
        found = tables_in(again.snapshot())
    assert "left_by_the_first_fold" not in found
    assert {table.name for table in VIEW.tables} <= found


def test_a_scratch_view_a_fold_failed_in_is_not_lent_again() -> None:
    pool = ScratchViews()
    try:
        with pool.borrowed(VIEW) as failed:
            raise RuntimeError("the fold failed half-way")
    except RuntimeError:
        pass
    with pool.borrowed(VIEW) as next_one:
        assert next_one is not failed
