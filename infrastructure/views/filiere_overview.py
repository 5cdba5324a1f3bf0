"""FiliereOverview in SQL: one row per filière with running counts, and the lookups behind them.

The counts move by deltas (a candidacy selected then rejected by a reversal
moves from one count to the other), so the view never rescans a filière.
"""

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking
from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.orm import Session

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


class SQLAlchemyFiliereOverviewView(SQLAlchemyView, FiliereOverviewView):
    metadata = metadata

    # Organisations
    def organisation_named(self, organisation_id: UUID, name: str, tracking: Tracking) -> None:
        def write(session: Session) -> None:
            changed = session.execute(
                update(organisations)
                .where(organisations.c.organisation_id == organisation_id)
                .values(name=name)
            )
            if changed.rowcount == 0:  # type: ignore[attr-defined]
                session.execute(
                    insert(organisations).values(organisation_id=organisation_id, name=name)
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
        def write(session: Session) -> None:
            session.execute(
                insert(overview).values(
                    filiere_id=filiere_id,
                    launch_position=tracking.notification_id,
                    name=name,
                    kind=kind,
                    status="active",
                    launched_on=decision.decided_on,
                    lead_partner_id=lead_partner_id,
                    version_position=tracking.notification_id,
                )
            )
            _note_decision(session, filiere_id, decision)

        self._apply(tracking, write)

    def lead_partner_changed(
        self, filiere_id: UUID, lead_partner_id: UUID, decision: DecisionNote, tracking: Tracking
    ) -> None:
        def write(session: Session) -> None:
            _change(session, filiere_id, tracking, lead_partner_id=lead_partner_id)
            _note_decision(session, filiere_id, decision)

        self._apply(tracking, write)

    def project_group_joined(
        self, filiere_id: UUID, organisation_id: UUID, joined_on: date, tracking: Tracking
    ) -> None:
        def write(session: Session) -> None:
            session.execute(
                insert(project_group).values(
                    filiere_id=filiere_id, organisation_id=organisation_id, joined_on=joined_on
                )
            )
            _change(session, filiere_id, tracking)

        self._apply(tracking, write)

    def project_group_left(
        self, filiere_id: UUID, organisation_id: UUID, tracking: Tracking
    ) -> None:
        def write(session: Session) -> None:
            session.execute(
                project_group.delete().where(
                    project_group.c.filiere_id == filiere_id,
                    project_group.c.organisation_id == organisation_id,
                )
            )
            _change(session, filiere_id, tracking)

        self._apply(tracking, write)

    def filiere_closed(
        self, filiere_id: UUID, closed_on: date, decision: DecisionNote, tracking: Tracking
    ) -> None:
        def write(session: Session) -> None:
            _change(session, filiere_id, tracking, status="closed", closed_on=closed_on)
            _note_decision(session, filiere_id, decision)

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
        def write(session: Session) -> None:
            session.execute(
                insert(calls).values(
                    call_id=call_id,
                    filiere_id=filiere_id,
                    launch_position=tracking.notification_id,
                    title=title,
                    status=CallStatus.OPEN.value,
                )
            )
            _change(session, filiere_id, tracking)
            _note_decision(session, filiere_id, decision)

        self._apply(tracking, write)

    def call_status_changed(
        self, call_id: UUID, status: CallStatus, decision: DecisionNote | None, tracking: Tracking
    ) -> None:
        def write(session: Session) -> None:
            session.execute(
                update(calls).where(calls.c.call_id == call_id).values(status=status.value)
            )
            filiere_id = _filiere_of_call(session, call_id)
            _change(session, filiere_id, tracking)
            if decision is not None:
                _note_decision(session, filiere_id, decision)

        self._apply(tracking, write)

    def candidacy_submitted(self, call_id: UUID, candidacy_id: UUID, tracking: Tracking) -> None:
        def write(session: Session) -> None:
            session.execute(
                insert(candidacies).values(
                    candidacy_id=candidacy_id,
                    call_id=call_id,
                    status=CandidacyStatus.SUBMITTED.value,
                )
            )
            filiere_id = _filiere_of_call(session, call_id)
            _change(session, filiere_id, tracking, candidacies_submitted=1)

        self._apply(tracking, write)

    def candidacy_status_changed(
        self,
        call_id: UUID,
        candidacy_id: UUID,
        status: CandidacyStatus,
        decision: DecisionNote | None,
        tracking: Tracking,
    ) -> None:
        def write(session: Session) -> None:
            before = CandidacyStatus(
                session.execute(
                    select(candidacies.c.status).where(
                        candidacies.c.call_id == call_id, candidacies.c.candidacy_id == candidacy_id
                    )
                ).scalar_one()
            )
            session.execute(
                update(candidacies)
                .where(candidacies.c.call_id == call_id, candidacies.c.candidacy_id == candidacy_id)
                .values(status=status.value)
            )
            deltas: dict[str, int] = {}
            if before in COUNT_COLUMN:
                deltas[COUNT_COLUMN[before]] = -1
            deltas[COUNT_COLUMN[status]] = deltas.get(COUNT_COLUMN[status], 0) + 1
            filiere_id = _filiere_of_call(session, call_id)
            _change(session, filiere_id, tracking, **deltas)
            if decision is not None:
                _note_decision(session, filiere_id, decision)

        self._apply(tracking, write)

    # Projects
    def project_proposed(self, project_id: UUID, filiere_id: UUID, tracking: Tracking) -> None:
        def write(session: Session) -> None:
            session.execute(
                insert(projects).values(
                    project_id=project_id,
                    filiere_id=filiere_id,
                    status=ProjectStatus.PROPOSED.value,
                )
            )
            _change(session, filiere_id, tracking)

        self._apply(tracking, write)

    def project_status_changed(
        self,
        project_id: UUID,
        status: ProjectStatus,
        decision: DecisionNote | None,
        tracking: Tracking,
    ) -> None:
        def write(session: Session) -> None:
            session.execute(
                update(projects)
                .where(projects.c.project_id == project_id)
                .values(status=status.value)
            )
            filiere_id = _filiere_of_project(session, project_id)
            _change(session, filiere_id, tracking)
            if decision is not None:
                _note_decision(session, filiere_id, decision)

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
        def write(session: Session) -> None:
            filiere_id = _filiere_of_project(session, project_id)
            session.execute(
                insert(fundings).values(
                    funding_id=funding_id,
                    filiere_id=filiere_id,
                    funder_id=funder_id,
                    amount=amount,
                    cancelled=False,
                )
            )
            if (
                session.execute(
                    select(funders.c.funder_id).where(
                        funders.c.filiere_id == filiere_id, funders.c.funder_id == funder_id
                    )
                ).first()
                is None
            ):
                session.execute(insert(funders).values(filiere_id=filiere_id, funder_id=funder_id))
            _change_money(session, filiere_id, funder_id, tracking, _granted(amount))
            _note_decision(session, filiere_id, decision)

        self._apply(tracking, write)

    def funding_amount_revised(
        self, funding_id: UUID, amount: Decimal, decision: DecisionNote, tracking: Tracking
    ) -> None:
        def write(session: Session) -> None:
            line = _funding(session, funding_id)
            session.execute(
                update(fundings).where(fundings.c.funding_id == funding_id).values(amount=amount)
            )
            deltas = _granted(amount)
            for column, delta in _granted(line.amount).items():
                deltas[column] -= delta
            _change_money(session, line.filiere_id, line.funder_id, tracking, deltas)
            _note_decision(session, line.filiere_id, decision)

        self._apply(tracking, write)

    def funding_disbursed(self, funding_id: UUID, amount: Decimal, tracking: Tracking) -> None:
        def write(session: Session) -> None:
            line = _funding(session, funding_id)
            _change_money(session, line.filiere_id, line.funder_id, tracking, {"disbursed": amount})

        self._apply(tracking, write)

    def funding_cancelled(
        self, funding_id: UUID, decision: DecisionNote, tracking: Tracking
    ) -> None:
        def write(session: Session) -> None:
            line = _funding(session, funding_id)
            session.execute(
                update(fundings).where(fundings.c.funding_id == funding_id).values(cancelled=True)
            )
            deltas = {column: -delta for column, delta in _granted(line.amount).items()}
            _change_money(session, line.filiere_id, line.funder_id, tracking, deltas)
            _note_decision(session, line.filiere_id, decision)

        self._apply(tracking, write)

    # Reading
    def overview(self, filiere_id: UUID) -> FiliereOverview | None:
        with self.reading() as session:
            row = session.execute(
                select(overview).where(overview.c.filiere_id == filiere_id)
            ).first()
            return None if row is None else read_overview(session, row._mapping)

    def overviews(self) -> list[FiliereOverview]:
        with self.reading() as session:
            rows = session.execute(select(overview).order_by(overview.c.launch_position))
            return [read_overview(session, row._mapping) for row in rows]


# Writing helpers
def _change(session: Session, filiere_id: UUID, tracking: Tracking, **values: Any) -> None:
    """Set the given columns (ints are added to the count) and the overview's position."""
    assignments: dict[str, Any] = {"version_position": tracking.notification_id}
    for column, value in values.items():
        assignments[column] = overview.c[column] + value if isinstance(value, int) else value
    session.execute(
        update(overview).where(overview.c.filiere_id == filiere_id).values(**assignments)
    )


def _granted(amount: Decimal | None) -> dict[str, Any]:
    """What a grant line of this amount adds to the totals."""
    if amount is None:
        return {"granted": ZERO, "lines_without_amount": 1}
    return {"granted": amount, "lines_without_amount": 0}


def _change_money(
    session: Session,
    filiere_id: UUID,
    funder_id: UUID,
    tracking: Tracking,
    deltas: dict[str, Any],
) -> None:
    for table, where in (
        (overview, overview.c.filiere_id == filiere_id),
        (funders, and_(funders.c.filiere_id == filiere_id, funders.c.funder_id == funder_id)),
    ):
        assignments: dict[str, Any] = {
            column: table.c[column] + delta for column, delta in deltas.items()
        }
        if table is overview:
            assignments["version_position"] = tracking.notification_id
        session.execute(update(table).where(where).values(**assignments))


def _note_decision(session: Session, filiere_id: UUID, decision: DecisionNote) -> None:
    """Keep the latest decision by date, then by log position (late recording stays in order)."""
    c = overview.c
    session.execute(
        update(overview)
        .where(
            c.filiere_id == filiere_id,
            or_(
                c.last_decision_on.is_(None),
                c.last_decision_on < decision.decided_on,
                and_(
                    c.last_decision_on == decision.decided_on,
                    c.last_decision_position < decision.position,
                ),
            ),
        )
        .values(
            last_decision_position=decision.position,
            last_decision_aggregate_id=decision.aggregate_id,
            last_decision_event=decision.event,
            last_decision_on=decision.decided_on,
            last_decision_body_id=decision.body_id,
            last_decision_rationale=decision.rationale,
        )
    )


def _filiere_of_call(session: Session, call_id: UUID) -> UUID:
    found: UUID = session.execute(
        select(calls.c.filiere_id).where(calls.c.call_id == call_id)
    ).scalar_one()
    return found


def _filiere_of_project(session: Session, project_id: UUID) -> UUID:
    found: UUID = session.execute(
        select(projects.c.filiere_id).where(projects.c.project_id == project_id)
    ).scalar_one()
    return found


def _funding(session: Session, funding_id: UUID) -> Any:
    return session.execute(select(fundings).where(fundings.c.funding_id == funding_id)).one()
