"""Reading the decision register: filtered, by date then log position, a page at a time."""

from datetime import UTC, date
from uuid import UUID

from application.projections.records import Citation, DecisionEntry, RegisterFilter, Vote
from application.projections.rows import (
    Condition,
    Exists,
    Query,
    Reader,
    among,
    at_least,
    at_most,
    eq,
)
from application.projections.views.decision_register import (
    BODIES,
    CANDIDACIES,
    PEOPLE,
    REGISTER,
    SUBJECTS,
    DecisionRow,
)


def entries(
    db: Reader, where: RegisterFilter, limit: int, after: tuple[date, int] | None
) -> list[DecisionEntry]:
    """Decisions matching `where`, by date then log position, after the `after` key."""
    conditions: list[Condition] = []
    if where.filiere_id is not None:
        conditions.append(eq("filiere_id", where.filiere_id))
    if where.body_id is not None:
        conditions.append(eq("body_id", where.body_id))
    if where.person is not None:
        by_person = (eq("person", where.person),)
        conditions.append(Exists(PEOPLE, by_person, matching=(("position", "position"),)))
    if where.date_from is not None:
        conditions.append(at_least("decided_on", where.date_from))
    if where.date_to is not None:
        conditions.append(at_most("decided_on", where.date_to))
    if where.assumed is not None:
        conditions.append(eq("assumed", where.assumed))
    if where.verified is not None:  # a row whose verified is null matches neither
        conditions.append(eq("verified", where.verified))
    then = _decided_by_then(where)
    rows = db.select(
        Query(
            REGISTER,
            where=(*conditions, *then),
            order_by=("decided_on", "position"),
            after=after,
            limit=limit,
        )
    )
    found = _entries(db, rows)
    if not then:
        return found
    # A reversal after the cutoff is not shown: the decision was not reversed then.
    reversals = {e.reversed_by for e in found if e.reversed_by is not None}
    known = {
        r["position"]
        for r in db.select(Query(REGISTER, where=(among("position", reversals), *then)))
    }
    return [
        e
        if e.reversed_by is None or e.reversed_by in known
        else e.model_copy(update={"reversed_by": None})
        for e in found
    ]


def _decided_by_then(where: RegisterFilter) -> tuple[Condition, ...]:
    """Decisions taken by `as_of` and recorded by `known_at`; none when neither is given."""
    conditions: list[Condition] = []
    if where.as_of is not None:
        conditions.append(at_most("decided_on", where.as_of))
    if where.known_at is not None:
        known_at = where.known_at
        if known_at.tzinfo is None:
            known_at = known_at.replace(tzinfo=UTC)
        conditions.append(at_most("recorded_at", known_at))
    return tuple(conditions)


def _entries(db: Reader, rows: list[DecisionRow]) -> list[DecisionEntry]:
    """The register's rows with the names they point at: body, subject, filière, candidacy."""
    bodies = {
        b["body_id"]: b["name"]
        for b in db.select(Query(BODIES, where=(among("body_id", {r["body_id"] for r in rows}),)))
    }
    subject_ids = {r["aggregate_id"] for r in rows} | {r["filiere_id"] for r in rows}
    titles = {
        s["aggregate_id"]: s["title"]
        for s in db.select(Query(SUBJECTS, where=(among("aggregate_id", subject_ids - {None}),)))
    }
    decided = {
        (r["aggregate_id"], r["candidacy_id"]) for r in rows if r["candidacy_id"] is not None
    }
    of_these = (
        among("call_id", {k[0] for k in decided}),
        among("candidacy_id", {k[1] for k in decided}),
    )
    projects = {
        (c["call_id"], c["candidacy_id"]): c["project_title"]
        for c in db.select(Query(CANDIDACIES, where=of_these))
    }
    return [_entry(r, bodies, titles, projects) for r in rows]


def _entry(
    row: DecisionRow,
    bodies: dict[UUID, str],
    titles: dict[UUID, str | None],
    projects: dict[tuple[UUID, UUID], str],
) -> DecisionEntry:
    candidacy_id = row["candidacy_id"]
    project_title = (
        None if candidacy_id is None else projects.get((row["aggregate_id"], candidacy_id))
    )
    filiere_id = row["filiere_id"]
    vote = None
    if row["vote_for"] is not None:
        vote = Vote(for_=row["vote_for"], against=row["vote_against"], abstain=row["vote_abstain"])
    return DecisionEntry.model_validate(
        {
            **row,
            "subject": project_title or titles.get(row["aggregate_id"]) or "",
            "filiere_name": None if filiere_id is None else titles.get(filiere_id),
            "body_name": bodies.get(row["body_id"]) or str(row["body_id"]),
            "vote": vote,
            "source": None
            if row["source_document"] is None
            else Citation(document=row["source_document"], locator=row["source_locator"]),
        }
    )
