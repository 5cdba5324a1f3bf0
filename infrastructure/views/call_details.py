"""CallDetails in SQL: one row per call, one per candidacy, one per review.

A call's counts and selected total change by increments at each change of one
of its candidacies: from the status the candidacy had to the one it gets, so
that a reversal (a candidacy selected then rejected) needs no special case.

The write statements are built once, at import, with named placeholders:
building a statement and its cache key costs SQLAlchemy more than running it.
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
    Connection,
    Date,
    Index,
    Integer,
    MetaData,
    Row,
    String,
    Table,
    Update,
    Uuid,
    and_,
    bindparam,
    insert,
    select,
    update,
)

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

# Writing statements
_CALL_IS = calls.c.call_id == bindparam("b_call_id")
_CANDIDACY_IS = and_(
    candidacies.c.call_id == bindparam("b_call_id"),
    candidacies.c.candidacy_id == bindparam("b_candidacy_id"),
)
_TOUCHED: dict[str, Any] = {"version": bindparam("b_version"), "position": bindparam("b_position")}

_INSERT_CALL = insert(calls)
_INSERT_CANDIDACY = insert(candidacies)
_INSERT_REVIEW = insert(reviews)
_CANDIDACY_STATE = select(candidacies.c.status, candidacies.c.requested_amount).where(_CANDIDACY_IS)
_WITHDRAW = (
    update(candidacies)
    .where(_CANDIDACY_IS)
    .values(status=CandidacyStatus.WITHDRAWN.value, withdrawn_on=bindparam("b_withdrawn_on"))
)
_DECIDE = (
    update(candidacies)
    .where(_CANDIDACY_IS)
    .values(
        status=bindparam("b_status"),
        decided_on=bindparam("b_decided_on"),
        decision_position=bindparam("b_decision_position"),
    )
)
_COUNT_REVIEW = (
    update(candidacies).where(_CANDIDACY_IS).values(review_count=candidacies.c.review_count + 1)
)
_TOUCH = update(calls).where(_CALL_IS).values(**_TOUCHED)
_CLOSE = (
    update(calls)
    .where(_CALL_IS)
    .values(
        status=CallStatus.SUBMISSIONS_CLOSED.value,
        closed_on=bindparam("b_closed_on"),
        **_TOUCHED,
    )
)
_CONCLUDE = (
    update(calls)
    .where(_CALL_IS)
    .values(
        status=CallStatus.CONCLUDED.value,
        concluded_on=bindparam("b_concluded_on"),
        **_TOUCHED,
    )
)
# A candidacy's change of status, as changes of the call's counts (and selected total).
_DELTA = {status.value: f"b_{column}" for status, column in COUNT_COLUMN.items()}
_COUNT_AND_TOUCH = (
    update(calls)
    .where(_CALL_IS)
    .values(
        {
            **{
                column: calls.c[column] + bindparam(_DELTA[status.value])
                for status, column in COUNT_COLUMN.items()
            },
            "selected_amount": calls.c.selected_amount + bindparam("b_selected_delta"),
            **_TOUCHED,
        }
    )
)


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
        self._apply_statement(
            tracking,
            _INSERT_CALL,
            {
                "call_id": call_id,
                "launch_position": tracking.notification_id,
                "filiere_id": filiere_id,
                "title": title,
                "kind": kind.value,
                "issuer_id": issuer_id,
                "opens_on": opens_on,
                "closes_on": closes_on,
                "budget_envelope": budget_envelope,
                "max_selected": max_selected,
                "status": CallStatus.OPEN.value,
                "launched_on": launched_on,
                "version": version,
                "position": tracking.notification_id,
            },
        )

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
        def write(connection: Connection) -> None:
            connection.execute(
                _INSERT_CANDIDACY,
                {
                    "call_id": call_id,
                    "candidacy_id": candidacy_id,
                    "submit_position": tracking.notification_id,
                    "candidate_id": candidate_id,
                    "project_title": project_title,
                    "requested_amount": requested_amount,
                    "submitted_on": submitted_on,
                    "status": CandidacyStatus.SUBMITTED.value,
                },
            )
            _count_and_touch(
                connection,
                call_id,
                None,
                CandidacyStatus.SUBMITTED.value,
                requested_amount,
                version,
                tracking,
            )

        self._apply(tracking, write)

    def candidacy_withdrawn(
        self,
        call_id: UUID,
        candidacy_id: UUID,
        withdrawn_on: date,
        version: int,
        tracking: Tracking,
    ) -> None:
        def write(connection: Connection) -> None:
            _change_status(
                connection,
                call_id,
                candidacy_id,
                CandidacyStatus.WITHDRAWN.value,
                _WITHDRAW,
                {"b_withdrawn_on": withdrawn_on},
                version,
                tracking,
            )

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
        def write(connection: Connection) -> None:
            connection.execute(
                _INSERT_REVIEW,
                {
                    "position": tracking.notification_id,
                    "call_id": call_id,
                    "candidacy_id": candidacy_id,
                    "reviewer": reviewer,
                    "score": score,
                    "opinion": opinion,
                    "reviewed_on": reviewed_on,
                },
            )
            connection.execute(
                _COUNT_REVIEW, {"b_call_id": call_id, "b_candidacy_id": candidacy_id}
            )
            connection.execute(
                _TOUCH,
                {
                    "b_call_id": call_id,
                    "b_version": version,
                    "b_position": tracking.notification_id,
                },
            )

        self._apply(tracking, write)

    def submissions_closed(
        self, call_id: UUID, closed_on: date, version: int, tracking: Tracking
    ) -> None:
        self._apply_statement(
            tracking,
            _CLOSE,
            {
                "b_call_id": call_id,
                "b_version": version,
                "b_position": tracking.notification_id,
                "b_closed_on": closed_on,
            },
        )

    def candidacy_decided(
        self,
        call_id: UUID,
        candidacy_id: UUID,
        status: CandidacyStatus,
        decision: DecisionNote,
        version: int,
        tracking: Tracking,
    ) -> None:
        def write(connection: Connection) -> None:
            _change_status(
                connection,
                call_id,
                candidacy_id,
                status.value,
                _DECIDE,
                {
                    "b_status": status.value,
                    "b_decided_on": decision.decided_on,
                    "b_decision_position": decision.position,
                },
                version,
                tracking,
            )

        self._apply(tracking, write)

    def call_concluded(
        self, call_id: UUID, decision: DecisionNote, version: int, tracking: Tracking
    ) -> None:
        self._apply_statement(
            tracking,
            _CONCLUDE,
            {
                "b_call_id": call_id,
                "b_version": version,
                "b_position": tracking.notification_id,
                "b_concluded_on": decision.decided_on,
            },
        )

    # Reading
    def call(self, call_id: UUID) -> CallDetails | None:
        with self.reading() as connection:
            rows = connection.execute(select(calls).where(calls.c.call_id == call_id)).all()
            found = _read_calls(connection, rows)
        return found[0] if found else None

    def calls_of_filiere(self, filiere_id: UUID) -> list[CallDetails]:
        with self.reading() as connection:
            rows = connection.execute(
                select(calls)
                .where(calls.c.filiere_id == filiere_id)
                .order_by(calls.c.launch_position)
            ).all()
            return _read_calls(connection, rows)


# Writing helpers
def _change_status(
    connection: Connection,
    call_id: UUID,
    candidacy_id: UUID,
    status: str,
    change: Update,
    values: dict[str, Any],
    version: int,
    tracking: Tracking,
) -> None:
    """Run `change` on the candidacy, which gives it `status`; count it under that status.

    A candidacy the view does not hold changes nothing but the call's version and position.
    """
    key = {"b_call_id": call_id, "b_candidacy_id": candidacy_id}
    before = connection.execute(_CANDIDACY_STATE, key).one_or_none()
    connection.execute(change, key | values)
    if before is None:
        _count_and_touch(connection, call_id, None, None, None, version, tracking)
    else:
        _count_and_touch(
            connection, call_id, before.status, status, before.requested_amount, version, tracking
        )


def _count_and_touch(
    connection: Connection,
    call_id: UUID,
    before: str | None,
    after: str | None,
    requested_amount: Decimal | None,
    version: int,
    tracking: Tracking,
) -> None:
    """Count a candidacy under `after` instead of `before` (None: not counted), in one UPDATE.

    It also sets the call's version and position to this event's.
    """
    params: dict[str, Any] = dict.fromkeys(_DELTA.values(), 0)
    selected_delta = ZERO
    if before != after:
        selected = CandidacyStatus.SELECTED.value
        if before is not None:
            params[_DELTA[before]] -= 1
            if before == selected and requested_amount is not None:
                selected_delta -= requested_amount
        if after is not None:
            params[_DELTA[after]] += 1
            if after == selected and requested_amount is not None:
                selected_delta += requested_amount
    params |= {
        "b_call_id": call_id,
        "b_selected_delta": selected_delta,
        "b_version": version,
        "b_position": tracking.notification_id,
    }
    connection.execute(_COUNT_AND_TOUCH, params)


# Reading helpers
def _read_calls(connection: Connection, rows: Sequence[Row[Any]]) -> list[CallDetails]:
    """The calls of `rows` (in their order), each with its candidacies and their reviews."""
    call_ids = [row.call_id for row in rows]
    review_rows = connection.execute(
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
    candidacy_rows = connection.execute(
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
