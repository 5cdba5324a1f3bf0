"""The items of a filière's changes: one `Change` per thing added, decided, changed or paid,
read off the views' records of calls, projects and funding lines (see `filiere_changes`)."""

from collections.abc import Callable
from datetime import date
from typing import Literal
from uuid import UUID

from application.projections.detail_records import CallDetails, FundingLedger, ProjectDetails
from application.projections.records import DecisionEntry, ReadModel
from domain.money import Amount

ChangeKind = Literal["added", "decided", "changed", "paid"]
DayTest = Callable[[date | None], bool]
"""Whether a day falls after the first day and by the second."""
SubjectType = Literal["call", "candidacy", "project", "funding", "filiere"]


class Change(ReadModel):
    """One thing that happened in between: on which day, to what, and by which events."""

    kind: ChangeKind
    on: date
    subject_type: SubjectType
    subject_id: UUID
    call_id: UUID | None = None
    """The call a candidacy belongs to."""
    summary: str
    """What happened, in the association's words (French)."""
    amount: Amount | None = None
    event_type: str | None = None
    """For a decision, its event's type (`Call.CandidacySelected`)."""
    events: list[int]
    """Log positions of the events behind it; empty where the views keep none."""


def decision_change(d: DecisionEntry) -> Change:
    subject_type: SubjectType = (
        "candidacy"
        if d.candidacy_id is not None
        else {"Call": "call", "Project": "project", "Funding": "funding"}.get(
            d.aggregate_type, "filiere"
        )  # type: ignore[assignment]
    )
    return Change(
        kind="decided",
        on=d.decided_on,
        subject_type=subject_type,
        subject_id=d.candidacy_id or d.aggregate_id,
        call_id=d.aggregate_id if d.candidacy_id is not None else None,
        summary=f"{d.subject} ({d.body_name})",
        event_type=d.event,
        amount=d.amount,
        events=[d.position],
    )


def added_calls(calls: list[CallDetails], then: dict[UUID, CallDetails]) -> list[Change]:
    found = []
    for call in calls:
        known = {c.id for c in then[call.id].candidacies} if call.id in then else set()
        if call.id not in then:
            found.append(
                Change(
                    kind="added",
                    on=call.launched_on,
                    subject_type="call",
                    subject_id=call.id,
                    summary=f"Appel lancé : {call.title}",
                    amount=call.budget_envelope,
                    events=[],
                )
            )
        found.extend(
            Change(
                kind="added",
                on=c.submitted_on,
                subject_type="candidacy",
                subject_id=c.id,
                call_id=call.id,
                summary=f"Candidature déposée : {c.project_title}",
                amount=c.requested_amount,
                events=[],
            )
            for c in call.candidacies
            if c.id not in known
        )
    return found


def added_projects(
    projects: list[ProjectDetails], then: dict[UUID, ProjectDetails]
) -> list[Change]:
    return [
        Change(
            kind="added",
            on=p.proposed_on,
            subject_type="project",
            subject_id=p.id,
            summary=f"Projet proposé : {p.title}",
            amount=p.estimated_budget,
            events=[s.position for s in p.status_history[:1]],
        )
        for p in projects
        if p.id not in then
    ]


def changed_calls(calls: list[CallDetails], between: DayTest) -> list[Change]:
    found = []
    for call in calls:
        # A conclusion is a decision: it shows among those decided.
        for day, what in ((call.closed_on, "clos"),):
            if between(day):
                assert day is not None
                found.append(
                    Change(
                        kind="changed",
                        on=day,
                        subject_type="call",
                        subject_id=call.id,
                        summary=f"Appel {what} : {call.title}",
                        events=[],
                    )
                )
        found.extend(
            Change(
                kind="changed",
                on=c.withdrawn_on,
                subject_type="candidacy",
                subject_id=c.id,
                call_id=call.id,
                summary=f"Candidature retirée : {c.project_title}",
                events=[],
            )
            for c in call.candidacies
            if c.withdrawn_on is not None and between(c.withdrawn_on)
        )
    return found


def changed_projects(
    projects: list[ProjectDetails], between: DayTest, decided: set[int]
) -> list[Change]:
    return [
        Change(
            kind="changed",
            on=s.effective_on,
            subject_type="project",
            subject_id=p.id,
            summary=f"Projet {p.title} : {s.status}",
            events=[s.position],
        )
        for p in projects
        for s in p.status_history[1:]
        if between(s.effective_on) and s.position not in decided
    ]


def changed_fundings(
    fundings: list[FundingLedger], between: DayTest, decided: set[int]
) -> list[Change]:
    found = [
        Change(
            kind="changed",
            on=e.effective_on,
            subject_type="funding",
            subject_id=f.id,
            summary=f"Ligne {f.kind} : {_ENTRY_WORDS.get(e.kind, e.kind)}",
            amount=e.amount,
            events=[e.position],
        )
        for f in fundings
        for e in f.entries
        if e.kind not in ("granted", "disbursed")
        and between(e.effective_on)
        and e.position not in decided
    ]
    found.extend(
        Change(
            kind="changed",
            on=f.agreement.signed_on,
            subject_type="funding",
            subject_id=f.id,
            summary=f"Convention signée : {f.agreement.reference}",
            events=[],
        )
        for f in fundings
        if f.agreement is not None and between(f.agreement.signed_on)
    )
    return found


_ENTRY_WORDS = {"amount_revised": "montant révisé", "cancelled": "annulée"}


def ordered(changes: list[Change]) -> list[Change]:
    return sorted(changes, key=lambda c: (c.on, c.events[:1] or [0]))
