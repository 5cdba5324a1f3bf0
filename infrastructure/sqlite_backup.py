"""A consistent copy of a live SQLite store, through SQLite's online backup.

The store runs in WAL mode: recent commits sit in `filieres.db-wal` until a
checkpoint moves them into the main file, so a `cp` of the main file alone
misses them (and a `cp` of both may catch them mid-write). The backup API
copies the database as one reader sees it: every page in one step, under one
read transaction, so the copy holds exactly the commits made before it began,
while the API keeps writing.
"""

import os
import sqlite3
import uuid
from contextlib import closing, suppress
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.engine import make_url

from infrastructure.store_presence import sqlite_path


class BackupTargetExistsError(Exception):
    """The backup's target file exists and was not to be replaced."""


def sqlite_store_path(database_url: str) -> Path | None:
    """The file of a SQLite store URL; None for any other backend or an in-memory store."""
    url = make_url(database_url)
    return sqlite_path(url) if url.get_backend_name() == "sqlite" else None


def backup_sqlite(source: Path, target: Path, events_table: str, replace: bool = False) -> int:
    """Copy the store at `source` into `target` as it stands now; the number of events copied.

    The copy is written beside `target` and moved into place only once
    complete, so `target` never holds half a backup; it is left a single file
    (rollback journal, not WAL). An existing `target` is replaced only with
    `replace`.
    """
    if target.exists() and not replace:
        raise BackupTargetExistsError(f"{target} exists")
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        # Read-only: the backup writes nothing to the live store.
        uri = f"file:{quote(str(source.resolve()))}?mode=ro"
        with (
            closing(sqlite3.connect(uri, uri=True)) as live,
            closing(sqlite3.connect(partial)) as copy,
        ):
            live.backup(copy)  # all pages in one step: one snapshot
        with closing(sqlite3.connect(partial)) as copy:
            copy.execute("PRAGMA journal_mode=DELETE")
            (events,) = copy.execute(f'SELECT count(*) FROM "{events_table}"').fetchone()
        _move_into_place(partial, target, replace)
        return int(events)
    finally:
        with suppress(FileNotFoundError):
            partial.unlink()


def _move_into_place(partial: Path, target: Path, replace: bool) -> None:
    if replace:
        os.replace(partial, target)
        return
    try:
        # A link fails if `target` appeared meanwhile, where a rename would overwrite it.
        os.link(partial, target)
    except FileExistsError:
        raise BackupTargetExistsError(f"{target} exists") from None
    except OSError:  # a file system without hard links
        if target.exists():
            raise BackupTargetExistsError(f"{target} exists") from None
        os.replace(partial, target)
