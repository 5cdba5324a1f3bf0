"""Idempotency keys: the first answer to a keyed POST, stored with the events it wrote.

The row is written through the datastore's current transaction, so the key and
the command's events commit together or not at all, and survive a restart.
"""

from dataclasses import dataclass
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

from infrastructure.schema import create_tables

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
)


@dataclass(frozen=True)
class StoredAnswer:
    fingerprint: str
    """Hash of the request (method, path, body) the key was first used with."""
    status_code: int
    body: str
    etag: str | None = None
    location: str | None = None


class IdempotencyStore:
    def __init__(self, datastore: SQLAlchemyDatastore) -> None:
        self.datastore = datastore
        assert isinstance(datastore.engine, Engine)
        create_tables(datastore.engine, metadata.sorted_tables)

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
        return StoredAnswer(row.fingerprint, row.status_code, row.body, row.etag, row.location)

    def remember(self, actor: str, key: str, answer: StoredAnswer) -> None:
        """Joins the transaction already open (the command's); a second use of a key fails it."""
        with self.datastore.transaction(commit=True) as session:
            session.execute(
                insert(idempotency_keys).values(
                    actor=actor,
                    idempotency_key=key,
                    fingerprint=answer.fingerprint,
                    status_code=answer.status_code,
                    body=answer.body,
                    etag=answer.etag,
                    location=answer.location,
                    stored_at=datetime.now(UTC),
                )
            )
