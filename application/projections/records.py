"""What the views answer: read models the API serves as they are."""

from datetime import date, datetime
from typing import Generic, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from domain.money import Amount, Total

T = TypeVar("T")


class ReadModel(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True)


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


class Citation(ReadModel):
    """A source as a read shows it: the document, and where in it."""

    document: str
    locator: str | None


class Vote(ReadModel):
    for_: int = Field(alias="for")
    against: int
    abstain: int


class DecisionEntry(ReadModel):
    """One row of the decision register."""

    position: int
    """The decision's place in the log; `reverses` and `reversed_by` point at such positions."""
    aggregate_id: UUID
    aggregate_type: str
    event: str
    subject: str
    candidacy_id: UUID | None
    filiere_id: UUID | None
    filiere_name: str | None
    body_id: UUID
    body_name: str
    decided_on: date
    decided_by: list[str]
    vote: Vote | None
    rationale: str
    reference: str | None
    amount: Amount | None
    reverses: int | None
    reversed_by: int | None
    recorded_by: str
    recorded_at: datetime
    correlation_id: UUID | None
    source: Citation | None = None
    """Where the decision is written, as its recorder cited it."""
    assumptions: list[str] = []
    """What its recorder supposed where the source is silent."""
    sitting_id: UUID | None = None
    """The sitting that took it, for a body that is not external."""
    deliberation_number: int | None = None
    """Its délibération number, unique within its body."""
    present_or_represented: int | None = None
    """Voting members present or represented at its sitting."""
    recused: list[str] = []
    """Voting members of the sitting who did not take part."""
    verified: bool | None = None
    """False when its sitting was never published; None for an external body."""


class RegisterFilter(ReadModel):
    """Filters of the register; every one given must hold. Dates bound `decided_on`, inclusive."""

    filiere_id: UUID | None = None
    body_id: UUID | None = None
    person: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    as_of: date | None = None
    """The register at the end of that day: later decisions and later reversals unseen."""
    known_at: datetime | None = None
    """The register as recorded at that instant (UTC when naive)."""
    assumed: bool | None = None
    """True: only the decisions that rest on an assumption; False: only those that rest on none."""
    verified: bool | None = None
    """True: only the decisions checked against their sitting; False: only those whose sitting
    was never published. Either leaves out an external body's decisions (`verified` null)."""


class Page(ReadModel, Generic[T]):
    """One page of a list; pass `next_cursor` back to get the next, None on the last page."""

    items: list[T]
    next_cursor: str | None
