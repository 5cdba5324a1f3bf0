"""Reading calls from the CallDetails tables, each with its candidacies and their reviews."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Connection,
    Row,
    select,
)

from application.projections.detail_records import CallDetails, CandidacyDetails, CandidacyReview
from infrastructure.views.call_details_tables import COUNT_COLUMN, candidacies, reviews


def read_calls(connection: Connection, rows: Sequence[Row[Any]]) -> list[CallDetails]:
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
