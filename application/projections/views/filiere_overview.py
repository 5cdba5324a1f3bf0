"""FiliereOverview: per filière, its lead partner, group, calls, candidacies, projects and money.

One row per filière with running counts and sums, and the lookups behind
them. The counts move by deltas (a candidacy selected then rejected by a
reversal moves from one count to the other), so the view never rescans a
filière. Its tables are in `filiere_overview_tables`, its handlers of the
funding events in `filiere_overview_funding`, its reads in
`filiere_overview_reads`.
"""

from decimal import Decimal
from uuid import UUID

from eventsourcing.persistence import Tracking

from application.projections.rows import Rows
from application.projections.tables import R, Table
from application.projections.view import View
from application.projections.views.filiere_overview_tables import (
    CALLS,
    CANDIDACIES,
    ORGANISATIONS,
    OVERVIEW,
    PROJECT_GROUP,
    PROJECTS,
    TABLES,
    CandidacyRow,
    ProjectRow,
)
from domain.base import DomainEvent
from domain.call import Call, CallStatus
from domain.candidacy import CandidacyStatus, CandidacyStatusChanged
from domain.decision import Decided, Decision
from domain.filiere import Filiere
from domain.organisation import Organisation
from domain.project import Project, ProjectStatus

ZERO = Decimal("0.00")


VIEW = View("filiere_overview", version=1, tables=TABLES)


# Organisations (for their names)
@VIEW.handles
def organisation_named(
    event: Organisation.Registered | Organisation.Renamed, rows: Rows, at: Tracking
) -> None:
    if not rows.update(ORGANISATIONS, (event.originator_id,), {"name": event.name}):
        rows.insert(ORGANISATIONS, {"organisation_id": event.originator_id, "name": event.name})


# Filières
@VIEW.handles
def filiere_launched(event: Filiere.Launched, rows: Rows, at: Tracking) -> None:
    rows.insert(
        OVERVIEW,
        {
            "filiere_id": event.originator_id,
            "launch_position": at.notification_id,
            "name": event.name,
            "kind": event.kind.value,
            "status": "active",
            "launched_on": event.decision.decided_on,
            "closed_on": None,
            "lead_partner_id": event.lead_partner_id,
            "candidacies_submitted": 0,
            "candidacies_selected": 0,
            "candidacies_rejected": 0,
            "candidacies_withdrawn": 0,
            "granted": ZERO,
            "disbursed": ZERO,
            "lines_without_amount": 0,
            "last_decision_position": None,
            "last_decision_aggregate_id": None,
            "last_decision_event": None,
            "last_decision_on": None,
            "last_decision_body_id": None,
            "last_decision_rationale": None,
            "version_position": at.notification_id,
        },
    )
    note_decision(rows, event.originator_id, event, event.decision, at)


@VIEW.handles
def lead_partner_changed(event: Filiere.LeadPartnerChanged, rows: Rows, at: Tracking) -> None:
    bump(rows, event.originator_id, at, {"lead_partner_id": event.lead_partner_id})
    note_decision(rows, event.originator_id, event, event.decision, at)


@VIEW.handles
def group_joined(event: Filiere.ProjectGroupMemberJoined, rows: Rows, at: Tracking) -> None:
    filiere_id = event.originator_id
    rows.insert(
        PROJECT_GROUP,
        {
            "filiere_id": filiere_id,
            "organisation_id": event.organisation_id,
            "joined_on": event.effective_on,
        },
    )
    bump(rows, filiere_id, at)


@VIEW.handles
def group_left(event: Filiere.ProjectGroupMemberLeft, rows: Rows, at: Tracking) -> None:
    rows.delete(PROJECT_GROUP, (event.originator_id, event.organisation_id))
    bump(rows, event.originator_id, at)


@VIEW.handles
def filiere_closed(event: Filiere.Closed, rows: Rows, at: Tracking) -> None:
    bump(rows, event.originator_id, at, {"status": "closed", "closed_on": event.effective_on})
    note_decision(rows, event.originator_id, event, event.decision, at)


# Calls and candidacies
@VIEW.handles
def call_launched(event: Call.Launched, rows: Rows, at: Tracking) -> None:
    rows.insert(
        CALLS,
        {
            "call_id": event.originator_id,
            "filiere_id": event.filiere_id,
            "launch_position": at.notification_id,
            "title": event.title,
            "status": CallStatus.OPEN.value,
        },
    )
    bump(rows, event.filiere_id, at)
    note_decision(rows, event.filiere_id, event, event.decision, at)


@VIEW.handles
def submissions_closed(event: Call.SubmissionsClosed, rows: Rows, at: Tracking) -> None:
    _call_moved(rows, event, at, CallStatus.SUBMISSIONS_CLOSED)


@VIEW.handles
def concluded(event: Call.Concluded, rows: Rows, at: Tracking) -> None:
    filiere_id = _call_moved(rows, event, at, CallStatus.CONCLUDED)
    note_decision(rows, filiere_id, event, event.decision, at)


@VIEW.handles
def candidacy_submitted(event: Call.CandidacySubmitted, rows: Rows, at: Tracking) -> None:
    call_id = event.originator_id
    submitted = CandidacyStatus.SUBMITTED.value
    row: CandidacyRow = {
        "call_id": call_id,
        "candidacy_id": event.candidacy_id,
        "status": submitted,
    }
    rows.insert(CANDIDACIES, row)
    filiere_id = one(rows, CALLS, call_id)["filiere_id"]
    overview = rows.get(OVERVIEW, (filiere_id,))
    if overview is not None:
        bump(rows, filiere_id, at, {"candidacies_submitted": overview["candidacies_submitted"] + 1})


@VIEW.handles
def candidacy_moved(event: CandidacyStatusChanged, rows: Rows, at: Tracking) -> None:
    """Withdrawn, selected, rejected…: counted under its new status instead of its former."""
    key = (event.originator_id, event.candidacy_id)
    candidacy = rows.get(CANDIDACIES, key)
    if candidacy is None:
        raise LookupError(f"{CANDIDACIES.name} holds no candidacy {key}")
    before = CandidacyStatus(candidacy["status"])
    rows.update(CANDIDACIES, key, {"status": event.new_status.value})
    filiere_id = one(rows, CALLS, event.originator_id)["filiere_id"]
    overview = rows.get(OVERVIEW, (filiere_id,))
    if overview is not None:
        counts = {
            CandidacyStatus.SELECTED: overview["candidacies_selected"],
            CandidacyStatus.REJECTED: overview["candidacies_rejected"],
            CandidacyStatus.WITHDRAWN: overview["candidacies_withdrawn"],
        }
        if before in counts:
            counts[before] -= 1
        counts[event.new_status] += 1
        bump(rows, filiere_id, at, {f"candidacies_{s.value}": n for s, n in counts.items()})
    if isinstance(event, Decided):
        note_decision(rows, filiere_id, event, event.decision, at)


# Projects
@VIEW.handles
def project_proposed(event: Project.Proposed, rows: Rows, at: Tracking) -> None:
    proposed = ProjectStatus.PROPOSED.value
    row: ProjectRow = {
        "project_id": event.originator_id,
        "filiere_id": event.filiere_id,
        "status": proposed,
    }
    rows.insert(PROJECTS, row)
    bump(rows, event.filiere_id, at)


@VIEW.handles
def project_status_changed(event: Project.StatusChanged, rows: Rows, at: Tracking) -> None:
    filiere_id = one(rows, PROJECTS, event.originator_id)["filiere_id"]
    rows.update(PROJECTS, (event.originator_id,), {"status": event.status.value})
    bump(rows, filiere_id, at)
    if event.decision is not None:
        note_decision(rows, filiere_id, event, event.decision, at)


# Helpers
def one(rows: Rows, table: Table[R], key: UUID) -> R:
    """The row the event refers to, which the view must hold."""
    found = rows.get(table, (key,))
    if found is None:
        raise LookupError(f"{table.name} holds no row with key {key}")
    return found


def bump(
    rows: Rows, filiere_id: UUID, at: Tracking, values: dict[str, object] | None = None
) -> None:
    """Set `values` on the overview, and its position to this event's."""
    rows.update(OVERVIEW, (filiere_id,), {**(values or {}), "version_position": at.notification_id})


def _call_moved(rows: Rows, event: Call.Event, at: Tracking, status: CallStatus) -> UUID:
    filiere_id = one(rows, CALLS, event.originator_id)["filiere_id"]
    rows.update(CALLS, (event.originator_id,), {"status": status.value})
    bump(rows, filiere_id, at)
    return filiere_id


def note_decision(
    rows: Rows, filiere_id: UUID, event: DomainEvent, decision: Decision, at: Tracking
) -> None:
    """Keep the latest decision by date, then by log position (late recording stays in order)."""
    row = rows.get(OVERVIEW, (filiere_id,))
    if row is None:
        return
    last_on, last_position = row["last_decision_on"], row["last_decision_position"]
    if last_on is not None and (last_on, last_position or 0) >= (
        decision.decided_on,
        at.notification_id,
    ):
        return
    rows.update(
        OVERVIEW,
        (filiere_id,),
        {
            "last_decision_position": at.notification_id,
            "last_decision_aggregate_id": event.originator_id,
            "last_decision_event": type(event).__qualname__,
            "last_decision_on": decision.decided_on,
            "last_decision_body_id": decision.body_id,
            "last_decision_rationale": decision.rationale,
        },
    )
