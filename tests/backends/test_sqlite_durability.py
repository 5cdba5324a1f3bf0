"""SQLite syncs each commit to disk unless FILIERES_SQLITE_SYNCHRONOUS lowers it."""

import pytest
from sqlalchemy import create_engine, text

import infrastructure.sqlite_durability  # noqa: F401  (the listener under test)
from infrastructure.sqlite_durability import VARIABLE

SQLITE_LEVELS = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}


def synchronous_of_a_new_connection(tmp_path) -> str:
    engine = create_engine(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        with engine.connect() as connection:
            level = connection.execute(text("PRAGMA synchronous")).scalar_one()
    finally:
        engine.dispose()
    return SQLITE_LEVELS[level]


def test_by_default_every_commit_waits_for_the_disk(tmp_path, monkeypatch):
    monkeypatch.delenv(VARIABLE, raising=False)
    assert synchronous_of_a_new_connection(tmp_path) == "FULL"


@pytest.mark.parametrize("level", ["OFF", "normal"])
def test_the_variable_sets_every_new_connection(tmp_path, monkeypatch, level):
    monkeypatch.setenv(VARIABLE, level)
    assert synchronous_of_a_new_connection(tmp_path) == level.upper()


def test_a_level_sqlite_does_not_know_is_refused_by_name(tmp_path, monkeypatch):
    monkeypatch.setenv(VARIABLE, "SOMETIMES")
    with pytest.raises(ValueError, match="FILIERES_SQLITE_SYNCHRONOUS='SOMETIMES'"):
        synchronous_of_a_new_connection(tmp_path)
