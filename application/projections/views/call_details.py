"""CallDetails: each call with its dates, limits, status and candidacies, their reviews included.

A call's counts and selected total change by increments at each move of one
of its candidacies, from the status it had to the one it gets, so that a
reversal (a candidacy selected then rejected) needs no special case. Each
call carries its aggregate version and log position after the last event
applied to it.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Annotated, TypedDict
from uuid import UUID

from eventsourcing.persistence import Tracking

from application.projections.detail_records import CallDetails, CandidacyDetails, CandidacyReview
from application.projections.rows import Query, Reader, Rows, among
from application.projections.tables import INDEXED, KEY, POSITION, UNIQUE, Index, Table, Text
from application.projections.view import View
from application.projections.view_reads import DetailReads, children
from domain.call import Call, CallStatus
from domain.candidacy import CandidacyDecided, CandidacyStatus, CandidacyStatusChanged

ZERO = Decimal("0.00")


class CallRow(TypedDict):
    call_id: Annotated[UUID, KEY]
    launch_position: Annotated[int, POSITION, UNIQUE]
    filiere_id: Annotated[UUID, INDEXED]
    title: Annotated[str, Text(500)]
    kind: Annotated[str, Text(64)]
    issuer_id: UUID
    opens_on: date
    closes_on: date
    budget_envelope: Decimal | None
    max_selected: int | None
    status: Annotated[str, Text(32)]
    launched_on: date
    closed_on: date | None
    concluded_on: date | None
    candidacies_submitted: int
    candidacies_withdrawn: int
    candidacies_selected: int
    candidacies_rejected: int
    selected_amount: Decimal
    version: int
    position: Annotated[int, POSITION]


class CandidacyRow(TypedDict):
    # A candidacy's id is unique within its call only (a client may choose it).
    call_id: Annotated[UUID, KEY]
    candidacy_id: Annotated[UUID, KEY]
    submit_position: Annotated[int, POSITION]
    candidate_id: UUID
    project_title: Annotated[str, Text(500)]
    requested_amount: Decimal | None
    submitted_on: date
    status: Annotated[str, Text(32)]
    withdrawn_on: date | None
    decided_on: date | None
    decision_position: Annotated[int, POSITION] | None
    review_count: int


class ReviewRow(TypedDict):
    position: Annotated[int, POSITION, KEY]
    call_id: UUID
    candidacy_id: UUID
    reviewer: Annotated[str, Text(200)]
    score: int | None
    opinion: Annotated[str, Text(4000)]
    reviewed_on: date


CALLS = Table("call_details", CallRow)
CANDIDACIES = Table("call_details_candidacies", CandidacyRow)
REVIEWS = Table(
    "call_details_reviews",
    ReviewRow,
    indexes=(Index("call_details_reviews_by_call", ("call_id", "candidacy_id")),),
)
VIEW = View("call_details", version=1, tables=(CALLS, CANDIDACIES, REVIEWS))


@VIEW.handles
def launched(event: Call.Launched, rows: Rows, at: Tracking) -> None:
    rows.insert(
        CALLS,
        {
            "call_id": event.originator_id,
            "launch_position": at.notification_id,
            "filiere_id": event.filiere_id,
            "title": event.title,
            "kind": event.kind.value,
            "issuer_id": event.issuer_id,
            "opens_on": event.opens_on,
            "closes_on": event.closes_on,
            "budget_envelope": event.budget_envelope,
            "max_selected": event.max_selected,
            "status": CallStatus.OPEN.value,
            "launched_on": event.effective_on,
            "closed_on": None,
            "concluded_on": None,
            "candidacies_submitted": 0,
            "candidacies_withdrawn": 0,
            "candidacies_selected": 0,
            "candidacies_rejected": 0,
            "selected_amount": ZERO,
            "version": event.originator_version,
            "position": at.notification_id,
        },
    )


@VIEW.handles
def submitted(event: Call.CandidacySubmitted, rows: Rows, at: Tracking) -> None:
    rows.insert(
        CANDIDACIES,
        {
            "call_id": event.originator_id,
            "candidacy_id": event.candidacy_id,
            "submit_position": at.notification_id,
            "candidate_id": event.candidate_id,
            "project_title": event.project_title,
            "requested_amount": event.requested_amount,
            "submitted_on": event.effective_on,
            "status": CandidacyStatus.SUBMITTED.value,
            "withdrawn_on": None,
            "decided_on": None,
            "decision_position": None,
            "review_count": 0,
        },
    )
    submitted = CandidacyStatus.SUBMITTED
    _count_and_touch(rows, event, at, None, submitted, event.requested_amount)


@VIEW.handles
def withdrawn(event: Call.CandidacyWithdrawn, rows: Rows, at: Tracking) -> None:
    _move(rows, event, at, {"withdrawn_on": event.effective_on})


@VIEW.handles
def decided(event: CandidacyDecided, rows: Rows, at: Tracking) -> None:
    """Selected, rejected…: a later decision (a reversal) replaces the earlier one."""
    _move(
        rows,
        event,
        at,
        {"decided_on": event.decision.decided_on, "decision_position": at.notification_id},
    )


@VIEW.handles
def reviewed(event: Call.CandidacyReviewed, rows: Rows, at: Tracking) -> None:
    rows.insert(
        REVIEWS,
        {
            "position": at.notification_id,
            "call_id": event.originator_id,
            "candidacy_id": event.candidacy_id,
            "reviewer": event.reviewer,
            "score": event.score,
            "opinion": event.opinion,
            "reviewed_on": event.effective_on,
        },
    )
    key = (event.originator_id, event.candidacy_id)
    candidacy = rows.get(CANDIDACIES, key)
    if candidacy is not None:
        rows.update(CANDIDACIES, key, {"review_count": candidacy["review_count"] + 1})
    _touch(rows, event, at, {})


@VIEW.handles
def submissions_closed(event: Call.SubmissionsClosed, rows: Rows, at: Tracking) -> None:
    closed = CallStatus.SUBMISSIONS_CLOSED.value
    _touch(rows, event, at, {"status": closed, "closed_on": event.effective_on})


@VIEW.handles
def concluded(event: Call.Concluded, rows: Rows, at: Tracking) -> None:
    concluded = CallStatus.CONCLUDED.value
    _touch(rows, event, at, {"status": concluded, "concluded_on": event.decision.decided_on})


def _touch(rows: Rows, event: Call.Event, at: Tracking, values: dict[str, object]) -> None:
    """Set `values` on the call, and its version and position to this event's."""
    values.update(version=event.originator_version, position=at.notification_id)
    rows.update(CALLS, (event.originator_id,), values)


def _move(
    rows: Rows, event: CandidacyStatusChanged, at: Tracking, values: dict[str, object]
) -> None:
    """Move the candidacy to the event's `new_status`, with `values`; count it there.

    A candidacy the view does not hold changes nothing but the call's version and position.
    """
    key = (event.originator_id, event.candidacy_id)
    before = rows.get(CANDIDACIES, key)
    if before is None:
        _touch(rows, event, at, {})
        return
    before_status = CandidacyStatus(before["status"])
    rows.update(CANDIDACIES, key, {"status": event.new_status.value, **values})
    _count_and_touch(rows, event, at, before_status, event.new_status, before["requested_amount"])


def _count_and_touch(
    rows: Rows,
    event: Call.Event,
    at: Tracking,
    before: CandidacyStatus | None,
    after: CandidacyStatus,
    requested_amount: Decimal | None,
) -> None:
    """Count a candidacy under `after` instead of `before` (None: not counted yet).

    It also sets the call's version and position to this event's.
    """
    call = rows.get(CALLS, (event.originator_id,))
    if call is None:
        return
    changes: dict[str, object] = {}
    if before != after:
        selected_amount = call["selected_amount"]
        counts = _counts(call)
        if before is not None:
            counts[before] -= 1
            if before == CandidacyStatus.SELECTED and requested_amount is not None:
                selected_amount -= requested_amount
        counts[after] += 1
        if after == CandidacyStatus.SELECTED and requested_amount is not None:
            selected_amount += requested_amount
        changes = {f"candidacies_{status.value}": n for status, n in counts.items()}
        changes["selected_amount"] = selected_amount
    _touch(rows, event, at, changes)


def _counts(call: CallRow) -> dict[CandidacyStatus, int]:
    """How many of the call's candidacies are at each status."""
    return {
        CandidacyStatus.SUBMITTED: call["candidacies_submitted"],
        CandidacyStatus.WITHDRAWN: call["candidacies_withdrawn"],
        CandidacyStatus.SELECTED: call["candidacies_selected"],
        CandidacyStatus.REJECTED: call["candidacies_rejected"],
    }


# Reads
def _calls(db: Reader, calls: list[CallRow]) -> list[CallDetails]:
    """The calls (in their order), each with its candidacies and their reviews."""
    ids = [c["call_id"] for c in calls]
    reviews: dict[tuple[UUID, UUID], list[CandidacyReview]] = defaultdict(list)
    for r in db.select(Query(REVIEWS, where=(among("call_id", ids),), order_by=("position",))):
        reviews[r["call_id"], r["candidacy_id"]].append(CandidacyReview.model_validate(r))

    def candidacy(c: CandidacyRow) -> CandidacyDetails:
        its_reviews = reviews[c["call_id"], c["candidacy_id"]]
        return CandidacyDetails.model_validate(
            {**c, "id": c["candidacy_id"], "reviews": its_reviews}
        )

    in_order = ("submit_position", "candidacy_id")
    candidacies = children(db, CANDIDACIES, "call_id", ids, in_order, candidacy)
    return [
        CallDetails.model_validate(
            {
                **c,
                "id": c["call_id"],
                "candidacies_by_status": {status.value: n for status, n in _counts(c).items()},
                "candidacies": candidacies[c["call_id"]],
            }
        )
        for c in calls
    ]


READS = DetailReads(VIEW, CALLS, "call_id", "filiere_id", ("launch_position",), _calls)
"""A call by its id; a filière's calls, in the order they were launched."""
