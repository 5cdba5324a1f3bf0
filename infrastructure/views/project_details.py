"""ProjectDetails in SQL: one row per project, with its partners, milestones and status history.

The changes go through the batch's pending rows, written together at its end.
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
    Integer,
    MetaData,
    Row,
    String,
    Table,
    Uuid,
    select,
)

from application.projections.detail_records import (
    MilestoneLine,
    ProjectDetails,
    ProjectPartnerLine,
    StatusChange,
)
from application.projections.project_details import ProjectDetailsView
from application.projections.records import DecisionNote
from domain.project import ProjectPartner, ProjectStatus
from infrastructure.views.base import SQLAlchemyView
from infrastructure.views.column_types import Cents
from infrastructure.views.pending_rows import PendingRows

metadata = MetaData()

projects = Table(
    "project_details",
    metadata,
    Column("project_id", Uuid, primary_key=True),
    Column("proposal_position", BigInteger, nullable=False, unique=True),
    Column("filiere_id", Uuid, nullable=False, index=True),
    Column("title", String(500), nullable=False),
    Column("status", String(32), nullable=False),
    Column("status_since", Date, nullable=False),
    Column("proposed_on", Date, nullable=False),
    Column("estimated_budget", Cents),
    Column("origin_call_id", Uuid),
    Column("origin_candidacy_id", Uuid),
    Column("version", Integer, nullable=False),
    Column("position", BigInteger, nullable=False),
)
partners_table = Table(
    "project_details_partners",
    metadata,
    Column("project_id", Uuid, primary_key=True),
    Column("organisation_id", Uuid, primary_key=True),
    Column("role", String(200), nullable=False),
    Column("joined_on", Date, nullable=False),
    Column("position", BigInteger, nullable=False),
    # Its place among the partners the same event names (the proposal names several).
    Column("ordinal", Integer, nullable=False),
)
milestones = Table(
    "project_details_milestones",
    metadata,
    Column("position", BigInteger, primary_key=True),
    Column("project_id", Uuid, nullable=False, index=True),
    Column("label", String(500), nullable=False),
    Column("reached_on", Date, nullable=False),
)
status_history = Table(
    "project_details_status_history",
    metadata,
    Column("position", BigInteger, primary_key=True),
    Column("project_id", Uuid, nullable=False, index=True),
    Column("status", String(32), nullable=False),
    Column("effective_on", Date, nullable=False),
    Column("decision_position", BigInteger),
)


class SQLAlchemyProjectDetailsView(SQLAlchemyView, ProjectDetailsView):
    metadata = metadata

    def project_proposed(
        self,
        project_id: UUID,
        filiere_id: UUID,
        title: str,
        partners: tuple[ProjectPartner, ...],
        estimated_budget: Decimal | None,
        origin_call_id: UUID | None,
        origin_candidacy_id: UUID | None,
        proposed_on: date,
        version: int,
        tracking: Tracking,
    ) -> None:
        position = tracking.notification_id

        def write(rows: PendingRows) -> None:
            rows.insert(
                projects,
                {
                    "project_id": project_id,
                    "proposal_position": position,
                    "filiere_id": filiere_id,
                    "title": title,
                    "status": ProjectStatus.PROPOSED.value,
                    "status_since": proposed_on,
                    "proposed_on": proposed_on,
                    "estimated_budget": estimated_budget,
                    "origin_call_id": origin_call_id,
                    "origin_candidacy_id": origin_candidacy_id,
                    "version": version,
                    "position": position,
                },
            )
            for ordinal, partner in enumerate(partners):
                rows.insert(
                    partners_table,
                    _partner_row(
                        project_id,
                        partner.organisation_id,
                        partner.role,
                        proposed_on,
                        position,
                        ordinal,
                    ),
                )
            rows.insert(
                status_history,
                {
                    "position": position,
                    "project_id": project_id,
                    "status": ProjectStatus.PROPOSED.value,
                    "effective_on": proposed_on,
                    "decision_position": None,
                },
            )

        self._apply(tracking, write)

    def partner_joined(
        self,
        project_id: UUID,
        organisation_id: UUID,
        role: str,
        joined_on: date,
        version: int,
        tracking: Tracking,
    ) -> None:
        def write(rows: PendingRows) -> None:
            rows.insert(
                partners_table,
                _partner_row(
                    project_id, organisation_id, role, joined_on, tracking.notification_id, 0
                ),
            )
            _touch(rows, project_id, {}, version, tracking)

        self._apply(tracking, write)

    def status_changed(
        self,
        project_id: UUID,
        status: ProjectStatus,
        effective_on: date,
        decision: DecisionNote | None,
        version: int,
        tracking: Tracking,
    ) -> None:
        def write(rows: PendingRows) -> None:
            rows.insert(
                status_history,
                {
                    "position": tracking.notification_id,
                    "project_id": project_id,
                    "status": status.value,
                    "effective_on": effective_on,
                    "decision_position": None if decision is None else decision.position,
                },
            )
            changed = {"status": status.value, "status_since": effective_on}
            _touch(rows, project_id, changed, version, tracking)

        self._apply(tracking, write)

    def milestone_reached(
        self, project_id: UUID, label: str, reached_on: date, version: int, tracking: Tracking
    ) -> None:
        def write(rows: PendingRows) -> None:
            rows.insert(
                milestones,
                {
                    "position": tracking.notification_id,
                    "project_id": project_id,
                    "label": label,
                    "reached_on": reached_on,
                },
            )
            _touch(rows, project_id, {}, version, tracking)

        self._apply(tracking, write)

    # Reading
    def project(self, project_id: UUID) -> ProjectDetails | None:
        with self.reading() as connection:
            rows = connection.execute(
                select(projects).where(projects.c.project_id == project_id)
            ).all()
            found = _read_projects(connection, rows)
        return found[0] if found else None

    def projects_of_filiere(self, filiere_id: UUID) -> list[ProjectDetails]:
        with self.reading() as connection:
            rows = connection.execute(
                select(projects)
                .where(projects.c.filiere_id == filiere_id)
                .order_by(projects.c.proposal_position)
            ).all()
            return _read_projects(connection, rows)


# Writing helpers
def _touch(
    rows: PendingRows, project_id: UUID, values: dict[str, Any], version: int, tracking: Tracking
) -> None:
    """Set `values` on the project, and its version and position to this event's."""
    rows.update(
        projects,
        (project_id,),
        {**values, "version": version, "position": tracking.notification_id},
    )


def _partner_row(
    project_id: UUID,
    organisation_id: UUID,
    role: str,
    joined_on: date,
    position: int,
    ordinal: int,
) -> dict[str, Any]:
    return {
        "project_id": project_id,
        "organisation_id": organisation_id,
        "role": role,
        "joined_on": joined_on,
        "position": position,
        "ordinal": ordinal,
    }


# Reading helpers
def _read_projects(connection: Connection, rows: Sequence[Row[Any]]) -> list[ProjectDetails]:
    """The projects of `rows` (in their order), each with its partners, milestones, history."""
    ids = [row.project_id for row in rows]
    partners_of: dict[UUID, list[ProjectPartnerLine]] = defaultdict(list)
    for p in connection.execute(
        select(partners_table)
        .where(partners_table.c.project_id.in_(ids))
        .order_by(partners_table.c.position, partners_table.c.ordinal)
    ):
        partners_of[p.project_id].append(
            ProjectPartnerLine(
                organisation_id=p.organisation_id, role=p.role, joined_on=p.joined_on
            )
        )
    milestones_of: dict[UUID, list[MilestoneLine]] = defaultdict(list)
    for m in connection.execute(
        select(milestones)
        .where(milestones.c.project_id.in_(ids))
        .order_by(milestones.c.reached_on, milestones.c.position)
    ):
        milestones_of[m.project_id].append(
            MilestoneLine(label=m.label, reached_on=m.reached_on, position=m.position)
        )
    history_of: dict[UUID, list[StatusChange]] = defaultdict(list)
    for s in connection.execute(
        select(status_history)
        .where(status_history.c.project_id.in_(ids))
        .order_by(status_history.c.position)
    ):
        history_of[s.project_id].append(
            StatusChange(
                status=s.status,
                effective_on=s.effective_on,
                position=s.position,
                decision_position=s.decision_position,
            )
        )
    return [
        ProjectDetails(
            id=row.project_id,
            filiere_id=row.filiere_id,
            title=row.title,
            status=row.status,
            status_since=row.status_since,
            proposed_on=row.proposed_on,
            estimated_budget=row.estimated_budget,
            origin_call_id=row.origin_call_id,
            origin_candidacy_id=row.origin_candidacy_id,
            partners=partners_of[row.project_id],
            milestones=milestones_of[row.project_id],
            status_history=history_of[row.project_id],
            version=row.version,
            position=row.position,
        )
        for row in rows
    ]
