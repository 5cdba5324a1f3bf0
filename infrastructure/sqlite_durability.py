"""How hard SQLite waits for the disk at each commit, for every engine of the process.

SQLite's default (`FULL`) syncs the write-ahead log at every commit: a recorded
decision survives a power cut. `FILIERES_SQLITE_SYNCHRONOUS` may lower it
(`NORMAL`: safe against a crash of the process, not of the machine; `OFF`)
where that is not needed: the test suite, which records thousands of throwaway
stores, sets `OFF`. Read at each new connection, so a process started with the
variable set applies it to every store it opens.
"""

import os
import sqlite3
from typing import Any

from sqlalchemy import Engine, event

VARIABLE = "FILIERES_SQLITE_SYNCHRONOUS"
LEVELS = ("OFF", "NORMAL", "FULL", "EXTRA")


@event.listens_for(Engine, "connect")
def _apply_synchronous(dbapi_connection: Any, _record: Any) -> None:
    level = os.environ.get(VARIABLE, "").strip().upper()
    if not level or not isinstance(dbapi_connection, sqlite3.Connection):
        return
    if level not in LEVELS:
        raise ValueError(f"{VARIABLE}={level!r}: expected one of {', '.join(LEVELS)}")
    dbapi_connection.execute(f"PRAGMA synchronous={level}")
