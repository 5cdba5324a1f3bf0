"""The audit's answers: pages of the event log, one aggregate's history, a provenance chain.

Events are the auditors' record (`AuditEvent`) unchanged: its stored JSON
values are what the integrity chain hashed, so an auditor can check them.
"""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from application.audit.event_record import AuditEvent
from application.audit.provenance_records import Link
from application.projections.records import Page

AuditEventPage = Page[AuditEvent]


class _FromAttributes(BaseModel):
    """Built from the application's dataclasses of the same shape."""

    model_config = ConfigDict(from_attributes=True, populate_by_name=True)


class StreamVersion(_FromAttributes):
    event: AuditEvent
    state: dict[str, Any] = Field(
        description="The aggregate after the event: id, version and its public attributes;"
        " ids, days and instants as text, amounts as decimal strings."
    )


class StreamHistory(_FromAttributes):
    aggregate_id: UUID
    aggregate_type: str
    versions: list[StreamVersion] = Field(description="Every version, oldest first.")


class DecidingBody(_FromAttributes):
    id: UUID
    name: str


class CitedSource(_FromAttributes):
    document: str = Field(description="The document the fact is written in.")
    locator: str | None = Field(description="Where in it: a section, a page, an article.")


class VoteCount(_FromAttributes):
    for_: int = Field(serialization_alias="for")
    against: int
    abstain: int


class ProvenanceStep(_FromAttributes):
    link: Link = Field(description="funding, project, selection, candidacy, call or filiere.")
    position: int = Field(description="The event's position in the log.")
    aggregate_type: str
    aggregate_id: UUID
    version: int
    event_type: str
    what: str = Field(description="What happened, in a few words.")
    effective_on: date
    recorded_by: str | None
    recorded_at: datetime
    hash: str | None = Field(description="The event's hash in the integrity chain.")
    decided_on: date | None = Field(description="Set when the event records a decision.")
    body: DecidingBody | None
    decided_by: list[str]
    vote: VoteCount | None
    rationale: str | None
    reference: str | None
    reverses: int | None = Field(
        description="The log position of the decision this one reverses or amends."
    )
    source: CitedSource | None = Field(description="Where the fact is written, as cited.")
    assumptions: list[str] = Field(description="What the recorder supposed; empty if nothing.")
    sitting_id: UUID | None = Field(default=None, description="The sitting that took it.")
    deliberation_number: int | None = Field(
        default=None, description="Its délibération number within its body."
    )
    present_or_represented: int | None = None
    recused: list[str] = []
    verified: bool | None = Field(
        default=None,
        description="False when its sitting was never published; null for an external body.",
    )


class Provenance(_FromAttributes):
    subject_id: UUID
    subject_type: str = Field(description="Funding or Project.")
    funding_id: UUID | None
    project_id: UUID
    call_id: UUID | None
    candidacy_id: UUID | None
    filiere_id: UUID
    steps: list[ProvenanceStep] = Field(
        description="Nearest first: the funding's decisions, the project's approval and"
        " proposal, the candidacy's selection and submission, the call's launch, the"
        " filière's launch."
    )
    gaps: list[str] = Field(description="Links of the chain this subject lacks, and why.")
