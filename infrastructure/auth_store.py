"""API tokens: issued by the CLI, stored only as keyed digests, in the events' database.

Each token also has a short public id (`tok_` + 8 hex digits) by which it is
listed and revoked, so the secret itself never has to be typed again: a
command line is visible to every user of the machine. The digest is keyed by the
deployment's secret (`token_digests.py`): the database alone cannot mint a token.
"""

import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Engine,
    Index,
    MetaData,
    Row,
    String,
    Table,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy import exc as sql_errors

from infrastructure.auth_store_upgrade import upgrade_token_table
from infrastructure.schema import create_tables
from infrastructure.token_digests import KEYED, keyed_from_legacy, token_digest

logger = logging.getLogger(__name__)

metadata = MetaData()
api_tokens = Table(
    "filieres_api_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    # Nullable only because tables from before ids get theirs from the upgrade at start.
    Column("token_id", String(16), nullable=True),
    Column("actor", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("last_used_on", Date, nullable=True),
    # NULL: a plain SHA-256 from before keyed digests, refused until `filieres token upgrade`.
    Column("digest_kind", String(16), nullable=True),
    Index("filieres_api_tokens_token_id", "token_id", unique=True),
)
ID_ATTEMPTS = 5
_LEGACY_DIGEST = re.compile(r"[0-9a-f]{64}")


class Role(StrEnum):
    READER = "reader"
    RECORDER = "recorder"
    AUDITOR = "auditor"
    ADMIN = "admin"


@dataclass(frozen=True)
class TokenHolder:
    actor: str
    role: Role


@dataclass(frozen=True)
class IssuedToken:
    token_id: str
    secret: str


@dataclass(frozen=True)
class TokenRecord:
    """What may be shown of a token: never its secret nor its digest."""

    token_id: str
    actor: str
    role: Role
    issued_at: datetime
    last_used_on: date | None
    revoked_at: datetime | None


class TokenRevocationError(Exception):
    """The token named cannot be revoked (already revoked)."""


class UnknownTokenError(Exception):
    """No token has the id given."""


def new_token_id() -> str:
    return "tok_" + secrets.token_hex(4)


class TokenStore:
    def __init__(self, engine: Engine, secret: bytes) -> None:
        self.engine = engine
        self.secret = secret
        create_tables(engine, metadata.sorted_tables)
        upgrade_token_table(engine, api_tokens, new_token_id)
        legacy = self.legacy_records()
        if legacy:
            logger.warning(
                "%d token(s) stored as plain SHA-256 are refused until `filieres token upgrade`",
                len(legacy),
            )

    def issue(self, actor: str, role: Role) -> str:
        """A new token's secret; only its digest is kept, so it is shown once."""
        return self.issue_token(actor, role).secret

    def issue_token(self, actor: str, role: Role) -> IssuedToken:
        """A new token: its public id and its secret, shown once."""
        actor = actor.strip()
        if not actor or len(actor) > 200:
            raise ValueError("the actor is a non-empty name of at most 200 characters")
        token = "flt_" + secrets.token_urlsafe(32)
        for attempt in range(ID_ATTEMPTS):
            token_id = new_token_id()
            try:
                with self.engine.begin() as connection:
                    connection.execute(
                        insert(api_tokens).values(
                            token_hash=token_digest(token, self.secret),
                            digest_kind=KEYED,
                            token_id=token_id,
                            actor=actor,
                            role=Role(role).value,
                            issued_at=datetime.now(UTC),
                        )
                    )
                return IssuedToken(token_id=token_id, secret=token)
            except sql_errors.IntegrityError:
                # 8 hex digits: two tokens may, rarely, draw the same id; draw again.
                if attempt == ID_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def authenticate(self, token: str) -> TokenHolder | None:
        """The holder of a valid, unrevoked token; None otherwise. Notes the day of use."""
        found = self.authenticate_with_id(token)
        return None if found is None else found[1]

    def holder_by_id(self, token_id: str) -> TokenHolder | None:
        """The holder of the unrevoked token with this public id (a page's session names it)."""
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            row = connection.execute(
                select(api_tokens.c.actor, api_tokens.c.role).where(
                    api_tokens.c.token_id == token_id,
                    api_tokens.c.revoked_at.is_(None),
                    api_tokens.c.digest_kind == KEYED,
                )
            ).first()
        return None if row is None else TokenHolder(actor=row.actor, role=Role(row.role))

    def authenticate_with_id(self, token: str) -> tuple[str, TokenHolder] | None:
        """As `authenticate`, with the token's public id."""
        digest = token_digest(token, self.secret)
        # Autocommit: one SELECT needs no transaction, so no BEGIN and ROLLBACK round trips.
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            row = connection.execute(
                select(
                    api_tokens.c.token_hash,
                    api_tokens.c.token_id,
                    api_tokens.c.actor,
                    api_tokens.c.role,
                    api_tokens.c.revoked_at,
                    api_tokens.c.last_used_on,
                ).where(api_tokens.c.token_hash == digest, api_tokens.c.digest_kind == KEYED)
            ).first()
            if row is None or row.revoked_at is not None:
                return None
            if not hmac.compare_digest(row.token_hash, digest):
                return None
            today = datetime.now(UTC).date()
            if row.last_used_on != today:
                # At most one write per token and day: every other request only reads.
                connection.execute(
                    update(api_tokens)
                    .where(
                        api_tokens.c.token_hash == digest,
                        or_(
                            api_tokens.c.last_used_on.is_(None),
                            api_tokens.c.last_used_on < today,
                        ),
                    )
                    .values(last_used_on=today)
                )
        return row.token_id, TokenHolder(actor=row.actor, role=Role(row.role))

    def records(self) -> list[TokenRecord]:
        """Every token, revoked ones too, in the order they were issued."""
        query = _RECORD.order_by(api_tokens.c.issued_at, api_tokens.c.token_id)
        with self.engine.connect() as connection:
            return [_record(row) for row in connection.execute(query)]

    def legacy_records(self) -> list[TokenRecord]:
        """The tokens still stored as a plain SHA-256, refused until upgraded."""
        query = _RECORD.where(api_tokens.c.digest_kind.is_(None)).order_by(
            api_tokens.c.issued_at, api_tokens.c.token_id
        )
        with self.engine.connect() as connection:
            return [_record(row) for row in connection.execute(query)]

    def upgrade_legacy(self) -> list[TokenRecord]:
        """Key the digest of every token stored as a plain SHA-256; the tokens upgraded.

        Run once, after upgrading Filières: no version since writes such rows, so one
        found later was written by someone else and should be revoked, not upgraded.
        """
        upgraded = []
        with self.engine.begin() as connection:
            legacy = connection.execute(
                _RECORD.add_columns(api_tokens.c.token_hash).where(
                    api_tokens.c.digest_kind.is_(None)
                )
            ).all()
            for row in legacy:
                if not _LEGACY_DIGEST.fullmatch(row.token_hash):
                    # No SHA-256 of any token: nothing to upgrade, refused for ever.
                    logger.warning("token %s holds no SHA-256; left refused", row.token_id)
                    continue
                connection.execute(
                    update(api_tokens)
                    .where(
                        api_tokens.c.token_hash == row.token_hash,
                        api_tokens.c.digest_kind.is_(None),
                    )
                    .values(
                        token_hash=keyed_from_legacy(row.token_hash, self.secret),
                        digest_kind=KEYED,
                    )
                )
                upgraded.append(_record(row))
        return upgraded

    def revoke(self, token_id: str) -> TokenRecord:
        """Revoke the token with this public id; raise if there is none or it is revoked."""
        with self.engine.begin() as connection:
            revoked = connection.execute(
                update(api_tokens)
                .where(api_tokens.c.token_id == token_id, api_tokens.c.revoked_at.is_(None))
                .values(revoked_at=datetime.now(UTC))
            ).rowcount
            row = connection.execute(_RECORD.where(api_tokens.c.token_id == token_id)).first()
        if row is None:
            raise UnknownTokenError(f"no token has the id {token_id!r} (see `filieres token list`)")
        record = _record(row)
        if revoked != 1:
            raise TokenRevocationError(
                f"the token {token_id} was already revoked on {row.revoked_at.date()}"
            )
        return record


_RECORD = select(
    api_tokens.c.token_id,
    api_tokens.c.actor,
    api_tokens.c.role,
    api_tokens.c.issued_at,
    api_tokens.c.last_used_on,
    api_tokens.c.revoked_at,
)


def _record(row: Row[Any]) -> TokenRecord:
    return TokenRecord(
        token_id=row.token_id,
        actor=row.actor,
        role=Role(row.role),
        issued_at=_utc(row.issued_at),
        last_used_on=row.last_used_on,
        revoked_at=_utc(row.revoked_at) if row.revoked_at else None,
    )


def _utc(instant: datetime) -> datetime:
    """SQLite gives back naive instants; they were written in UTC."""
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)
