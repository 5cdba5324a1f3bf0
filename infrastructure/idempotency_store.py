"""Idempotency keys: the first answer to a keyed POST, stored with the events it wrote.

The row is written through the datastore's current transaction, so the key and
the command's events commit together or not at all, and survive a restart.

A replayed answer is trusted by the client as what its command did, so each is
sealed (HMAC-SHA-256 with the deployment's secret, held outside the database):
an answer altered or inserted by SQL, or stored before seals, is never replayed
(`UntrustedAnswerError`), and the command is not run a second time either.
"""

import hashlib
import hmac
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore
from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
    select,
)

from infrastructure.schema import add_column, create_tables, has_columns

metadata = MetaData()
idempotency_keys = Table(
    "filieres_idempotency_keys",
    metadata,
    # Keys are scoped by actor: two clients choosing the same key never collide.
    Column("actor", String(200), primary_key=True),
    Column("idempotency_key", String(200), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("body", Text, nullable=False),
    Column("etag", String(40), nullable=True),
    Column("location", String(300), nullable=True),
    Column("stored_at", DateTime(timezone=True), nullable=False),
    # Nullable only for rows from before seals, added at start; those are never replayed.
    Column("seal", String(64), nullable=True),
)
_DOMAIN = b"filieres idempotent answer seal v1\n"


class UntrustedAnswerError(Exception):
    """The answer stored for a key fails its seal: neither replayed nor run again."""


@dataclass(frozen=True)
class StoredAnswer:
    fingerprint: str
    """Hash of the request (method, path, body) the key was first used with."""
    status_code: int
    body: str
    etag: str | None = None
    location: str | None = None


def seal(secret: bytes, actor: str, key: str, answer: StoredAnswer) -> str:
    """HMAC-SHA-256, hex, of who used the key, the key, and every part of the answer."""
    parts = (
        actor,
        key,
        answer.fingerprint,
        str(answer.status_code),
        answer.etag or "",
        answer.location or "",
        answer.body,
    )
    message = _DOMAIN + "\n".join(parts).encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


class IdempotencyStore:
    def __init__(self, datastore: SQLAlchemyDatastore, secret: bytes) -> None:
        self.datastore = datastore
        self.secret = secret
        assert isinstance(datastore.engine, Engine)
        create_tables(datastore.engine, metadata.sorted_tables)
        _add_seal_column(datastore.engine)

    def find(self, actor: str, key: str) -> StoredAnswer | None:
        with self.datastore.transaction(commit=False) as session:
            row = session.execute(
                select(idempotency_keys).where(
                    idempotency_keys.c.actor == actor,
                    idempotency_keys.c.idempotency_key == key,
                )
            ).first()
        if row is None:
            return None
        answer = StoredAnswer(row.fingerprint, row.status_code, row.body, row.etag, row.location)
        if row.seal is None or not hmac.compare_digest(
            row.seal, seal(self.secret, actor, key, answer)
        ):
            raise UntrustedAnswerError(
                "the answer stored for this Idempotency-Key fails its seal (altered in the"
                " database, or stored before seals): it is not replayed, and the command is"
                " not run again; see the audit log for what the first request recorded"
            )
        return answer

    def remember(self, actor: str, key: str, answer: StoredAnswer) -> None:
        """Joins the transaction already open (the command's); a second use of a key fails it."""
        with self.datastore.transaction(commit=True) as session:
            session.execute(
                insert(idempotency_keys).values(
                    actor=actor,
                    idempotency_key=key,
                    **asdict(answer),  # its columns bear its fields' names
                    stored_at=datetime.now(UTC),
                    seal=seal(self.secret, actor, key, answer),
                )
            )


def _add_seal_column(engine: Engine) -> None:
    """A table from before seals gets the column, once; processes starting together may race."""
    table = idempotency_keys.name
    if has_columns(engine, table, ["seal"]):
        return
    add_column(engine, table, "seal", "VARCHAR(64)")
