"""Bringing a token table from before public ids, last-used days and digest kinds up to date,
at start (its rows' digests are keyed later, by `filieres token upgrade`).

Idempotent, and safe when several processes start at once (API workers, the
runner, a CLI command): on PostgreSQL one upgrades while the others wait on
an advisory lock, then find it done; on SQLite each step is a no-op when
done already or tolerates another process doing it at the same moment.
Tokens issued before get a random public id; the unique index then guards
against duplicates.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, Table, inspect, select, text, update

from infrastructure.schema import add_column, has_columns

NEW_COLUMNS = {"token_id": "VARCHAR(16)", "last_used_on": "DATE", "digest_kind": "VARCHAR(16)"}
INDEX = "filieres_api_tokens_token_id"
LOCK_KEY = 0x46494C544F4B  # "FILTOK": this upgrade's advisory lock


def upgrade_token_table(engine: Engine, tokens: Table, new_id: Callable[[], str]) -> None:
    """Add what is missing: the columns, the ids of older tokens (drawn by `new_id`), the
    unique index."""
    if _up_to_date(engine, tokens.name):
        return
    with _one_upgrade_at_a_time(engine):
        present = {column["name"] for column in inspect(engine).get_columns(tokens.name)}
        for name, sql_type in NEW_COLUMNS.items():
            if name not in present:
                add_column(engine, tokens.name, name, sql_type)
        _give_ids(engine, tokens, new_id)
        _create_index(engine, tokens.name)


def _up_to_date(engine: Engine, table: str) -> bool:
    """Whether the columns and the index are there: two small queries, at every start."""
    if not has_columns(engine, table, NEW_COLUMNS):
        return False
    with engine.connect() as connection:
        catalogue = (
            "SELECT 1 FROM pg_indexes WHERE tablename = :table AND indexname = :index"
            if engine.dialect.name == "postgresql"
            else "SELECT 1 FROM sqlite_master WHERE type = 'index'"
            " AND tbl_name = :table AND name = :index"
        )
        found = connection.execute(text(catalogue), {"table": table, "index": INDEX}).first()
        return found is not None


@contextmanager
def _one_upgrade_at_a_time(engine: Engine) -> Iterator[None]:
    """On PostgreSQL, a session lock that serialises upgrades (two CREATE INDEX at once may
    collide in the catalogue). SQLite's single writer already serialises each step."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": LOCK_KEY})
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})


def _give_ids(engine: Engine, tokens: Table, new_id: Callable[[], str]) -> None:
    with engine.begin() as connection:
        rows = connection.execute(select(tokens.c.token_hash, tokens.c.token_id)).all()
        taken = {row.token_id for row in rows if row.token_id}
        for row in rows:
            if row.token_id:
                continue
            token_id = new_id()
            while token_id in taken:
                token_id = new_id()
            taken.add(token_id)
            # Another process upgrading at once: whichever writes first gives the id.
            connection.execute(
                update(tokens)
                .where(tokens.c.token_hash == row.token_hash, tokens.c.token_id.is_(None))
                .values(token_id=token_id)
            )


def _create_index(engine: Engine, table: str) -> None:
    with engine.begin() as connection:
        connection.execute(text(f"CREATE UNIQUE INDEX IF NOT EXISTS {INDEX} ON {table} (token_id)"))
