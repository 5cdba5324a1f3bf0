"""ProjectDetails: each project with its status and how it got there, partners and milestones.

Each project carries its aggregate version and log position after the last
event applied to it.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated, TypedDict
from uuid import UUID

from eventsourcing.persistence import Tracking

from application.projections.detail_records import (
    MilestoneLine,
    ProjectDetails,
    ProjectPartnerLine,
    StatusChange,
)
from application.projections.rows import Reader, Rows
from application.projections.tables import INDEXED, KEY, POSITION, UNIQUE, Table, Text
from application.projections.view import View
from application.projections.view_reads import DetailReads, children
from domain.project import Project, ProjectStatus


class ProjectRow(TypedDict):
    project_id: Annotated[UUID, KEY]
    proposal_position: Annotated[int, POSITION, UNIQUE]
    filiere_id: Annotated[UUID, INDEXED]
    title: Annotated[str, Text(500)]
    status: Annotated[str, Text(32)]
    status_since: date
    proposed_on: date
    estimated_budget: Decimal | None
    origin_call_id: UUID | None
    origin_candidacy_id: UUID | None
    version: int
    position: Annotated[int, POSITION]


class PartnerRow(TypedDict):
    project_id: Annotated[UUID, KEY]
    organisation_id: Annotated[UUID, KEY]
    role: Annotated[str, Text(200)]
    joined_on: date
    position: Annotated[int, POSITION]
    ordinal: int
    """Its place among the partners the same event names (the proposal names several)."""


class MilestoneRow(TypedDict):
    position: Annotated[int, POSITION, KEY]
    project_id: Annotated[UUID, INDEXED]
    label: Annotated[str, Text(500)]
    reached_on: date


class StatusRow(TypedDict):
    position: Annotated[int, POSITION, KEY]
    project_id: Annotated[UUID, INDEXED]
    status: Annotated[str, Text(32)]
    effective_on: date
    decision_position: Annotated[int, POSITION] | None


PROJECTS = Table("project_details", ProjectRow)
PARTNERS = Table("project_details_partners", PartnerRow)
MILESTONES = Table("project_details_milestones", MilestoneRow)
STATUS_HISTORY = Table("project_details_status_history", StatusRow)
VIEW = View("project_details", version=1, tables=(PROJECTS, PARTNERS, MILESTONES, STATUS_HISTORY))


@VIEW.handles
def proposed(event: Project.Proposed, rows: Rows, at: Tracking) -> None:
    """The project, its first partners (joined the day it is proposed) and its first status."""
    project_id, position, proposed_on = event.originator_id, at.notification_id, event.effective_on
    origin = event.origin_candidacy
    rows.insert(
        PROJECTS,
        {
            "project_id": project_id,
            "proposal_position": position,
            "filiere_id": event.filiere_id,
            "title": event.title,
            "status": ProjectStatus.PROPOSED.value,
            "status_since": proposed_on,
            "proposed_on": proposed_on,
            "estimated_budget": event.estimated_budget,
            "origin_call_id": None if origin is None else origin.call_id,
            "origin_candidacy_id": None if origin is None else origin.candidacy_id,
            "version": event.originator_version,
            "position": position,
        },
    )
    for ordinal, partner in enumerate(event.partners):
        _partner(rows, project_id, partner.organisation_id, partner.role, proposed_on, at, ordinal)
    _status(rows, project_id, ProjectStatus.PROPOSED, proposed_on, at, None)


@VIEW.handles
def partner_joined(event: Project.PartnerJoined, rows: Rows, at: Tracking) -> None:
    project_id = event.originator_id
    _partner(rows, project_id, event.organisation_id, event.role, event.effective_on, at, 0)
    _touch(rows, event, at, {})


@VIEW.handles
def status_changed(event: Project.StatusChanged, rows: Rows, at: Tracking) -> None:
    decided = None if event.decision is None else at.notification_id
    _status(rows, event.originator_id, event.status, event.effective_on, at, decided)
    _touch(rows, event, at, {"status": event.status.value, "status_since": event.effective_on})


@VIEW.handles
def milestone_reached(event: Project.MilestoneReached, rows: Rows, at: Tracking) -> None:
    rows.insert(
        MILESTONES,
        {
            "position": at.notification_id,
            "project_id": event.originator_id,
            "label": event.label,
            "reached_on": event.effective_on,
        },
    )
    _touch(rows, event, at, {})


def _touch(rows: Rows, event: Project.Event, at: Tracking, values: dict[str, object]) -> None:
    """Set `values` on the project, and its version and position to this event's."""
    values.update(version=event.originator_version, position=at.notification_id)
    rows.update(PROJECTS, (event.originator_id,), values)


def _partner(
    rows: Rows,
    project_id: UUID,
    organisation_id: UUID,
    role: str,
    joined_on: date,
    at: Tracking,
    ordinal: int,
) -> None:
    rows.insert(
        PARTNERS,
        {
            "project_id": project_id,
            "organisation_id": organisation_id,
            "role": role,
            "joined_on": joined_on,
            "position": at.notification_id,
            "ordinal": ordinal,
        },
    )


def _status(
    rows: Rows,
    project_id: UUID,
    status: ProjectStatus,
    effective_on: date,
    at: Tracking,
    decision_position: int | None,
) -> None:
    rows.insert(
        STATUS_HISTORY,
        {
            "position": at.notification_id,
            "project_id": project_id,
            "status": status.value,
            "effective_on": effective_on,
            "decision_position": decision_position,
        },
    )


# Reads
def _projects(db: Reader, found: list[ProjectRow]) -> list[ProjectDetails]:
    """The projects (in their order), each with its partners, milestones and history."""
    ids = [p["project_id"] for p in found]
    partners = children(
        db, PARTNERS, "project_id", ids, ("position", "ordinal"), ProjectPartnerLine.model_validate
    )
    milestones = children(
        db, MILESTONES, "project_id", ids, ("reached_on", "position"), MilestoneLine.model_validate
    )
    history = children(
        db, STATUS_HISTORY, "project_id", ids, ("position",), StatusChange.model_validate
    )
    return [
        ProjectDetails.model_validate(
            {
                **p,
                "id": p["project_id"],
                "partners": partners[p["project_id"]],
                "milestones": milestones[p["project_id"]],
                "status_history": history[p["project_id"]],
            }
        )
        for p in found
    ]


READS = DetailReads(VIEW, PROJECTS, "project_id", "filiere_id", ("proposal_position",), _projects)
"""A project by its id; a filière's projects, in the order they were proposed."""
