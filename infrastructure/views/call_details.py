"""CallDetails in SQL: one row per call, one per candidacy, one per review.

A call's counts and selected total change by increments at each change of one
of its candidacies: from the status the candidacy had to the one it gets, so
that a reversal (a candidacy selected then rejected) needs no special case.

The changes go through the batch's pending rows, written together at its end.
"""

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking
from sqlalchemy import select

from application.projections.call_details import CallDetailsView
from application.projections.detail_records import CallDetails
from application.projections.records import DecisionNote
from domain.call import CallKind, CallStatus
from domain.candidacy import CandidacyStatus
from infrastructure.views.base import SQLAlchemyView
from infrastructure.views.call_details_reading import read_calls
from infrastructure.views.call_details_tables import (
    COUNT_COLUMN,
    calls,
    candidacies,
    metadata,
    reviews,
)
from infrastructure.views.pending_rows import PendingRows


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
        row = {
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
        }
        self._apply(tracking, lambda rows: rows.insert(calls, row))

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
        def write(rows: PendingRows) -> None:
            rows.insert(
                candidacies,
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
                rows,
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
        def write(rows: PendingRows) -> None:
            _change_status(
                rows,
                call_id,
                candidacy_id,
                {"status": CandidacyStatus.WITHDRAWN.value, "withdrawn_on": withdrawn_on},
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
        def write(rows: PendingRows) -> None:
            rows.insert(
                reviews,
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
            key = (call_id, candidacy_id)
            candidacy = rows.get(candidacies, key)
            if candidacy is not None:
                rows.update(candidacies, key, {"review_count": candidacy["review_count"] + 1})
            _touch(rows, call_id, {}, version, tracking)

        self._apply(tracking, write)

    def submissions_closed(
        self, call_id: UUID, closed_on: date, version: int, tracking: Tracking
    ) -> None:
        closed = {"status": CallStatus.SUBMISSIONS_CLOSED.value, "closed_on": closed_on}
        self._apply(tracking, lambda rows: _touch(rows, call_id, closed, version, tracking))

    def candidacy_decided(
        self,
        call_id: UUID,
        candidacy_id: UUID,
        status: CandidacyStatus,
        decision: DecisionNote,
        version: int,
        tracking: Tracking,
    ) -> None:
        def write(rows: PendingRows) -> None:
            _change_status(
                rows,
                call_id,
                candidacy_id,
                {
                    "status": status.value,
                    "decided_on": decision.decided_on,
                    "decision_position": decision.position,
                },
                version,
                tracking,
            )

        self._apply(tracking, write)

    def call_concluded(
        self, call_id: UUID, decision: DecisionNote, version: int, tracking: Tracking
    ) -> None:
        concluded = {"status": CallStatus.CONCLUDED.value, "concluded_on": decision.decided_on}
        self._apply(tracking, lambda rows: _touch(rows, call_id, concluded, version, tracking))

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
def _touch(
    rows: PendingRows, call_id: UUID, values: dict[str, Any], version: int, tracking: Tracking
) -> None:
    """Set `values` on the call, and its version and position to this event's."""
    rows.update(
        calls, (call_id,), {**values, "version": version, "position": tracking.notification_id}
    )


def _change_status(
    rows: PendingRows,
    call_id: UUID,
    candidacy_id: UUID,
    values: dict[str, Any],
    version: int,
    tracking: Tracking,
) -> None:
    """Set `values` on the candidacy, `status` among them; count it under that status.

    A candidacy the view does not hold changes nothing but the call's version and position.
    """
    key = (call_id, candidacy_id)
    before = rows.get(candidacies, key)
    if before is None:
        _count_and_touch(rows, call_id, None, None, None, version, tracking)
        return
    before_status, requested_amount = before["status"], before["requested_amount"]
    rows.update(candidacies, key, values)
    _count_and_touch(
        rows, call_id, before_status, values["status"], requested_amount, version, tracking
    )


def _count_and_touch(
    rows: PendingRows,
    call_id: UUID,
    before: str | None,
    after: str | None,
    requested_amount: Decimal | None,
    version: int,
    tracking: Tracking,
) -> None:
    """Count a candidacy under `after` instead of `before` (None: not counted).

    It also sets the call's version and position to this event's.
    """
    call = rows.get(calls, (call_id,))
    if call is None:
        return
    changes: dict[str, Any] = {}
    if before != after:
        selected = CandidacyStatus.SELECTED.value
        selected_amount = call["selected_amount"]
        if before is not None:
            column = COUNT_COLUMN[CandidacyStatus(before)]
            changes[column] = call[column] - 1
            if before == selected and requested_amount is not None:
                selected_amount -= requested_amount
        if after is not None:
            column = COUNT_COLUMN[CandidacyStatus(after)]
            changes[column] = changes.get(column, call[column]) + 1
            if after == selected and requested_amount is not None:
                selected_amount += requested_amount
        changes["selected_amount"] = selected_amount
    _touch(rows, call_id, changes, version, tracking)
