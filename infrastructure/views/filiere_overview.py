"""FiliereOverview in SQL: one row per filière with running counts, and the lookups behind them.

The counts move by deltas (a candidacy selected then rejected by a reversal
moves from one count to the other), so the view never rescans a filière.
Every statement is built once, here: building one per event cost SQLAlchemy
more than running it.
"""

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking
from sqlalchemy import Connection, and_, bindparam, delete, insert, or_, select, update

from application.projections.filiere_overview import FiliereOverviewView
from application.projections.records import DecisionNote, FiliereOverview
from domain.call import CallStatus
from domain.candidacy import CandidacyStatus
from domain.project import ProjectStatus
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

OV, FU = overview.c, funders.c
_RENAME = (
    update(organisations)
    .where(organisations.c.organisation_id == bindparam("b_id"))
    .values(name=bindparam("b_name"))
)
_BUMP = (
    update(overview)
    .where(OV.filiere_id == bindparam("b_filiere"))
    .values(
        version_position=bindparam("b_position"),
        candidacies_submitted=OV.candidacies_submitted + bindparam("b_submitted"),
        candidacies_selected=OV.candidacies_selected + bindparam("b_selected"),
        candidacies_rejected=OV.candidacies_rejected + bindparam("b_rejected"),
        candidacies_withdrawn=OV.candidacies_withdrawn + bindparam("b_withdrawn"),
        granted=OV.granted + bindparam("b_granted"),
        disbursed=OV.disbursed + bindparam("b_disbursed"),
        lines_without_amount=OV.lines_without_amount + bindparam("b_without"),
    )
)
_BUMP_FUNDER = (
    update(funders)
    .where(FU.filiere_id == bindparam("b_filiere"), FU.funder_id == bindparam("b_funder"))
    .values(
        granted=FU.granted + bindparam("b_granted"),
        disbursed=FU.disbursed + bindparam("b_disbursed"),
        lines_without_amount=FU.lines_without_amount + bindparam("b_without"),
    )
)
_SET_LEAD_PARTNER = (
    update(overview)
    .where(OV.filiere_id == bindparam("b_filiere"))
    .values(lead_partner_id=bindparam("b_lead_partner"))
)
_CLOSE = (
    update(overview)
    .where(OV.filiere_id == bindparam("b_filiere"))
    .values(status="closed", closed_on=bindparam("b_closed_on"))
)
_NOTE_DECISION = (
    update(overview)
    .where(
        OV.filiere_id == bindparam("b_filiere"),
        or_(
            OV.last_decision_on.is_(None),
            OV.last_decision_on < bindparam("b_decided_on"),
            and_(
                OV.last_decision_on == bindparam("b_decided_on"),
                OV.last_decision_position < bindparam("b_position"),
            ),
        ),
    )
    .values(
        last_decision_position=bindparam("b_position"),
        last_decision_aggregate_id=bindparam("b_aggregate"),
        last_decision_event=bindparam("b_event"),
        last_decision_on=bindparam("b_decided_on"),
        last_decision_body_id=bindparam("b_body"),
        last_decision_rationale=bindparam("b_rationale"),
    )
)
_LEAVE_GROUP = delete(project_group).where(
    project_group.c.filiere_id == bindparam("b_filiere"),
    project_group.c.organisation_id == bindparam("b_organisation"),
)
_SET_CALL_STATUS = (
    update(calls).where(calls.c.call_id == bindparam("b_call")).values(status=bindparam("b_status"))
)
_FILIERE_OF_CALL = select(calls.c.filiere_id).where(calls.c.call_id == bindparam("b_call"))
_THIS_CANDIDACY = and_(
    candidacies.c.call_id == bindparam("b_call"),
    candidacies.c.candidacy_id == bindparam("b_candidacy"),
)
_CANDIDACY_STATUS = select(candidacies.c.status).where(_THIS_CANDIDACY)
_SET_CANDIDACY_STATUS = (
    update(candidacies).where(_THIS_CANDIDACY).values(status=bindparam("b_status"))
)
_SET_PROJECT_STATUS = (
    update(projects)
    .where(projects.c.project_id == bindparam("b_project"))
    .values(status=bindparam("b_status"))
)
_FILIERE_OF_PROJECT = select(projects.c.filiere_id).where(
    projects.c.project_id == bindparam("b_project")
)
_FUNDER_LINE = select(FU.funder_id).where(
    FU.filiere_id == bindparam("b_filiere"), FU.funder_id == bindparam("b_funder")
)
_FUNDING = select(fundings).where(fundings.c.funding_id == bindparam("b_funding"))
_SET_FUNDING_AMOUNT = (
    update(fundings)
    .where(fundings.c.funding_id == bindparam("b_funding"))
    .values(amount=bindparam("b_amount"))
)
_CANCEL_FUNDING = (
    update(fundings).where(fundings.c.funding_id == bindparam("b_funding")).values(cancelled=True)
)
# Which count a candidacy's current status adds to.
_COUNTED = {
    CandidacyStatus.SELECTED: "b_selected",
    CandidacyStatus.REJECTED: "b_rejected",
    CandidacyStatus.WITHDRAWN: "b_withdrawn",
}


class SQLAlchemyFiliereOverviewView(SQLAlchemyView, FiliereOverviewView):
    metadata = metadata

    # Organisations
    def organisation_named(self, organisation_id: UUID, name: str, tracking: Tracking) -> None:
        def write(connection: Connection) -> None:
            renamed = connection.execute(_RENAME, {"b_id": organisation_id, "b_name": name})
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
                _SET_LEAD_PARTNER, {"b_filiere": filiere_id, "b_lead_partner": lead_partner_id}
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
                _LEAVE_GROUP, {"b_filiere": filiere_id, "b_organisation": organisation_id}
            )
            _bump(connection, filiere_id, tracking)

        self._apply(tracking, write)

    def filiere_closed(
        self, filiere_id: UUID, closed_on: date, decision: DecisionNote, tracking: Tracking
    ) -> None:
        def write(connection: Connection) -> None:
            connection.execute(_CLOSE, {"b_filiere": filiere_id, "b_closed_on": closed_on})
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
            connection.execute(_SET_CALL_STATUS, {"b_call": call_id, "b_status": status.value})
            filiere_id = connection.execute(_FILIERE_OF_CALL, {"b_call": call_id}).scalar_one()
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
            filiere_id = connection.execute(_FILIERE_OF_CALL, {"b_call": call_id}).scalar_one()
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
            before = CandidacyStatus(connection.execute(_CANDIDACY_STATUS, this).scalar_one())
            connection.execute(_SET_CANDIDACY_STATUS, {**this, "b_status": status.value})
            deltas = dict.fromkeys(_COUNTED.values(), 0)
            if before in _COUNTED:
                deltas[_COUNTED[before]] -= 1
            deltas[_COUNTED[status]] += 1
            filiere_id = connection.execute(_FILIERE_OF_CALL, {"b_call": call_id}).scalar_one()
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
                _SET_PROJECT_STATUS, {"b_project": project_id, "b_status": status.value}
            )
            filiere_id = connection.execute(
                _FILIERE_OF_PROJECT, {"b_project": project_id}
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
                _FILIERE_OF_PROJECT, {"b_project": project_id}
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
            if connection.execute(_FUNDER_LINE, line).first() is None:
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
            line = connection.execute(_FUNDING, {"b_funding": funding_id}).one()
            connection.execute(_SET_FUNDING_AMOUNT, {"b_funding": funding_id, "b_amount": amount})
            deltas = _granted(amount)
            for name, delta in _granted(line.amount).items():
                deltas[name] -= delta
            _bump_money(connection, line.filiere_id, line.funder_id, tracking, **deltas)
            _note_decision(connection, line.filiere_id, decision)

        self._apply(tracking, write)

    def funding_disbursed(self, funding_id: UUID, amount: Decimal, tracking: Tracking) -> None:
        def write(connection: Connection) -> None:
            line = connection.execute(_FUNDING, {"b_funding": funding_id}).one()
            _bump_money(connection, line.filiere_id, line.funder_id, tracking, b_disbursed=amount)

        self._apply(tracking, write)

    def funding_cancelled(
        self, funding_id: UUID, decision: DecisionNote, tracking: Tracking
    ) -> None:
        def write(connection: Connection) -> None:
            line = connection.execute(_FUNDING, {"b_funding": funding_id}).one()
            connection.execute(_CANCEL_FUNDING, {"b_funding": funding_id})
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
    """Add `deltas` (named as _BUMP's parameters) to the counts; move the overview's position."""
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
    connection.execute(_BUMP, values)


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
    connection.execute(_BUMP_FUNDER, {"b_filiere": filiere_id, "b_funder": funder_id, **values})


def _note_decision(connection: Connection, filiere_id: UUID, decision: DecisionNote) -> None:
    """Keep the latest decision by date, then by log position (late recording stays in order)."""
    connection.execute(
        _NOTE_DECISION,
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
