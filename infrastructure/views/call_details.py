"""CallDetails in SQL: one row per call, one per candidacy, one per review.

A call's counts and selected total are recounted from its own candidacies at
each change of one of them: a call holds few, and a reversal (a candidacy
selected then rejected) then needs no special case.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking
from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    Row,
    String,
    Table,
    Uuid,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from application.projections.call_details import CallDetailsView
from application.projections.detail_records import CallDetails, CandidacyDetails, CandidacyReview
from application.projections.records import DecisionNote
from domain.call import CallKind, CallStatus
from domain.candidacy import CandidacyStatus
from infrastructure.views.base import SQLAlchemyView
from infrastructure.views.column_types import Cents

ZERO = Decimal("0.00")
metadata = MetaData()

calls = Table(
    "call_details",
    metadata,
    Column("call_id", Uuid, primary_key=True),
    Column("launch_position", BigInteger, nullable=False, unique=True),
    Column("filiere_id", Uuid, nullable=False, index=True),
    Column("title", String(500), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("issuer_id", Uuid, nullable=False),
    Column("opens_on", Date, nullable=False),
    Column("closes_on", Date, nullable=False),
    Column("budget_envelope", Cents),
    Column("max_selected", Integer),
    Column("status", String(32), nullable=False),
    Column("launched_on", Date, nullable=False),
    Column("closed_on", Date),
    Column("concluded_on", Date),
    Column("candidacies_submitted", Integer, nullable=False, default=0),
    Column("candidacies_withdrawn", Integer, nullable=False, default=0),
    Column("candidacies_selected", Integer, nullable=False, default=0),
    Column("candidacies_rejected", Integer, nullable=False, default=0),
    Column("selected_amount", Cents, nullable=False, default=ZERO),
    Column("version", Integer, nullable=False),
    Column("position", BigInteger, nullable=False),
)
candidacies = Table(
    "call_details_candidacies",
    metadata,
    # A candidacy's id is unique within its call only (a client may choose it).
    Column("call_id", Uuid, primary_key=True),
    Column("candidacy_id", Uuid, primary_key=True),
    Column("submit_position", BigInteger, nullable=False),
    Column("candidate_id", Uuid, nullable=False),
    Column("project_title", String(500), nullable=False),
    Column("requested_amount", Cents),
    Column("submitted_on", Date, nullable=False),
    Column("status", String(32), nullable=False),
    Column("withdrawn_on", Date),
    Column("decided_on", Date),
    Column("decision_position", BigInteger),
    Column("review_count", Integer, nullable=False, default=0),
)
reviews = Table(
    "call_details_reviews",
    metadata,
    Column("position", BigInteger, primary_key=True),
    Column("call_id", Uuid, nullable=False),
    Column("candidacy_id", Uuid, nullable=False),
    Column("reviewer", String(200), nullable=False),
    Column("score", Integer),
    Column("opinion", String(4000), nullable=False),
    Column("reviewed_on", Date, nullable=False),
    Index("call_details_reviews_by_call", "call_id", "candidacy_id"),
)

COUNT_COLUMN = {status: f"candidacies_{status.value}" for status in CandidacyStatus}


class SQLAlchemyCallDetailsView(SQLAlchemyView, CallDetailsView):
    metadata = metadata

    def call_launched(
        self,
        call_id: UUID,
        filiere_id: UUID,
        title: str,
        kind: CallKind,
        issuer_id: UUID,
        opens_on: date,
        closes_on: date,
        budget_envelope: Decimal | None,
        max_selected: int | None,
        launched_on: date,
        version: int,
        tracking: Tracking,
    ) -> None:
        def write(session: Session) -> None:
            session.execute(
                insert(calls).values(
                    call_id=call_id,
                    launch_position=tracking.notification_id,
                    filiere_id=filiere_id,
                    title=title,
                    kind=kind.value,
                    issuer_id=issuer_id,
                    opens_on=opens_on,
                    closes_on=closes_on,
                    budget_envelope=budget_envelope,
                    max_selected=max_selected,
                    status=CallStatus.OPEN.value,
                    launched_on=launched_on,
                    version=version,
                    position=tracking.notification_id,
                )
            )

        self._apply(tracking, write)

    def candidacy_submitted(
        self,
        call_id: UUID,
        candidacy_id: UUID,
        candidate_id: UUID,
        project_title: str,
        requested_amount: Decimal | None,
        submitted_on: date,
        version: int,
        tracking: Tracking,
    ) -> None:
        def write(session: Session) -> None:
            session.execute(
                insert(candidacies).values(
                    call_id=call_id,
                    candidacy_id=candidacy_id,
                    submit_position=tracking.notification_id,
                    candidate_id=candidate_id,
                    project_title=project_title,
                    requested_amount=requested_amount,
                    submitted_on=submitted_on,
                    status=CandidacyStatus.SUBMITTED.value,
                )
            )
            _recount(session, call_id)
            _touch(session, call_id, version, tracking)

        self._apply(tracking, write)

    def candidacy_withdrawn(
        self,
        call_id: UUID,
        candidacy_id: UUID,
        withdrawn_on: date,
        version: int,
        tracking: Tracking,
    ) -> None:
        def write(session: Session) -> None:
            _change_candidacy(
                session,
                call_id,
                candidacy_id,
                status=CandidacyStatus.WITHDRAWN.value,
                withdrawn_on=withdrawn_on,
            )
            _recount(session, call_id)
            _touch(session, call_id, version, tracking)

        self._apply(tracking, write)

    def candidacy_reviewed(
        self,
        call_id: UUID,
        candidacy_id: UUID,
        reviewer: str,
        score: int | None,
        opinion: str,
        reviewed_on: date,
        version: int,
        tracking: Tracking,
    ) -> None:
        def write(session: Session) -> None:
            session.execute(
                insert(reviews).values(
                    position=tracking.notification_id,
                    call_id=call_id,
                    candidacy_id=candidacy_id,
                    reviewer=reviewer,
                    score=score,
                    opinion=opinion,
                    reviewed_on=reviewed_on,
                )
            )
            _change_candidacy(
                session, call_id, candidacy_id, review_count=candidacies.c.review_count + 1
            )
            _touch(session, call_id, version, tracking)

        self._apply(tracking, write)

    def submissions_closed(
        self, call_id: UUID, closed_on: date, version: int, tracking: Tracking
    ) -> None:
        def write(session: Session) -> None:
            _touch(
                session,
                call_id,
                version,
                tracking,
                status=CallStatus.SUBMISSIONS_CLOSED.value,
                closed_on=closed_on,
            )

        self._apply(tracking, write)

    def candidacy_decided(
        self,
        call_id: UUID,
        candidacy_id: UUID,
        status: CandidacyStatus,
        decision: DecisionNote,
        version: int,
        tracking: Tracking,
    ) -> None:
        def write(session: Session) -> None:
            _change_candidacy(
                session,
                call_id,
                candidacy_id,
                status=status.value,
                decided_on=decision.decided_on,
                decision_position=decision.position,
            )
            _recount(session, call_id)
            _touch(session, call_id, version, tracking)

        self._apply(tracking, write)

    def call_concluded(
        self, call_id: UUID, decision: DecisionNote, version: int, tracking: Tracking
    ) -> None:
        def write(session: Session) -> None:
            _touch(
                session,
                call_id,
                version,
                tracking,
                status=CallStatus.CONCLUDED.value,
                concluded_on=decision.decided_on,
            )

        self._apply(tracking, write)

    # Reading
    def call(self, call_id: UUID) -> CallDetails | None:
        with self.reading() as session:
            rows = session.execute(select(calls).where(calls.c.call_id == call_id)).all()
            found = _read_calls(session, rows)
        return found[0] if found else None

    def calls_of_filiere(self, filiere_id: UUID) -> list[CallDetails]:
        with self.reading() as session:
            rows = session.execute(
                select(calls)
                .where(calls.c.filiere_id == filiere_id)
                .order_by(calls.c.launch_position)
            ).all()
            return _read_calls(session, rows)


# Writing helpers
def _touch(
    session: Session, call_id: UUID, version: int, tracking: Tracking, **values: Any
) -> None:
    """Set the given columns, and the call's version and position to this event's."""
    session.execute(
        update(calls)
        .where(calls.c.call_id == call_id)
        .values(version=version, position=tracking.notification_id, **values)
    )


def _change_candidacy(session: Session, call_id: UUID, candidacy_id: UUID, **values: Any) -> None:
    session.execute(
        update(candidacies)
        .where(candidacies.c.call_id == call_id, candidacies.c.candidacy_id == candidacy_id)
        .values(**values)
    )


def _recount(session: Session, call_id: UUID) -> None:
    """The call's counts by status and its selected total, from its candidacies."""
    by_status: dict[str, int] = {
        str(status): int(count)
        for status, count in session.execute(
            select(candidacies.c.status, func.count())
            .where(candidacies.c.call_id == call_id)
            .group_by(candidacies.c.status)
        )
    }
    selected_amount = session.execute(
        select(func.sum(candidacies.c.requested_amount)).where(
            candidacies.c.call_id == call_id,
            candidacies.c.status == CandidacyStatus.SELECTED.value,
        )
    ).scalar()
    counts = {column: by_status.get(status.value, 0) for status, column in COUNT_COLUMN.items()}
    session.execute(
        update(calls)
        .where(calls.c.call_id == call_id)
        .values(selected_amount=selected_amount or ZERO, **counts)
    )


# Reading helpers
def _read_calls(session: Session, rows: Sequence[Row[Any]]) -> list[CallDetails]:
    """The calls of `rows` (in their order), each with its candidacies and their reviews."""
    call_ids = [row.call_id for row in rows]
    review_rows = session.execute(
        select(reviews).where(reviews.c.call_id.in_(call_ids)).order_by(reviews.c.position)
    )
    reviews_of: dict[tuple[UUID, UUID], list[CandidacyReview]] = defaultdict(list)
    for r in review_rows:
        reviews_of[r.call_id, r.candidacy_id].append(
            CandidacyReview(
                reviewer=r.reviewer,
                score=r.score,
                opinion=r.opinion,
                reviewed_on=r.reviewed_on,
                position=r.position,
            )
        )
    candidacy_rows = session.execute(
        select(candidacies)
        .where(candidacies.c.call_id.in_(call_ids))
        .order_by(candidacies.c.submit_position, candidacies.c.candidacy_id)
    )
    candidacies_of: dict[UUID, list[CandidacyDetails]] = defaultdict(list)
    for c in candidacy_rows:
        candidacies_of[c.call_id].append(
            CandidacyDetails(
                id=c.candidacy_id,
                candidate_id=c.candidate_id,
                project_title=c.project_title,
                requested_amount=c.requested_amount,
                submitted_on=c.submitted_on,
                status=c.status,
                withdrawn_on=c.withdrawn_on,
                decided_on=c.decided_on,
                decision_position=c.decision_position,
                review_count=c.review_count,
                reviews=reviews_of[c.call_id, c.candidacy_id],
            )
        )
    return [
        CallDetails(
            id=row.call_id,
            filiere_id=row.filiere_id,
            title=row.title,
            kind=row.kind,
            issuer_id=row.issuer_id,
            opens_on=row.opens_on,
            closes_on=row.closes_on,
            budget_envelope=row.budget_envelope,
            max_selected=row.max_selected,
            status=row.status,
            launched_on=row.launched_on,
            closed_on=row.closed_on,
            concluded_on=row.concluded_on,
            candidacies_by_status={
                status.value: row._mapping[column] for status, column in COUNT_COLUMN.items()
            },
            selected_amount=row.selected_amount,
            candidacies=candidacies_of[row.call_id],
            version=row.version,
            position=row.position,
        )
        for row in rows
    ]
