"""Whether a store exists, checked without creating one: what read-only commands ask first.

Opening a SQLite URL creates its file, and the library then creates its
tables: a command that only reads would leave an empty store behind and
report on it ("OK: 0 events"). So the file, the database and the event log
are looked for first, read-only.
"""

import re
import sqlite3
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, inspect
from sqlalchemy import exc as sql_errors
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from infrastructure.settings import normalise_database_url

CONNECT_TIMEOUT_SECONDS = 5
_UNKNOWN_DATABASE = re.compile(r'database "[^"]*" does not exist')


class StoreNotFoundError(Exception):
    """There is no store at the URL (no file, no database, or no event log in it)."""


class StoreUnreachableError(Exception):
    """The database server at the URL does not answer."""


def shown_url(database_url: str) -> str:
    """The URL as it may be printed: without its password."""
    try:
        return make_url(database_url).render_as_string(hide_password=True)
    except sql_errors.ArgumentError:
        return database_url


def require_store(database_url: str, events_table: str) -> None:
    """Raise unless `database_url` names a store holding the table `events_table`."""
    url = make_url(normalise_database_url(database_url))
    if url.get_backend_name() == "sqlite":
        _require_sqlite_store(url, database_url, events_table)
    else:
        _require_server_store(url, database_url, events_table)


def sqlite_path(url: URL) -> Path | None:
    """The file a SQLite URL names; None for an in-memory store."""
    database = url.database or ""
    if url.query.get("uri") == "true" and database.startswith("file:"):
        database = database.removeprefix("file:").split("?", 1)[0]
    if database in ("", ":memory:") or url.query.get("mode") == "memory":
        return None
    return Path(database)


def _require_sqlite_store(url: URL, database_url: str, events_table: str) -> None:
    shown = shown_url(database_url)
    path = sqlite_path(url)
    if path is None:
        raise StoreNotFoundError(f"no store at {shown}: an in-memory store holds nothing yet")
    if not path.is_file():
        raise StoreNotFoundError(
            f"no store at {shown}: the file {path} does not exist. Record one with"
            " `filieres demo` (or `filieres run`), or name an existing store with"
            " --database-url or FILIERES_DATABASE_URL"
        )
    try:
        # Read-only: even a file that is not a database is left exactly as it was.
        with closing(_readonly_sqlite(path)) as connection:
            found = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (events_table,)
            ).fetchone()
    except sqlite3.DatabaseError as error:
        raise StoreNotFoundError(
            f"no store at {shown}: {path} is not a SQLite database ({error})"
        ) from None
    if found is None:
        raise _no_event_log(shown, events_table)


def _readonly_sqlite(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)


def _require_server_store(url: URL, database_url: str, events_table: str) -> None:
    shown = shown_url(database_url)
    connect_args = {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
    engine = create_engine(url, poolclass=NullPool, connect_args=connect_args)
    try:
        with engine.connect() as connection:
            found = inspect(connection).has_table(events_table)
    except sql_errors.OperationalError as error:
        reason = str(error.orig).strip()
        if _UNKNOWN_DATABASE.search(reason):
            raise StoreNotFoundError(
                f"no store at {shown}: the database does not exist. Create it (createdb),"
                " then record into it with `filieres demo` or `filieres serve`"
            ) from None
        raise StoreUnreachableError(
            f"cannot reach the database at {shown}: {_first_line(reason)}."
            " Start the database server, or check --database-url / FILIERES_DATABASE_URL"
        ) from None
    finally:
        engine.dispose()
    if not found:
        raise _no_event_log(shown, events_table)


def _no_event_log(shown: str, events_table: str) -> StoreNotFoundError:
    return StoreNotFoundError(
        f"no Filières store at {shown}: it holds no event log (no table {events_table})."
        " Record one with `filieres demo`, or check --database-url"
    )


def _first_line(text: str) -> str:
    return text.splitlines()[0].removeprefix("connection failed: ") if text else "no answer"
