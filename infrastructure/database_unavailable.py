"""Which errors mean "the database cannot be reached right now" (a 503 the client may retry).

A restart or outage of PostgreSQL surfaces in many forms: the driver's
`psycopg.OperationalError` (server shutting down, connection refused, the
connection lost mid-query), SQLAlchemy's wrappers of it, and the eventsourcing
library's re-wrapping of those (`eventsourcing.persistence.OperationalError`,
`InterfaceError`, or a bare `PersistenceError` around SQLAlchemy's own
`DisconnectionError`). The cause chain is followed so that every wrapping
answers alike, whichever layer raised it.
"""

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import InterfaceError as SQLInterfaceError
from sqlalchemy.exc import OperationalError as SQLOperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

UNREACHABLE: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    SQLOperationalError,
    SQLInterfaceError,
    DisconnectionError,
    PoolTimeoutError,  # every pooled connection busy for the pool's timeout
    psycopg.OperationalError,
    psycopg.InterfaceError,
)
"""Errors that say the database is unreachable or busy, not that the request is wrong."""

_CHAIN_LIMIT = 16


def database_unavailable(error: BaseException) -> bool:
    """Whether `error`, or an error it was raised from or while handling, is an outage."""
    current: BaseException | None = error
    for _ in range(_CHAIN_LIMIT):
        if current is None:
            return False
        if isinstance(current, UNREACHABLE):
            return True
        # SQLAlchemy recognised a lost connection, whatever class the driver gave it.
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    return False
