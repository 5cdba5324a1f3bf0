"""What the views answer: read models the API serves as they are."""

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from domain.money import Total


class ReadModel(BaseModel):
    model_config = ConfigDict(frozen=True)


class DecisionNote(ReadModel):
    """A decision as the views summarise it; `position` is its event's place in the log."""

    position: int
    aggregate_id: UUID
    event: str
    decided_on: date
    body_id: UUID
    rationale: str


class NamedRef(ReadModel):
    id: UUID
    name: str


class ProjectGroupMember(ReadModel):
    id: UUID
    name: str
    joined_on: date


class CallLine(ReadModel):
    id: UUID
    title: str
    status: str


class CandidacyCounts(ReadModel):
    """`submitted` counts every candidacy ever submitted; the others count current outcomes."""

    submitted: int = 0
    selected: int = 0
    rejected: int = 0
    withdrawn: int = 0


class FunderLine(ReadModel):
    funder_id: UUID
    name: str
    granted: Total
    disbursed: Total
    lines_without_amount: int


class FundingTotals(ReadModel):
    """Cancelled fundings count in `disbursed` for what was paid, never in `granted`."""

    granted: Total
    disbursed: Total
    lines_without_amount: int
    by_funder: list[FunderLine]


class FiliereOverview(ReadModel):
    id: UUID
    name: str
    kind: str
    status: str
    launched_on: date
    closed_on: date | None
    lead_partner: NamedRef
    project_group: list[ProjectGroupMember]
    projects_by_status: dict[str, int]
    calls: list[CallLine]
    candidacies: CandidacyCounts
    funding: FundingTotals
    last_decision: DecisionNote | None
    version_position: int
    """Log position of the last event that changed this overview."""
