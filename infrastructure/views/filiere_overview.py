"""FiliereOverview in SQL: one row per filière with running counts, and the lookups behind them.

The counts move by deltas (a candidacy selected then rejected by a reversal
moves from one count to the other), so the view never rescans a filière.
The statements are built once, in `filiere_overview_statements`.
"""

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking
from sqlalchemy import Connection, insert, select

from application.projections.filiere_overview import FiliereOverviewView
from application.projections.records import DecisionNote, FiliereOverview
from domain.call import CallStatus
from domain.candidacy import CandidacyStatus
from domain.project import ProjectStatus
from infrastructure.views import filiere_overview_statements as sql
from infrastructure.views.base import SQLAlchemyView
from infrastructure.views.filiere_overview_reading import read_overview
from infrastructure.views.filiere_overview_tables import (
    ZERO,
    calls,
    candidacies,
    funders,
    fundings,
    metadata,
    organisations,
    overview,
    project_group,
    projects,
)


class SQLAlchemyFiliereOverviewView(SQLAlchemyView, FiliereOverviewView):
    metadata = metadata

    # Organisations
    def organisation_named(self, organisation_id: UUID, name: str, tracking: Tracking) -> None:
        def write(connection: Connection) -> None:
            renamed = connection.execute(sql.RENAME, {"b_id": organisation_id, "b_name": name})
            if renamed.rowcount == 0:
                connection.execute(
                    insert(organisations), {"organisation_id": organisation_id, "name": name}
                )

        self._apply(tracking, write)

    # Filières
    def filiere_launched(
        self,
        filiere_id: UUID,
        name: str,
        kind: str,
        lead_partner_id: UUID,
        decision: DecisionNote,
        tracking: Tracking,
    ) -> None:
        def write(connection: Connection) -> None:
            connection.execute(
                insert(overview),
                {
                    "filiere_id": filiere_id,
                    "launch_position": tracking.notification_id,
                    "name": name,
                    "kind": kind,
                    "status": "active",
                    "launched_on": decision.decided_on,
                    "lead_partner_id": lead_partner_id,
                    "version_position": tracking.notification_id,
                },
            )
            _note_decision(connection, filiere_id, decision)

        self._apply(tracking, write)

    def lead_partner_changed(
        self, filiere_id: UUID, lead_partner_id: UUID, decision: DecisionNote, tracking: Tracking
    ) -> None:
        def write(connection: Connection) -> None:
            connection.execute(
                sql.SET_LEAD_PARTNER, {"b_filiere": filiere_id, "b_lead_partner": lead_partner_id}
            )
            _bump(connection, filiere_id, tracking)
            _note_decision(connection, filiere_id, decision)

        self._apply(tracking, write)

    def project_group_joined(
        self, filiere_id: UUID, organisation_id: UUID, joined_on: date, tracking: Tracking
    ) -> None:
        def write(connection: Connection) -> None:
            connection.execute(
                insert(project_group),
                {
                    "filiere_id": filiere_id,
                    "organisation_id": organisation_id,
                    "joined_on": joined_on,
                },
            )
            _bump(connection, filiere_id, tracking)

        self._apply(tracking, write)

    def project_group_left(
        self, filiere_id: UUID, organisation_id: UUID, tracking: Tracking
    ) -> None:
        def write(connection: Connection) -> None:
            connection.execute(
                sql.LEAVE_GROUP, {"b_filiere": filiere_id, "b_organisation": organisation_id}
            )
            _bump(connection, filiere_id, tracking)

        self._apply(tracking, write)

    def filiere_closed(
        self, filiere_id: UUID, closed_on: date, decision: DecisionNote, tracking: Tracking
    ) -> None:
        def write(connection: Connection) -> None:
            connection.execute(sql.CLOSE, {"b_filiere": filiere_id, "b_closed_on": closed_on})
            _bump(connection, filiere_id, tracking)
            _note_decision(connection, filiere_id, decision)

        self._apply(tracking, write)

    # Calls and candidacies
    def call_launched(
        self,
        call_id: UUID,
        filiere_id: UUID,
        title: str,
        decision: DecisionNote,
        tracking: Tracking,
    ) -> None:
        def write(connection: Connection) -> None:
            connection.execute(
                insert(calls),
                {
                    "call_id": call_id,
                    "filiere_id": filiere_id,
                    "launch_position": tracking.notification_id,
                    "title": title,
                    "status": CallStatus.OPEN.value,
                },
            )
            _bump(connection, filiere_id, tracking)
            _note_decision(connection, filiere_id, decision)

        self._apply(tracking, write)

    def call_status_changed(
        self, call_id: UUID, status: CallStatus, decision: DecisionNote | None, tracking: Tracking
    ) -> None:
        def write(connection: Connection) -> None:
            connection.execute(sql.SET_CALL_STATUS, {"b_call": call_id, "b_status": status.value})
            filiere_id = connection.execute(sql.FILIERE_OF_CALL, {"b_call": call_id}).scalar_one()
            _bump(connection, filiere_id, tracking)
            if decision is not None:
                _note_decision(connection, filiere_id, decision)

        self._apply(tracking, write)

    def candidacy_submitted(self, call_id: UUID, candidacy_id: UUID, tracking: Tracking) -> None:
        def write(connection: Connection) -> None:
            connection.execute(
                insert(candidacies),
                {
                    "candidacy_id": candidacy_id,
                    "call_id": call_id,
                    "status": CandidacyStatus.SUBMITTED.value,
                },
            )
            filiere_id = connection.execute(sql.FILIERE_OF_CALL, {"b_call": call_id}).scalar_one()
            _bump(connection, filiere_id, tracking, b_submitted=1)

        self._apply(tracking, write)

    def candidacy_status_changed(
        self,
        call_id: UUID,
        candidacy_id: UUID,
        status: CandidacyStatus,
        decision: DecisionNote | None,
        tracking: Tracking,
    ) -> None:
        def write(connection: Connection) -> None:
            this = {"b_call": call_id, "b_candidacy": candidacy_id}
            before = CandidacyStatus(connection.execute(sql.CANDIDACY_STATUS, this).scalar_one())
            connection.execute(sql.SET_CANDIDACY_STATUS, {**this, "b_status": status.value})
            deltas = dict.fromkeys(sql.COUNTED.values(), 0)
            if before in sql.COUNTED:
                deltas[sql.COUNTED[before]] -= 1
            deltas[sql.COUNTED[status]] += 1
            filiere_id = connection.execute(sql.FILIERE_OF_CALL, {"b_call": call_id}).scalar_one()
            _bump(connection, filiere_id, tracking, **deltas)
            if decision is not None:
                _note_decision(connection, filiere_id, decision)

        self._apply(tracking, write)

    # Projects
    def project_proposed(self, project_id: UUID, filiere_id: UUID, tracking: Tracking) -> None:
        def write(connection: Connection) -> None:
            connection.execute(
                insert(projects),
                {
                    "project_id": project_id,
                    "filiere_id": filiere_id,
                    "status": ProjectStatus.PROPOSED.value,
                },
            )
            _bump(connection, filiere_id, tracking)

        self._apply(tracking, write)

    def project_status_changed(
        self,
        project_id: UUID,
        status: ProjectStatus,
        decision: DecisionNote | None,
        tracking: Tracking,
    ) -> None:
        def write(connection: Connection) -> None:
            connection.execute(
                sql.SET_PROJECT_STATUS, {"b_project": project_id, "b_status": status.value}
            )
            filiere_id = connection.execute(
                sql.FILIERE_OF_PROJECT, {"b_project": project_id}
            ).scalar_one()
            _bump(connection, filiere_id, tracking)
            if decision is not None:
                _note_decision(connection, filiere_id, decision)

        self._apply(tracking, write)

    # Funding
    def funding_granted(
        self,
        funding_id: UUID,
        project_id: UUID,
        funder_id: UUID,
        amount: Decimal | None,
        decision: DecisionNote,
        tracking: Tracking,
    ) -> None:
        def write(connection: Connection) -> None:
            filiere_id = connection.execute(
                sql.FILIERE_OF_PROJECT, {"b_project": project_id}
            ).scalar_one()
            connection.execute(
                insert(fundings),
                {
                    "funding_id": funding_id,
                    "filiere_id": filiere_id,
                    "funder_id": funder_id,
                    "amount": amount,
                    "cancelled": False,
                },
            )
            line = {"b_filiere": filiere_id, "b_funder": funder_id}
            if connection.execute(sql.FUNDER_LINE, line).first() is None:
                connection.execute(
                    insert(funders), {"filiere_id": filiere_id, "funder_id": funder_id}
                )
            _bump_money(connection, filiere_id, funder_id, tracking, **_granted(amount))
            _note_decision(connection, filiere_id, decision)

        self._apply(tracking, write)

    def funding_amount_revised(
        self, funding_id: UUID, amount: Decimal, decision: DecisionNote, tracking: Tracking
    ) -> None:
        def write(connection: Connection) -> None:
            line = connection.execute(sql.FUNDING, {"b_funding": funding_id}).one()
            connection.execute(
                sql.SET_FUNDING_AMOUNT, {"b_funding": funding_id, "b_amount": amount}
            )
            deltas = _granted(amount)
            for name, delta in _granted(line.amount).items():
                deltas[name] -= delta
            _bump_money(connection, line.filiere_id, line.funder_id, tracking, **deltas)
            _note_decision(connection, line.filiere_id, decision)

        self._apply(tracking, write)

    def funding_disbursed(self, funding_id: UUID, amount: Decimal, tracking: Tracking) -> None:
        def write(connection: Connection) -> None:
            line = connection.execute(sql.FUNDING, {"b_funding": funding_id}).one()
            _bump_money(connection, line.filiere_id, line.funder_id, tracking, b_disbursed=amount)

        self._apply(tracking, write)

    def funding_cancelled(
        self, funding_id: UUID, decision: DecisionNote, tracking: Tracking
    ) -> None:
        def write(connection: Connection) -> None:
            line = connection.execute(sql.FUNDING, {"b_funding": funding_id}).one()
            connection.execute(sql.CANCEL_FUNDING, {"b_funding": funding_id})
            deltas = {name: -delta for name, delta in _granted(line.amount).items()}
            _bump_money(connection, line.filiere_id, line.funder_id, tracking, **deltas)
            _note_decision(connection, line.filiere_id, decision)

        self._apply(tracking, write)

    # Reading
    def overview(self, filiere_id: UUID) -> FiliereOverview | None:
        with self.reading() as connection:
            row = connection.execute(
                select(overview).where(overview.c.filiere_id == filiere_id)
            ).first()
            return None if row is None else read_overview(connection, row._mapping)

    def overviews(self) -> list[FiliereOverview]:
        with self.reading() as connection:
            rows = connection.execute(select(overview).order_by(overview.c.launch_position))
            return [read_overview(connection, row._mapping) for row in rows]


# Writing helpers
def _bump(connection: Connection, filiere_id: UUID, tracking: Tracking, **deltas: Any) -> None:
    """Add `deltas` (named as sql.BUMP's parameters) to the counts; move the overview's position."""
    values: dict[str, Any] = {
        "b_filiere": filiere_id,
        "b_position": tracking.notification_id,
        "b_submitted": 0,
        "b_selected": 0,
        "b_rejected": 0,
        "b_withdrawn": 0,
        "b_granted": ZERO,
        "b_disbursed": ZERO,
        "b_without": 0,
    }
    values.update(deltas)
    connection.execute(sql.BUMP, values)


def _granted(amount: Decimal | None) -> dict[str, Any]:
    """What a grant line of this amount adds to the totals."""
    if amount is None:
        return {"b_granted": ZERO, "b_without": 1}
    return {"b_granted": amount, "b_without": 0}


def _bump_money(
    connection: Connection,
    filiere_id: UUID,
    funder_id: UUID,
    tracking: Tracking,
    **deltas: Any,
) -> None:
    _bump(connection, filiere_id, tracking, **deltas)
    values = {"b_granted": ZERO, "b_disbursed": ZERO, "b_without": 0, **deltas}
    connection.execute(sql.BUMP_FUNDER, {"b_filiere": filiere_id, "b_funder": funder_id, **values})


def _note_decision(connection: Connection, filiere_id: UUID, decision: DecisionNote) -> None:
    """Keep the latest decision by date, then by log position (late recording stays in order)."""
    connection.execute(
        sql.NOTE_DECISION,
        {
            "b_filiere": filiere_id,
            "b_position": decision.position,
            "b_aggregate": decision.aggregate_id,
            "b_event": decision.event,
            "b_decided_on": decision.decided_on,
            "b_body": decision.body_id,
            "b_rationale": decision.rationale,
        },
    )
