"""Creating tables when several processes start at once (API workers, the projection runner).

`checkfirst` looks, then creates: between the two, another process may create
the same table, and the database refuses the second CREATE (PostgreSQL with a
duplicate table or a duplicate row type, SQLite with "already exists"). The
table is there, which is all the caller wanted: look again.
"""

from collections.abc import Iterable

from sqlalchemy import Connection, Engine, Table
from sqlalchemy import exc as sql_errors

ATTEMPTS = 3


def create_tables(bind: Engine | Connection, tables: Iterable[Table]) -> None:
    """Create each missing table, tolerating another process creating it at the same moment."""
    for table in tables:
        for attempt in range(ATTEMPTS):
            try:
                table.create(bind, checkfirst=True)
                break
            except (
                sql_errors.ProgrammingError,
                sql_errors.IntegrityError,
                sql_errors.OperationalError,
            ) as error:
                if attempt == ATTEMPTS - 1 or not _created_meanwhile(error):
                    raise


def _created_meanwhile(error: sql_errors.DBAPIError) -> bool:
    text = str(error.orig).lower()
    return "already exists" in text or "pg_type_typname_nsp_index" in text
