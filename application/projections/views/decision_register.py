"""DecisionRegister: one row per decision — the *who decided what* report.

Every `Decided` event has its row, whatever its kind: a new kind of decision
needs no change here. The events that create or price what a decision is
about have their own handler, for the title, filière and amount they tell.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, TypedDict
from uuid import UUID

from eventsourcing.persistence import Tracking

from application.projections.rows import Rows
from application.projections.tables import KEY, POSITION, Index, Table, Text
from application.projections.view import View
from domain.base import DomainEvent
from domain.call import Call
from domain.candidacy import CandidacyDecided
from domain.decision import Decided, Decision
from domain.filiere import Filiere
from domain.funding import Funding
from domain.governing_body import GoverningBody
from domain.project import Project


class DecisionRow(TypedDict):
    position: Annotated[int, POSITION, KEY]
    aggregate_id: UUID
    aggregate_type: Annotated[str, Text(64)]
    event: Annotated[str, Text(100)]
    candidacy_id: UUID | None
    filiere_id: UUID | None
    body_id: UUID
    decided_on: date
    decided_by: list[str]
    vote_for: int | None
    vote_against: int | None
    vote_abstain: int | None
    rationale: Annotated[str, Text(4000)]
    reference: Annotated[str, Text(500)] | None
    amount: Decimal | None
    reverses: Annotated[int, POSITION] | None
    reversed_by: Annotated[int, POSITION] | None
    recorded_by: Annotated[str, Text(200)]
    recorded_at: datetime
    correlation_id: UUID | None
    source_document: Annotated[str, Text(500)] | None
    source_locator: Annotated[str, Text(500)] | None
    assumptions: list[str]
    assumed: bool
    sitting_id: UUID | None
    deliberation_number: int | None
    present_or_represented: int | None
    recused: list[str]
    verified: bool | None
    """False when the sitting was never published; None for a body deciding without one."""


class PersonRow(TypedDict):
    person: Annotated[str, Text(200), KEY]
    position: Annotated[int, POSITION, KEY]


class BodyRow(TypedDict):
    body_id: Annotated[UUID, KEY]
    name: Annotated[str, Text(500)]


class SubjectRow(TypedDict):
    aggregate_id: Annotated[UUID, KEY]
    title: Annotated[str, Text(500)] | None
    filiere_id: UUID | None


class CandidacyRow(TypedDict):
    # A candidacy's id is unique within its call only (clients may choose it).
    call_id: Annotated[UUID, KEY]
    candidacy_id: Annotated[UUID, KEY]
    project_title: Annotated[str, Text(500)]
    requested_amount: Decimal | None


REGISTER = Table(
    "decision_register",
    DecisionRow,
    indexes=(
        Index("decision_register_by_date", ("decided_on", "position")),
        Index("decision_register_by_filiere", ("filiere_id", "decided_on", "position")),
        Index("decision_register_by_body", ("body_id", "decided_on", "position")),
        Index("decision_register_assumed", ("assumed", "decided_on", "position")),
    ),
)
PEOPLE = Table("decision_register_people", PersonRow)
BODIES = Table("decision_register_bodies", BodyRow)
SUBJECTS = Table("decision_register_subjects", SubjectRow)
CANDIDACIES = Table("decision_register_candidacies", CandidacyRow)
VIEW = View(
    "decision_register", version=2, tables=(REGISTER, PEOPLE, BODIES, SUBJECTS, CANDIDACIES)
)


@dataclass(frozen=True)
class Subject:
    """What a decision is about, as far as its event tells."""

    title: str | None = None
    """The subject's title when the decision creates it; else the register's remembered one."""
    filiere_id: UUID | None = None
    filiere_of: UUID | None = None
    """An aggregate already known to the register whose filière the subject shares."""
    candidacy_id: UUID | None = None
    amount: Decimal | None = None


# What the rows name
@VIEW.handles
def body_constituted(event: GoverningBody.Constituted, rows: Rows, at: Tracking) -> None:
    rows.insert(BODIES, {"body_id": event.originator_id, "name": event.name})


@VIEW.handles
def project_proposed(event: Project.Proposed, rows: Rows, at: Tracking) -> None:
    subject: SubjectRow = {
        "aggregate_id": event.originator_id,
        "title": event.title,
        "filiere_id": event.filiere_id,
    }
    rows.insert(SUBJECTS, subject)


@VIEW.handles
def candidacy_submitted(event: Call.CandidacySubmitted, rows: Rows, at: Tracking) -> None:
    rows.insert(
        CANDIDACIES,
        {
            "call_id": event.originator_id,
            "candidacy_id": event.candidacy_id,
            "project_title": event.project_title,
            "requested_amount": event.requested_amount,
        },
    )


# Decisions
@VIEW.handles
def decided(event: Decided, rows: Rows, at: Tracking) -> None:
    _record(rows, event, event.decision, at, Subject())


@VIEW.handles
def candidacy_decided(event: CandidacyDecided, rows: Rows, at: Tracking) -> None:
    _record(rows, event, event.decision, at, Subject(candidacy_id=event.candidacy_id))


@VIEW.handles
def filiere_launched(event: Filiere.Launched, rows: Rows, at: Tracking) -> None:
    about = Subject(title=event.name, filiere_id=event.originator_id)
    _record(rows, event, event.decision, at, about)


@VIEW.handles
def call_launched(event: Call.Launched, rows: Rows, at: Tracking) -> None:
    about = Subject(title=event.title, filiere_id=event.filiere_id, amount=event.budget_envelope)
    _record(rows, event, event.decision, at, about)


@VIEW.handles
def granted(event: Funding.Granted, rows: Rows, at: Tracking) -> None:
    about = Subject(filiere_of=event.project_id, amount=event.amount)
    _record(rows, event, event.decision, at, about)


@VIEW.handles
def amount_revised(event: Funding.AmountRevised, rows: Rows, at: Tracking) -> None:
    _record(rows, event, event.decision, at, Subject(amount=event.amount))


@VIEW.handles
def project_status_changed(event: Project.StatusChanged, rows: Rows, at: Tracking) -> None:
    if event.decision is not None:  # approving and abandoning are decisions, the rest not
        _record(rows, event, event.decision, at, Subject())


def _record(
    rows: Rows, event: DomainEvent, decision: Decision, at: Tracking, about: Subject
) -> None:
    """Add the register's row for a decision; mark the decision it reverses."""
    aggregate_id = event.originator_id
    if about.title is None and about.filiere_of is None:
        filiere_id = _title_and_filiere(rows, aggregate_id)[1]
    else:  # the decision creates its subject: remember its title and filière
        title, filiere_id = about.title, about.filiere_id
        if about.filiere_of is not None:
            title, filiere_id = _title_and_filiere(rows, about.filiere_of)
        rows.insert(
            SUBJECTS, {"aggregate_id": aggregate_id, "title": title, "filiere_id": filiere_id}
        )
    amount = about.amount
    if about.candidacy_id is not None and amount is None:
        candidacy = rows.get(CANDIDACIES, (aggregate_id, about.candidacy_id))
        amount = None if candidacy is None else candidacy["requested_amount"]
    name = type(event).__qualname__
    vote, meta, position = decision.vote, event.meta, at.notification_id
    source = meta.source if meta else None
    rows.insert(
        REGISTER,
        {
            "position": position,
            "aggregate_id": aggregate_id,
            "aggregate_type": name.split(".", 1)[0],
            "event": name,
            "candidacy_id": about.candidacy_id,
            "filiere_id": filiere_id,
            "body_id": decision.body_id,
            "decided_on": decision.decided_on,
            "decided_by": list(decision.decided_by),
            "vote_for": vote.for_ if vote else None,
            "vote_against": vote.against if vote else None,
            "vote_abstain": vote.abstain if vote else None,
            "rationale": decision.rationale,
            "reference": decision.reference,
            "amount": amount,
            "reverses": decision.reverses,
            "reversed_by": None,
            "recorded_by": meta.recorded_by if meta else "unknown",
            "recorded_at": event.timestamp,
            "correlation_id": meta.correlation_id if meta else None,
            "source_document": source.document if source else None,
            "source_locator": source.locator if source else None,
            "assumptions": list(meta.assumptions) if meta else [],
            "assumed": meta.rests_on_assumption if meta else False,
            "sitting_id": decision.sitting_id,
            "deliberation_number": decision.deliberation_number,
            "present_or_represented": decision.present_or_represented,
            "recused": list(decision.recused),
            "verified": decision.verified,
        },
    )
    for person in decision.decided_by:
        rows.insert(PEOPLE, {"person": person, "position": position})
    if decision.reverses is not None:
        rows.update(REGISTER, (decision.reverses,), {"reversed_by": position})


def _title_and_filiere(rows: Rows, aggregate_id: UUID) -> tuple[str | None, UUID | None]:
    found = rows.get(SUBJECTS, (aggregate_id,))
    return (None, None) if found is None else (found["title"], found["filiere_id"])
