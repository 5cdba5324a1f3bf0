"""One generated SQLite store per (events, seed) for a whole `make bench` run.

Recording 1,000,000 events takes minutes; the rebuild and audit benchmarks need the
same log the generation benchmark has just written. `python -m bench` sets
BENCH_STORE_CACHE to its scratch directory; a module that generated a store leaves a
copy there, and the next one that needs the same log copies the file instead of
generating it again. Without the variable (a module run on its own) nothing is kept.
"""

import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from bench.generate import generate_history
from infrastructure.secret_key import SECRET_FILE_SUFFIX


def _cached(events: int, seed: int) -> Path | None:
    directory = os.environ.get("BENCH_STORE_CACHE")
    return Path(directory) / f"sqlite-{events}-{seed}.db" if directory else None


def _sqlite_path(database_url: str) -> Path | None:
    prefix = "sqlite:///"
    return Path(database_url[len(prefix) :]) if database_url.startswith(prefix) else None


def keep(database_url: str, events: int, seed: int) -> None:
    """Leave a copy of the freshly generated store at `database_url` for later modules."""
    cached, path = _cached(events, seed), _sqlite_path(database_url)
    if cached is not None and path is not None and not cached.exists():
        # SQLite's backup, not a file copy: the store is in WAL mode, and pages still in
        # its -wal file were missing from a copy of the main file ("disk image is malformed").
        with closing(sqlite3.connect(path)) as source, closing(sqlite3.connect(cached)) as copy:
            source.backup(copy)
        _copy_secret(path, cached)


def _copy_secret(source: Path, target: Path) -> None:
    """The secret beside a store seals its snapshots: a copy without it would ignore them."""
    secret = source.with_name(source.name + SECRET_FILE_SUFFIX)
    if secret.exists():
        shutil.copy2(secret, target.with_name(target.name + SECRET_FILE_SUFFIX))


def recorded_store(database_url: str, events: int, seed: int) -> str:
    """Fill the empty store at `database_url` with the synthetic log, copied if kept.

    Returns how: "copied" or "generated".
    """
    cached, path = _cached(events, seed), _sqlite_path(database_url)
    if cached is not None and path is not None and cached.exists():
        shutil.copyfile(cached, path)
        _copy_secret(cached, path)
        return "copied"
    generate_history(database_url, events, seed)
    keep(database_url, events, seed)
    return "generated"
