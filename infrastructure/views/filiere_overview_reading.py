"""Reading one filière's overview from its row and the tables beside it."""

from typing import Any
from uuid import UUID

from sqlalchemy import Connection, func, select

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
from domain.project import ProjectStatus
from infrastructure.views.filiere_overview_tables import (
    calls,
    funders,
    organisations,
    project_group,
    projects,
)


def organisation_name(connection: Connection, organisation_id: UUID) -> str:
    found = connection.execute(
        select(organisations.c.name).where(organisations.c.organisation_id == organisation_id)
    ).scalar()
    return str(found) if found is not None else str(organisation_id)


def read_overview(connection: Connection, row: Any) -> FiliereOverview:
    filiere_id = row["filiere_id"]
    group = connection.execute(
        select(project_group.c.organisation_id, organisations.c.name, project_group.c.joined_on)
        .join(
            organisations,
            organisations.c.organisation_id == project_group.c.organisation_id,
            isouter=True,
        )
        .where(project_group.c.filiere_id == filiere_id)
        .order_by(project_group.c.joined_on, organisations.c.name)
    )
    by_status = connection.execute(
        select(projects.c.status, func.count())
        .where(projects.c.filiere_id == filiere_id)
        .group_by(projects.c.status)
    )
    call_rows = connection.execute(
        select(calls.c.call_id, calls.c.title, calls.c.status)
        .where(calls.c.filiere_id == filiere_id)
        .order_by(calls.c.launch_position)
    )
    funder_rows = connection.execute(
        select(funders, organisations.c.name)
        .join(organisations, organisations.c.organisation_id == funders.c.funder_id, isouter=True)
        .where(funders.c.filiere_id == filiere_id)
        .order_by(organisations.c.name, funders.c.funder_id)
    )
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
    return FiliereOverview(
        id=filiere_id,
        name=row["name"],
        kind=row["kind"],
        status=row["status"],
        launched_on=row["launched_on"],
        closed_on=row["closed_on"],
        lead_partner=NamedRef(
            id=row["lead_partner_id"], name=organisation_name(connection, row["lead_partner_id"])
        ),
        project_group=[
            ProjectGroupMember(
                id=g.organisation_id, name=g.name or str(g.organisation_id), joined_on=g.joined_on
            )
            for g in group
        ],
        projects_by_status={status.value: 0 for status in ProjectStatus}
        | {str(status): int(n) for status, n in by_status},
        calls=[CallLine(id=c.call_id, title=c.title, status=c.status) for c in call_rows],
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
                FunderLine(
                    funder_id=f.funder_id,
                    name=f.name or str(f.funder_id),
                    granted=f.granted,
                    disbursed=f.disbursed,
                    lines_without_amount=f.lines_without_amount,
                )
                for f in funder_rows
            ],
        ),
        last_decision=last,
        version_position=row["version_position"],
    )
