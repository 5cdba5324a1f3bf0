"""API tokens: issued by the CLI, stored only as SHA-256 hashes, in the events' database."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Column, DateTime, Engine, MetaData, String, Table, insert, select, update

from infrastructure.schema import create_tables

metadata = MetaData()
api_tokens = Table(
    "filieres_api_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("actor", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)


class Role(StrEnum):
    READER = "reader"
    RECORDER = "recorder"
    AUDITOR = "auditor"
    ADMIN = "admin"


@dataclass(frozen=True)
class TokenHolder:
    actor: str
    role: Role


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        create_tables(engine, metadata.sorted_tables)

    def issue(self, actor: str, role: Role) -> str:
        """A new token; only its hash is kept, so it is shown once."""
        actor = actor.strip()
        if not actor or len(actor) > 200:
            raise ValueError("the actor is a non-empty name of at most 200 characters")
        token = "flt_" + secrets.token_urlsafe(32)
        with self.engine.begin() as connection:
            connection.execute(
                insert(api_tokens).values(
                    token_hash=_hash(token),
                    actor=actor,
                    role=Role(role).value,
                    issued_at=datetime.now(UTC),
                )
            )
        return token

    def authenticate(self, token: str) -> TokenHolder | None:
        """The holder of a valid, unrevoked token; None otherwise."""
        digest = _hash(token)
        # Autocommit: one SELECT needs no transaction, so no BEGIN and ROLLBACK round trips.
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            row = connection.execute(
                select(api_tokens).where(api_tokens.c.token_hash == digest)
            ).first()
        if row is None or row.revoked_at is not None:
            return None
        if not hmac.compare_digest(row.token_hash, digest):
            return None
        return TokenHolder(actor=row.actor, role=Role(row.role))

    def revoke(self, token: str) -> bool:
        with self.engine.begin() as connection:
            result = connection.execute(
                update(api_tokens)
                .where(api_tokens.c.token_hash == _hash(token), api_tokens.c.revoked_at.is_(None))
                .values(revoked_at=datetime.now(UTC))
            )
        return result.rowcount == 1
