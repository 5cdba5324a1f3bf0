"""DecisionRegister in SQL: one row per decision, the people who took it, and the names it shows."""

from datetime import UTC, date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ColumnElement,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
    and_,
    exists,
    or_,
    select,
)

from application.projections.decision_register import DecisionRegisterView, Subject
from application.projections.events import event_name
from application.projections.records import DecisionEntry, RegisterFilter, Vote
from domain.base import DomainEvent
from infrastructure.views.base import SQLAlchemyView
from infrastructure.views.column_types import Cents, UtcDateTime
from infrastructure.views.pending_rows import PendingRows

metadata = MetaData()

register = Table(
    "decision_register",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("aggregate_id", Uuid, nullable=False),
    Column("aggregate_type", String(64), nullable=False),
    Column("event", String(100), nullable=False),
    Column("candidacy_id", Uuid),
    Column("filiere_id", Uuid),
    Column("body_id", Uuid, nullable=False),
    Column("decided_on", Date, nullable=False),
    Column("decided_by", JSON, nullable=False),
    Column("vote_for", Integer),
    Column("vote_against", Integer),
    Column("vote_abstain", Integer),
    Column("rationale", String(4000), nullable=False),
    Column("reference", String(500)),
    Column("amount", Cents),
    Column("reverses", BigInteger),
    Column("reversed_by", BigInteger),
    Column("recorded_by", String(200), nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("correlation_id", Uuid),
    Index("decision_register_by_date", "decided_on", "position"),
    Index("decision_register_by_filiere", "filiere_id", "decided_on", "position"),
    Index("decision_register_by_body", "body_id", "decided_on", "position"),
)
people = Table(
    "decision_register_people",
    metadata,
    Column("person", String(200), primary_key=True),
    Column("position", BigInteger, primary_key=True),
)
bodies = Table(
    "decision_register_bodies",
    metadata,
    Column("body_id", Uuid, primary_key=True),
    Column("name", String(500), nullable=False),
)
subjects = Table(
    "decision_register_subjects",
    metadata,
    Column("aggregate_id", Uuid, primary_key=True),
    Column("title", String(500)),
    Column("filiere_id", Uuid),
)
candidacies = Table(
    "decision_register_candidacies",
    metadata,
    # A candidacy's id is unique within its call only (clients may choose it).
    Column("call_id", Uuid, primary_key=True),
    Column("candidacy_id", Uuid, primary_key=True),
    Column("project_title", String(500), nullable=False),
    Column("requested_amount", Cents),
)


class SQLAlchemyDecisionRegisterView(SQLAlchemyView, DecisionRegisterView):
    metadata = metadata

    def body_constituted(self, body_id: UUID, name: str, tracking: Tracking) -> None:
        row = {"body_id": body_id, "name": name}
        self._apply(tracking, lambda rows: rows.insert(bodies, row))

    def project_proposed(
        self, project_id: UUID, title: str, filiere_id: UUID, tracking: Tracking
    ) -> None:
        row = {"aggregate_id": project_id, "title": title, "filiere_id": filiere_id}
        self._apply(tracking, lambda rows: rows.insert(subjects, row))

    def candidacy_submitted(
        self,
        call_id: UUID,
        candidacy_id: UUID,
        project_title: str,
        amount: Decimal | None,
        tracking: Tracking,
    ) -> None:
        row = {
            "call_id": call_id,
            "candidacy_id": candidacy_id,
            "project_title": project_title,
            "requested_amount": amount,
        }
        self._apply(tracking, lambda rows: rows.insert(candidacies, row))

    def decision_recorded(self, event: DomainEvent, tracking: Tracking, about: Subject) -> None:
        def write(rows: PendingRows) -> None:
            aggregate_id = event.originator_id
            if about.title is None and about.filiere_of is None:
                filiere_id = _title_and_filiere(rows, aggregate_id)[1]
            else:  # the decision creates its subject: remember its title and filière
                title, filiere_id = about.title, about.filiere_id
                if about.filiere_of is not None:
                    title, filiere_id = _title_and_filiere(rows, about.filiere_of)
                rows.insert(
                    subjects,
                    {"aggregate_id": aggregate_id, "title": title, "filiere_id": filiere_id},
                )
            amount = about.amount
            if about.candidacy_id is not None and amount is None:
                candidacy = rows.get(candidacies, (aggregate_id, about.candidacy_id))
                amount = None if candidacy is None else candidacy["requested_amount"]
            decision = event.decision  # type: ignore[attr-defined]
            vote, meta, position = decision.vote, event.meta, tracking.notification_id
            rows.insert(
                register,
                {
                    "position": position,
                    "aggregate_id": aggregate_id,
                    "aggregate_type": event_name(event).split(".", 1)[0],
                    "event": event_name(event),
                    "candidacy_id": about.candidacy_id,
                    "filiere_id": filiere_id,
                    "body_id": decision.body_id,
                    "decided_on": decision.decided_on,
                    "decided_by": list(decision.decided_by),
                    "vote_for": vote.for_ if vote else None,
                    "vote_against": vote.against if vote else None,
                    "vote_abstain": vote.abstain if vote else None,
                    "rationale": decision.rationale,
                    "reference": decision.reference,
                    "amount": amount,
                    "reverses": decision.reverses,
                    "reversed_by": None,
                    "recorded_by": meta.recorded_by if meta else "unknown",
                    "recorded_at": event.timestamp,
                    "correlation_id": meta.correlation_id if meta else None,
                },
            )
            for person in decision.decided_by:
                rows.insert(people, {"person": person, "position": position})
            if decision.reverses is not None:
                rows.update(register, (decision.reverses,), {"reversed_by": position})

        self._apply(tracking, write)

    # Reading
    def entries(
        self, where: RegisterFilter, limit: int, after: tuple[date, int] | None
    ) -> list[DecisionEntry]:
        r = register.c
        filiere = subjects.alias("filiere")
        query = (
            select(
                register,
                bodies.c.name.label("body_name"),
                subjects.c.title.label("subject_title"),
                filiere.c.title.label("filiere_name"),
                candidacies.c.project_title,
            )
            .join(bodies, bodies.c.body_id == r.body_id, isouter=True)
            .join(subjects, subjects.c.aggregate_id == r.aggregate_id, isouter=True)
            .join(filiere, filiere.c.aggregate_id == r.filiere_id, isouter=True)
            .join(
                candidacies,
                and_(
                    candidacies.c.call_id == r.aggregate_id,
                    candidacies.c.candidacy_id == r.candidacy_id,
                ),
                isouter=True,
            )
            .order_by(r.decided_on, r.position)
            .limit(limit)
        )
        if where.filiere_id is not None:
            query = query.where(r.filiere_id == where.filiere_id)
        if where.body_id is not None:
            query = query.where(r.body_id == where.body_id)
        if where.person is not None:
            query = query.where(
                exists().where(people.c.position == r.position, people.c.person == where.person)
            )
        if where.date_from is not None:
            query = query.where(r.decided_on >= where.date_from)
        if where.date_to is not None:
            query = query.where(r.decided_on <= where.date_to)
        then = _decided_by_then(where)
        if then is not None:
            query = query.where(then)
        if after is not None:
            after_date, after_position = after
            query = query.where(
                or_(
                    r.decided_on > after_date,
                    and_(r.decided_on == after_date, r.position > after_position),
                )
            )
        with self.reading() as connection:
            entries = [_entry(row._mapping) for row in connection.execute(query)]
            if then is None:
                return entries
            reversals = {e.reversed_by for e in entries if e.reversed_by is not None}
            known = set(
                connection.execute(
                    select(r.position).where(r.position.in_(reversals), then)
                ).scalars()
            )
        return [
            e
            if e.reversed_by is None or e.reversed_by in known
            else e.model_copy(update={"reversed_by": None})
            for e in entries
        ]


def _decided_by_then(where: RegisterFilter) -> ColumnElement[bool] | None:
    """Decisions taken by `as_of` and recorded by `known_at`; None when neither is given."""
    r = register.c
    conditions = []
    if where.as_of is not None:
        conditions.append(r.decided_on <= where.as_of)
    if where.known_at is not None:
        known_at = where.known_at
        if known_at.tzinfo is None:
            known_at = known_at.replace(tzinfo=UTC)
        conditions.append(r.recorded_at <= known_at)
    return and_(*conditions) if conditions else None


def _title_and_filiere(rows: PendingRows, aggregate_id: UUID) -> tuple[str | None, UUID | None]:
    found = rows.get(subjects, (aggregate_id,))
    return (None, None) if found is None else (found["title"], found["filiere_id"])


def _entry(row: Any) -> DecisionEntry:
    has_vote = row["vote_for"] is not None
    subject = row["project_title"] or row["subject_title"] or ""
    return DecisionEntry(
        position=row["position"],
        aggregate_id=row["aggregate_id"],
        aggregate_type=row["aggregate_type"],
        event=row["event"],
        subject=subject,
        candidacy_id=row["candidacy_id"],
        filiere_id=row["filiere_id"],
        filiere_name=row["filiere_name"],
        body_id=row["body_id"],
        body_name=row["body_name"] or str(row["body_id"]),
        decided_on=row["decided_on"],
        decided_by=list(row["decided_by"]),
        vote=Vote(for_=row["vote_for"], against=row["vote_against"], abstain=row["vote_abstain"])
        if has_vote
        else None,
        rationale=row["rationale"],
        reference=row["reference"],
        amount=row["amount"],
        reverses=row["reverses"],
        reversed_by=row["reversed_by"],
        recorded_by=row["recorded_by"],
        recorded_at=row["recorded_at"],
        correlation_id=row["correlation_id"],
    )
