"""FiliereOverview in SQL: one row per filière with running counts, and the lookups behind them.

The counts move by deltas (a candidacy selected then rejected by a reversal
moves from one count to the other), so the view never rescans a filière.
The changes go through the batch's pending rows, written together at its end.
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking
from sqlalchemy import Table, select
from sqlalchemy.exc import NoResultFound

from application.projections.filiere_overview import FiliereOverviewView
from application.projections.records import DecisionNote, FiliereOverview
from domain.call import CallStatus
from domain.candidacy import CandidacyStatus
from domain.project import ProjectStatus
from infrastructure.views.base import SQLAlchemyView
from infrastructure.views.filiere_overview_reading import read_overview
from infrastructure.views.filiere_overview_tables import (
    COUNT_COLUMN,
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
from infrastructure.views.pending_rows import Key, PendingRows


class SQLAlchemyFiliereOverviewView(SQLAlchemyView, FiliereOverviewView):
    metadata = metadata

    # Organisations
    def organisation_named(self, organisation_id: UUID, name: str, tracking: Tracking) -> None:
        def write(rows: PendingRows) -> None:
            if not rows.update(organisations, (organisation_id,), {"name": name}):
                rows.insert(organisations, {"organisation_id": organisation_id, "name": name})

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
        def write(rows: PendingRows) -> None:
            rows.insert(
                overview,
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
            _note_decision(rows, filiere_id, decision)

        self._apply(tracking, write)

    def lead_partner_changed(
        self, filiere_id: UUID, lead_partner_id: UUID, decision: DecisionNote, tracking: Tracking
    ) -> None:
        def write(rows: PendingRows) -> None:
            rows.update(overview, (filiere_id,), {"lead_partner_id": lead_partner_id})
            _bump(rows, filiere_id, tracking)
            _note_decision(rows, filiere_id, decision)

        self._apply(tracking, write)

    def project_group_joined(
        self, filiere_id: UUID, organisation_id: UUID, joined_on: date, tracking: Tracking
    ) -> None:
        def write(rows: PendingRows) -> None:
            rows.insert(
                project_group,
                {
                    "filiere_id": filiere_id,
                    "organisation_id": organisation_id,
                    "joined_on": joined_on,
                },
            )
            _bump(rows, filiere_id, tracking)

        self._apply(tracking, write)

    def project_group_left(
        self, filiere_id: UUID, organisation_id: UUID, tracking: Tracking
    ) -> None:
        def write(rows: PendingRows) -> None:
            rows.delete(project_group, (filiere_id, organisation_id))
            _bump(rows, filiere_id, tracking)

        self._apply(tracking, write)

    def filiere_closed(
        self, filiere_id: UUID, closed_on: date, decision: DecisionNote, tracking: Tracking
    ) -> None:
        def write(rows: PendingRows) -> None:
            rows.update(overview, (filiere_id,), {"status": "closed", "closed_on": closed_on})
            _bump(rows, filiere_id, tracking)
            _note_decision(rows, filiere_id, decision)

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
        def write(rows: PendingRows) -> None:
            rows.insert(
                calls,
                {
                    "call_id": call_id,
                    "filiere_id": filiere_id,
                    "launch_position": tracking.notification_id,
                    "title": title,
                    "status": CallStatus.OPEN.value,
                },
            )
            _bump(rows, filiere_id, tracking)
            _note_decision(rows, filiere_id, decision)

        self._apply(tracking, write)

    def call_status_changed(
        self, call_id: UUID, status: CallStatus, decision: DecisionNote | None, tracking: Tracking
    ) -> None:
        def write(rows: PendingRows) -> None:
            filiere_id = _one(rows, calls, (call_id,))["filiere_id"]
            rows.update(calls, (call_id,), {"status": status.value})
            _bump(rows, filiere_id, tracking)
            if decision is not None:
                _note_decision(rows, filiere_id, decision)

        self._apply(tracking, write)

    def candidacy_submitted(self, call_id: UUID, candidacy_id: UUID, tracking: Tracking) -> None:
        def write(rows: PendingRows) -> None:
            rows.insert(
                candidacies,
                {
                    "candidacy_id": candidacy_id,
                    "call_id": call_id,
                    "status": CandidacyStatus.SUBMITTED.value,
                },
            )
            filiere_id = _one(rows, calls, (call_id,))["filiere_id"]
            _bump(rows, filiere_id, tracking, candidacies_submitted=1)

        self._apply(tracking, write)

    def candidacy_status_changed(
        self,
        call_id: UUID,
        candidacy_id: UUID,
        status: CandidacyStatus,
        decision: DecisionNote | None,
        tracking: Tracking,
    ) -> None:
        def write(rows: PendingRows) -> None:
            key = (call_id, candidacy_id)
            before = CandidacyStatus(_one(rows, candidacies, key)["status"])
            rows.update(candidacies, key, {"status": status.value})
            deltas = dict.fromkeys(COUNT_COLUMN.values(), 0)
            if before in COUNT_COLUMN:
                deltas[COUNT_COLUMN[before]] -= 1
            deltas[COUNT_COLUMN[status]] += 1
            filiere_id = _one(rows, calls, (call_id,))["filiere_id"]
            _bump(rows, filiere_id, tracking, **deltas)
            if decision is not None:
                _note_decision(rows, filiere_id, decision)

        self._apply(tracking, write)

    # Projects
    def project_proposed(self, project_id: UUID, filiere_id: UUID, tracking: Tracking) -> None:
        def write(rows: PendingRows) -> None:
            rows.insert(
                projects,
                {
                    "project_id": project_id,
                    "filiere_id": filiere_id,
                    "status": ProjectStatus.PROPOSED.value,
                },
            )
            _bump(rows, filiere_id, tracking)

        self._apply(tracking, write)

    def project_status_changed(
        self,
        project_id: UUID,
        status: ProjectStatus,
        decision: DecisionNote | None,
        tracking: Tracking,
    ) -> None:
        def write(rows: PendingRows) -> None:
            filiere_id = _one(rows, projects, (project_id,))["filiere_id"]
            rows.update(projects, (project_id,), {"status": status.value})
            _bump(rows, filiere_id, tracking)
            if decision is not None:
                _note_decision(rows, filiere_id, decision)

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
        def write(rows: PendingRows) -> None:
            filiere_id = _one(rows, projects, (project_id,))["filiere_id"]
            rows.insert(
                fundings,
                {
                    "funding_id": funding_id,
                    "filiere_id": filiere_id,
                    "funder_id": funder_id,
                    "amount": amount,
                    "cancelled": False,
                },
            )
            if (funders, (filiere_id, funder_id)) not in rows:
                rows.insert(funders, {"filiere_id": filiere_id, "funder_id": funder_id})
            _bump_money(rows, filiere_id, funder_id, tracking, **_granted(amount))
            _note_decision(rows, filiere_id, decision)

        self._apply(tracking, write)

    def funding_amount_revised(
        self, funding_id: UUID, amount: Decimal, decision: DecisionNote, tracking: Tracking
    ) -> None:
        def write(rows: PendingRows) -> None:
            line = _one(rows, fundings, (funding_id,))
            deltas = _granted(amount)
            for name, delta in _granted(line["amount"]).items():
                deltas[name] -= delta
            filiere_id, funder_id = line["filiere_id"], line["funder_id"]
            rows.update(fundings, (funding_id,), {"amount": amount})
            _bump_money(rows, filiere_id, funder_id, tracking, **deltas)
            _note_decision(rows, filiere_id, decision)

        self._apply(tracking, write)

    def funding_disbursed(self, funding_id: UUID, amount: Decimal, tracking: Tracking) -> None:
        def write(rows: PendingRows) -> None:
            line = _one(rows, fundings, (funding_id,))
            _bump_money(rows, line["filiere_id"], line["funder_id"], tracking, disbursed=amount)

        self._apply(tracking, write)

    def funding_cancelled(
        self, funding_id: UUID, decision: DecisionNote, tracking: Tracking
    ) -> None:
        def write(rows: PendingRows) -> None:
            line = _one(rows, fundings, (funding_id,))
            deltas = {name: -delta for name, delta in _granted(line["amount"]).items()}
            filiere_id, funder_id = line["filiere_id"], line["funder_id"]
            rows.update(fundings, (funding_id,), {"cancelled": True})
            _bump_money(rows, filiere_id, funder_id, tracking, **deltas)
            _note_decision(rows, filiere_id, decision)

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
def _one(rows: PendingRows, table: Table, key: Key) -> Mapping[str, Any]:
    """The row the event refers to, which the view must hold."""
    found = rows.get(table, key)
    if found is None:
        raise NoResultFound(f"{table.name} holds no row with key {key}")
    return found


def _add(row: Mapping[str, Any], deltas: Mapping[str, Any]) -> dict[str, Any]:
    return {column: row[column] + delta for column, delta in deltas.items()}


def _bump(rows: PendingRows, filiere_id: UUID, tracking: Tracking, **deltas: Any) -> None:
    """Add `deltas` (by column) to the overview's counts; move its position to this event's."""
    row = rows.get(overview, (filiere_id,))
    if row is not None:
        values = {**_add(row, deltas), "version_position": tracking.notification_id}
        rows.update(overview, (filiere_id,), values)


def _granted(amount: Decimal | None) -> dict[str, Any]:
    """What a grant line of this amount adds to the totals."""
    if amount is None:
        return {"granted": ZERO, "lines_without_amount": 1}
    return {"granted": amount, "lines_without_amount": 0}


def _bump_money(
    rows: PendingRows,
    filiere_id: UUID,
    funder_id: UUID,
    tracking: Tracking,
    **deltas: Any,
) -> None:
    _bump(rows, filiere_id, tracking, **deltas)
    line = rows.get(funders, (filiere_id, funder_id))
    if line is not None:
        rows.update(funders, (filiere_id, funder_id), _add(line, deltas))


def _note_decision(rows: PendingRows, filiere_id: UUID, decision: DecisionNote) -> None:
    """Keep the latest decision by date, then by log position (late recording stays in order)."""
    row = rows.get(overview, (filiere_id,))
    if row is None:
        return
    last_on, last_position = row["last_decision_on"], row["last_decision_position"]
    if last_on is not None and (last_on, last_position) >= (decision.decided_on, decision.position):
        return
    rows.update(
        overview,
        (filiere_id,),
        {
            "last_decision_position": decision.position,
            "last_decision_aggregate_id": decision.aggregate_id,
            "last_decision_event": decision.event,
            "last_decision_on": decision.decided_on,
            "last_decision_body_id": decision.body_id,
            "last_decision_rationale": decision.rationale,
        },
    )
