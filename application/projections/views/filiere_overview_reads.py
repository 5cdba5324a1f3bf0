"""Reading one filière's overview from its row and the tables beside it."""

from uuid import UUID

from application.projections.records import (
    CallLine,
    CandidacyCounts,
    DecisionNote,
    FiliereOverview,
    FunderLine,
    FundingTotals,
    NamedRef,
    ProjectGroupMember,
)
from application.projections.rows import Query, Reader, among, eq
from application.projections.views.filiere_overview_tables import (
    CALLS,
    FUNDERS,
    ORGANISATIONS,
    OVERVIEW,
    PROJECT_GROUP,
    PROJECTS,
    OverviewRow,
)
from domain.project import ProjectStatus


def overview(db: Reader, filiere_id: UUID) -> FiliereOverview | None:
    found = db.select(Query(OVERVIEW, where=(eq("filiere_id", filiere_id),)))
    return _overview(db, found[0]) if found else None


def overviews(db: Reader) -> list[FiliereOverview]:
    """Every filière, in the order they were launched."""
    return [_overview(db, row) for row in db.select(Query(OVERVIEW, order_by=("launch_position",)))]


def _overview(db: Reader, row: OverviewRow) -> FiliereOverview:
    of_filiere = (eq("filiere_id", row["filiere_id"]),)
    group = db.select(Query(PROJECT_GROUP, where=of_filiere))
    funders = db.select(Query(FUNDERS, where=of_filiere))
    lead_partner_id = row["lead_partner_id"]
    named = {
        lead_partner_id,
        *(g["organisation_id"] for g in group),
        *(f["funder_id"] for f in funders),
    }
    names = {
        o["organisation_id"]: o["name"]
        for o in db.select(Query(ORGANISATIONS, where=(among("organisation_id", named),)))
    }

    def name(organisation_id: UUID) -> str:
        return names.get(organisation_id, str(organisation_id))

    by_status = db.count(PROJECTS, by="status", where=of_filiere)
    calls = db.select(Query(CALLS, where=of_filiere, order_by=("launch_position",)))
    last = None
    if row["last_decision_position"] is not None:
        last = DecisionNote(
            position=row["last_decision_position"],
            aggregate_id=row["last_decision_aggregate_id"],
            event=row["last_decision_event"],
            decided_on=row["last_decision_on"],
            body_id=row["last_decision_body_id"],
            rationale=row["last_decision_rationale"],
        )
    group.sort(key=lambda g: (g["joined_on"], names.get(g["organisation_id"], "")))
    funders.sort(key=lambda f: (names.get(f["funder_id"], ""), f["funder_id"]))
    return FiliereOverview(
        id=row["filiere_id"],
        name=row["name"],
        kind=row["kind"],
        status=row["status"],
        launched_on=row["launched_on"],
        closed_on=row["closed_on"],
        lead_partner=NamedRef(id=lead_partner_id, name=name(lead_partner_id)),
        project_group=[
            ProjectGroupMember(
                id=g["organisation_id"], name=name(g["organisation_id"]), joined_on=g["joined_on"]
            )
            for g in group
        ],
        projects_by_status={status.value: 0 for status in ProjectStatus}
        | {str(status): n for status, n in by_status.items()},
        calls=[CallLine(id=c["call_id"], title=c["title"], status=c["status"]) for c in calls],
        candidacies=CandidacyCounts(
            submitted=row["candidacies_submitted"],
            selected=row["candidacies_selected"],
            rejected=row["candidacies_rejected"],
            withdrawn=row["candidacies_withdrawn"],
        ),
        funding=FundingTotals(
            granted=row["granted"],
            disbursed=row["disbursed"],
            lines_without_amount=row["lines_without_amount"],
            by_funder=[
                FunderLine.model_validate({**f, "name": name(f["funder_id"])}) for f in funders
            ],
        ),
        last_decision=last,
        version_position=row["version_position"],
    )
