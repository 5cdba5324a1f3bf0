"""CallDetails in SQL: one row per call, one per candidacy, one per review.

A call's counts and selected total change by increments at each change of one
of its candidacies: from the status the candidacy had to the one it gets, so
that a reversal (a candidacy selected then rejected) needs no special case.

The write statements are built once, at import, with named placeholders:
building a statement and its cache key costs SQLAlchemy more than running it.
"""

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking
from sqlalchemy import (
    Connection,
    Update,
    and_,
    bindparam,
    insert,
    select,
    update,
)

from application.projections.call_details import CallDetailsView
from application.projections.detail_records import CallDetails
from application.projections.records import DecisionNote
from domain.call import CallKind, CallStatus
from domain.candidacy import CandidacyStatus
from infrastructure.views.base import SQLAlchemyView
from infrastructure.views.call_details_reading import read_calls
from infrastructure.views.call_details_tables import (
    COUNT_COLUMN,
    ZERO,
    calls,
    candidacies,
    metadata,
    reviews,
)

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
            found = read_calls(connection, rows)
        return found[0] if found else None

    def calls_of_filiere(self, filiere_id: UUID) -> list[CallDetails]:
        with self.reading() as connection:
            rows = connection.execute(
                select(calls)
                .where(calls.c.filiere_id == filiere_id)
                .order_by(calls.c.launch_position)
            ).all()
            return read_calls(connection, rows)


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
