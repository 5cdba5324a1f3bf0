"""The records a provenance answer is made of: its steps, each with the decision it carries."""

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from application.projections.records import NamedRef
from domain.base import Source
from domain.decision import Vote


class Link(StrEnum):
    """Which link of the chain a step belongs to."""

    FUNDING = "funding"
    PROJECT = "project"
    SELECTION = "selection"
    CANDIDACY = "candidacy"
    CALL = "call"
    FILIERE = "filiere"


@dataclass(frozen=True)
class ProvenanceStep:
    """One event of the chain, with the decision it carries when it is one."""

    link: Link
    position: int
    aggregate_type: str
    aggregate_id: UUID
    version: int
    event_type: str
    what: str
    effective_on: date
    recorded_by: str | None
    recorded_at: datetime
    hash: str | None
    decided_on: date | None = None
    body: NamedRef | None = None
    decided_by: list[str] = field(default_factory=list)
    vote: Vote | None = None
    rationale: str | None = None
    reference: str | None = None
    reverses: int | None = None
    """The log position of the decision this one reverses or amends."""
    source: Source | None = None
    """Where the event's fact is written, as its recorder cited it."""
    assumptions: list[str] = field(default_factory=list)
    """What its recorder supposed where the source is silent."""
    sitting_id: UUID | None = None
    deliberation_number: int | None = None
    present_or_represented: int | None = None
    recused: list[str] = field(default_factory=list)
    verified: bool | None = None
    """False for a decision of the association whose sitting was never published."""


@dataclass(frozen=True)
class Provenance:
    subject_id: UUID
    subject_type: str
    """Funding or Project."""
    funding_id: UUID | None
    project_id: UUID
    call_id: UUID | None
    candidacy_id: UUID | None
    filiere_id: UUID
    steps: list[ProvenanceStep]
    """Nearest first: the funding's decisions, the project's, the call's, the filière's."""
    gaps: list[str]
    """Links of the full chain that this subject does not have, and why."""
