"""Bringing a token table from before public ids and last-used days up to date, at start.

Idempotent, and safe when several processes start at once (API workers, the
runner, a CLI command): each step either is a no-op when done already or
tolerates another process doing it at the same moment. Tokens issued before
get a random public id; the unique index then guards against duplicates.
"""

from collections.abc import Callable

from sqlalchemy import Engine, Table, inspect, select, text, update
from sqlalchemy import exc as sql_errors

NEW_COLUMNS = {"token_id": "VARCHAR(16)", "last_used_on": "DATE"}
INDEX = "filieres_api_tokens_token_id"


def upgrade_token_table(engine: Engine, tokens: Table, new_id: Callable[[], str]) -> None:
    """Add what is missing: the columns, the ids of older tokens (drawn by `new_id`), the
    unique index."""
    inspector = inspect(engine)
    present = {column["name"] for column in inspector.get_columns(tokens.name)}
    indexed = any(index["name"] == INDEX for index in inspector.get_indexes(tokens.name))
    if set(NEW_COLUMNS) <= present and indexed:
        return
    for name, sql_type in NEW_COLUMNS.items():
        if name not in present:
            _add_column(engine, tokens.name, name, sql_type)
    _give_ids(engine, tokens, new_id)
    _create_index(engine, tokens.name)


def _add_column(engine: Engine, table: str, name: str, sql_type: str) -> None:
    postgres = engine.dialect.name == "postgresql"
    # PostgreSQL locks the table, then checks; SQLite has no IF NOT EXISTS for a column.
    guard = "IF NOT EXISTS " if postgres else ""
    try:
        with engine.begin() as connection:
            connection.execute(text(f"ALTER TABLE {table} ADD COLUMN {guard}{name} {sql_type}"))
    except sql_errors.OperationalError as error:
        if "duplicate column" not in str(error.orig).lower():
            raise


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
    try:
        with engine.begin() as connection:
            connection.execute(
                text(f"CREATE UNIQUE INDEX IF NOT EXISTS {INDEX} ON {table} (token_id)")
            )
    except (sql_errors.ProgrammingError, sql_errors.IntegrityError) as error:
        # PostgreSQL: another process created it between the check and the creation.
        if not any(index["name"] == INDEX for index in inspect(engine).get_indexes(table)):
            raise error from None
