"""The library's environment for the SQLAlchemy event store (SQLite or PostgreSQL)."""

from functools import partial
from pathlib import Path
from typing import cast

from eventsourcing.utils import Environment
from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore

import infrastructure.sqlite_durability  # noqa: F401  (its listener applies to every engine)
from infrastructure.integrity_chain import (
    SECRET_KEY_FILE,
    SIGNING_KEY_FILE,
    ChainedSQLAlchemyFactory,
)
from infrastructure.settings import normalise_database_url

# Our names: the library reads no setting for its engine's pool.
POOL_SIZE = "SQLALCHEMY_POOL_SIZE"
MAX_OVERFLOW = "SQLALCHEMY_MAX_OVERFLOW"
DEFAULT_POOL_SIZE, DEFAULT_MAX_OVERFLOW = 10, 5  # as in the settings


def event_store_env(
    database_url: str,
    pool_size: int | None = None,
    max_overflow: int | None = None,
    secret_key_file: Path | None = None,
    signing_key_file: Path | None = None,
) -> dict[str, str]:
    """Environment for an eventsourcing Application storing through SQLAlchemy.

    `pool_size` and `max_overflow` size each engine's pool on PostgreSQL; left
    out, SQLAlchemy's defaults hold. The key files, left out, are read from
    the process's environment (`FILIERES_SECRET_KEY_FILE`, `FILIERES_SIGNING_KEY_FILE`).
    """
    env = {
        "PERSISTENCE_MODULE": "infrastructure.persistence:PooledFactory",
        "SQLALCHEMY_URL": normalise_database_url(database_url),
        "MAPPER_TOPIC": "infrastructure.transcoding:PydanticMapper",
        "TRANSCODER_TOPIC": "infrastructure.transcoding:OrjsonTranscoder",
    }
    if pool_size is not None:
        env[POOL_SIZE] = str(pool_size)
    if max_overflow is not None:
        env[MAX_OVERFLOW] = str(max_overflow)
    if secret_key_file is not None:
        env[SECRET_KEY_FILE] = str(secret_key_file)
    if signing_key_file is not None:
        env[SIGNING_KEY_FILE] = str(signing_key_file)
    return env


class PooledFactory(ChainedSQLAlchemyFactory):
    """The chained factory, its engine's pool sized by the environment on PostgreSQL.

    SQLite keeps the library's own pool: an in-memory store's StaticPool takes no size.
    """

    def __init__(self, env: Environment) -> None:
        pool_size, max_overflow = env.get(POOL_SIZE), env.get(MAX_OVERFLOW)
        postgres = (env.get("SQLALCHEMY_URL") or "").startswith("postgresql")
        if postgres and (pool_size is not None or max_overflow is not None):
            # The library builds its datastore from this class, with no pool arguments.
            sized = partial(
                self.datastore_class,
                pool_size=int(pool_size or DEFAULT_POOL_SIZE),
                max_overflow=int(max_overflow or DEFAULT_MAX_OVERFLOW),
            )
            self.datastore_class = cast(type[SQLAlchemyDatastore], sized)
        super().__init__(env)
