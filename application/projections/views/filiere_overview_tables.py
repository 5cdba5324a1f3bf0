"""The tables of the FiliereOverview view: one row per filière, and the lookups behind it."""

from datetime import date
from decimal import Decimal
from typing import Annotated, TypedDict
from uuid import UUID

from application.projections.tables import INDEXED, KEY, POSITION, UNIQUE, Index, Table, Text


class OverviewRow(TypedDict):
    filiere_id: Annotated[UUID, KEY]
    launch_position: Annotated[int, POSITION, UNIQUE]
    name: Annotated[str, Text(500)]
    kind: Annotated[str, Text(32)]
    status: Annotated[str, Text(32)]
    launched_on: date
    closed_on: date | None
    lead_partner_id: UUID
    candidacies_submitted: int
    candidacies_selected: int
    candidacies_rejected: int
    candidacies_withdrawn: int
    granted: Decimal
    disbursed: Decimal
    lines_without_amount: int
    last_decision_position: Annotated[int, POSITION] | None
    last_decision_aggregate_id: UUID | None
    last_decision_event: Annotated[str, Text(100)] | None
    last_decision_on: date | None
    last_decision_body_id: UUID | None
    last_decision_rationale: Annotated[str, Text(4000)] | None
    version_position: Annotated[int, POSITION]


class OrganisationRow(TypedDict):
    organisation_id: Annotated[UUID, KEY]
    name: Annotated[str, Text(500)]


class GroupMemberRow(TypedDict):
    filiere_id: Annotated[UUID, KEY]
    organisation_id: Annotated[UUID, KEY]
    joined_on: date


class CallRow(TypedDict):
    call_id: Annotated[UUID, KEY]
    filiere_id: Annotated[UUID, INDEXED]
    launch_position: Annotated[int, POSITION]
    title: Annotated[str, Text(500)]
    status: Annotated[str, Text(32)]


class CandidacyRow(TypedDict):
    # A candidacy's id is unique within its call only (clients may choose it).
    call_id: Annotated[UUID, KEY]
    candidacy_id: Annotated[UUID, KEY]
    status: Annotated[str, Text(32)]


class ProjectRow(TypedDict):
    project_id: Annotated[UUID, KEY]
    filiere_id: UUID
    status: Annotated[str, Text(32)]


class FundingRow(TypedDict):
    funding_id: Annotated[UUID, KEY]
    filiere_id: UUID
    funder_id: UUID
    amount: Decimal | None
    cancelled: bool


class FunderRow(TypedDict):
    filiere_id: Annotated[UUID, KEY]
    funder_id: Annotated[UUID, KEY]
    granted: Decimal
    disbursed: Decimal
    lines_without_amount: int


OVERVIEW = Table("filiere_overview", OverviewRow)
ORGANISATIONS = Table("filiere_overview_organisations", OrganisationRow)
PROJECT_GROUP = Table("filiere_overview_project_group", GroupMemberRow)
CALLS = Table("filiere_overview_calls", CallRow)
CANDIDACIES = Table("filiere_overview_candidacies", CandidacyRow)
PROJECTS = Table(
    "filiere_overview_projects",
    ProjectRow,
    indexes=(Index("filiere_overview_projects_by_filiere", ("filiere_id", "status")),),
)
FUNDINGS = Table("filiere_overview_fundings", FundingRow)
FUNDERS = Table("filiere_overview_funders", FunderRow)
TABLES = (
    OVERVIEW,
    ORGANISATIONS,
    PROJECT_GROUP,
    CALLS,
    CANDIDACIES,
    PROJECTS,
    FUNDINGS,
    FUNDERS,
)
