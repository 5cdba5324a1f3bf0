"""Reading the event log for auditors: an aggregate's stream, and filtered pages of the log.

Each event is read from the events table with its row of the integrity chain
(a left join: an event the chain lacks still shows, with no hashes, which is
what `verify` reports). Filters run on the event index's columns, each with
an index ending in the position, and pages are keyed on the position, so a
page costs the same at the start of the log as at its end.
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import StoredEvent
from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore
from eventsourcing_sqlalchemy.factory import SQLAlchemyFactory
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import ColumnElement, Row, Select, Table, select

from application.audit.event_record import GENESIS_HASH, AuditEvent, audit_event
from application.audit.stream_history import LoggedEvent
from application.projections.paging import MAX_PAGE, MAX_POSITION_DIGITS
from application.projections.records import Page
from domain.errors import InvalidValueError
from infrastructure.integrity_chain import CHAIN, PlainState
from infrastructure.merkle_tree import LEAVES, decode_salts
from infrastructure.views.event_index_tables import EVENT_INDEX

_CURSOR_PREFIX = "log|"


@dataclass(frozen=True)
class EventLogFilter:
    """What an auditor narrows the log to; every bound is inclusive, filters combine."""

    aggregate_id: UUID | None = None
    type: str | None = None
    """An event type (`Call.CandidacySelected`) or an aggregate type (`Call`)."""
    filiere_id: UUID | None = None
    actor: str | None = None
    recorded_from: datetime | None = None
    recorded_to: datetime | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    assumed: bool | None = None
    """True: only the events that rest on an assumption of their recorder; False: none."""

    def check(self) -> None:
        """Refuse reversed ranges and instants without an offset (their meaning is a guess)."""
        for name, instant in (
            ("recorded_from", self.recorded_from),
            ("recorded_to", self.recorded_to),
        ):
            if instant is not None and instant.utcoffset() is None:
                raise InvalidValueError(f"{name}: give the instant with its offset, e.g. +00:00")
        if self.recorded_from and self.recorded_to and self.recorded_from > self.recorded_to:
            raise InvalidValueError(
                f"recorded_from: {self.recorded_from.isoformat()} comes after recorded_to"
                f" ({self.recorded_to.isoformat()})"
            )
        if self.effective_from and self.effective_to and self.effective_from > self.effective_to:
            raise InvalidValueError(
                f"effective_from: {self.effective_from} comes after effective_to"
                f" ({self.effective_to})"
            )

    def conditions(self) -> list[ColumnElement[bool]]:
        index = EVENT_INDEX.c
        where: list[ColumnElement[bool]] = []
        if self.aggregate_id is not None:
            where.append(index.aggregate_id == self.aggregate_id)
        if self.type is not None:
            column = index.event_type if "." in self.type else index.aggregate_type
            where.append(column == self.type)
        if self.filiere_id is not None:
            where.append(index.filiere_id == self.filiere_id)
        if self.actor is not None:
            where.append(index.recorded_by == self.actor)
        if self.recorded_from is not None:
            where.append(index.recorded_at >= self.recorded_from)
        if self.recorded_to is not None:
            where.append(index.recorded_at <= self.recorded_to)
        if self.effective_from is not None:
            where.append(index.effective_on >= self.effective_from)
        if self.effective_to is not None:
            where.append(index.effective_on <= self.effective_to)
        if self.assumed is not None:
            where.append(index.assumed == self.assumed)
        return where


class AuditEventQuery:
    """The audit's reads of the events table, on the application's own datastore."""

    def __init__(
        self, datastore: SQLAlchemyDatastore, events: Table, plain_state: PlainState | None = None
    ) -> None:
        self.datastore = datastore
        self.events = events
        self.plain_state = plain_state or PlainState()

    @classmethod
    def of(cls, app: Application[Any]) -> "AuditEventQuery":
        """On the store of `app` (configured with the SQLAlchemy persistence module)."""
        datastore = cast(SQLAlchemyFactory, app.factory).datastore
        recorder = cast(SQLAlchemyApplicationRecorder, app.recorder)
        events = cast(Table, recorder.events_record_cls.__table__)
        return cls(datastore, events, getattr(recorder, "plain_state", None))

    def stream(self, aggregate_id: UUID) -> list[LoggedEvent]:
        """Every stored event of one aggregate, in version order, with its chain hashes."""
        statement = (
            self._select(
                self.events.outerjoin(CHAIN, CHAIN.c.position == self.events.c.id).outerjoin(
                    LEAVES, LEAVES.c.position == self.events.c.id
                )
            )
            .where(self.events.c.originator_id == aggregate_id)
            .order_by(self.events.c.originator_version)
        )
        with self.datastore.transaction(commit=False) as session:
            rows = session.connection().execute(statement).all()
        return [_logged(row, self.plain_state) for row in rows]

    def page(
        self, where: EventLogFilter, limit: int, cursor: str | None = None
    ) -> Page[AuditEvent]:
        """One page of the matching events in log order; `next_cursor` is None on the last."""
        if not 1 <= limit <= MAX_PAGE:
            raise InvalidValueError(f"limit: {limit} is not between 1 and {MAX_PAGE}")
        where.check()
        after = decode_cursor(cursor) if cursor else 0
        joined = (
            EVENT_INDEX.join(self.events, self.events.c.id == EVENT_INDEX.c.position)
            .outerjoin(CHAIN, CHAIN.c.position == EVENT_INDEX.c.position)
            .outerjoin(LEAVES, LEAVES.c.position == EVENT_INDEX.c.position)
        )
        statement = (
            self._select(joined)
            .where(EVENT_INDEX.c.position > after, *where.conditions())
            .order_by(EVENT_INDEX.c.position)
            .limit(limit + 1)
        )
        with self.datastore.transaction(commit=False) as session:
            rows = session.connection().execute(statement).all()
        items = [_logged(row, self.plain_state).record for row in rows[:limit]]
        more = len(rows) > limit
        return Page[AuditEvent](
            items=items, next_cursor=encode_cursor(items[-1].position) if more else None
        )

    def _select(self, joined: Any) -> Select[Any]:
        previous = CHAIN.alias("previous_link")
        previous_hash = (
            select(previous.c.chain_hash)
            .where(previous.c.position < CHAIN.c.position)
            .order_by(previous.c.position.desc())
            .limit(1)
            .correlate(CHAIN)
            .scalar_subquery()
        )
        events = self.events.c
        return select(
            events.id,
            events.originator_id,
            events.originator_version,
            events.topic,
            events.state,
            CHAIN.c.content_hash,
            CHAIN.c.chain_hash,
            previous_hash.label("previous_hash"),
            LEAVES.c.leaf_index,
            LEAVES.c.tree_content_hash,
            LEAVES.c.personal_salts,
        ).select_from(joined)


def _logged(row: Row[Any], plain_state: PlainState) -> LoggedEvent:
    state = bytes(row.state)
    chained = row.chain_hash is not None
    stored = StoredEvent(
        originator_id=row.originator_id,
        originator_version=row.originator_version,
        topic=row.topic,
        state=state,
    )
    record = audit_event(
        row.id,
        row.originator_id,
        row.originator_version,
        row.topic,
        plain_state.or_as_stored(state),
        content_hash=row.content_hash,
        previous_hash=(row.previous_hash or GENESIS_HASH) if chained else None,
        hash=row.chain_hash,
        leaf_index=row.leaf_index,
        tree_content_hash=row.tree_content_hash,
        personal_salts=decode_salts(row.personal_salts) if row.leaf_index is not None else None,
    )
    return LoggedEvent(record=record, stored=stored)


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{position}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    """The position a cursor of this log carries; anything else is refused (422)."""
    try:
        key = base64.b64decode(cursor.encode(), altchars=b"-_", validate=True).decode()
    except (ValueError, binascii.Error, UnicodeError):
        key = ""
    position = key.removeprefix(_CURSOR_PREFIX)
    if (
        not key.startswith(_CURSOR_PREFIX)
        or not position.isdigit()
        or not position.isascii()
        or len(position) > MAX_POSITION_DIGITS
    ):
        raise InvalidValueError(f"cursor: {cursor[:40]!r} is not a cursor this API gave")
    return int(position)
