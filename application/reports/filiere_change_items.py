"""The items of a filière's changes: one `Change` per thing added, decided, changed or paid,
read off the views' records of calls, projects and funding lines (see `filiere_changes`)."""

from collections.abc import Callable
from datetime import date
from typing import Literal
from uuid import UUID

from application.projections.detail_records import (
    CallDetails,
    FundingLedger,
    LedgerEntry,
    ProjectDetails,
)
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
    subject = (subject_type, d.candidacy_id or d.aggregate_id)
    summary = f"{d.subject} ({d.body_name})"
    call_id = d.aggregate_id if d.candidacy_id is not None else None
    return _item(
        "decided", d.decided_on, subject, summary, d.amount, [d.position], call_id, d.event
    )


def added_calls(calls: list[CallDetails], then: dict[UUID, CallDetails]) -> list[Change]:
    found = []
    for call in calls:
        known = {c.id for c in then[call.id].candidacies} if call.id in then else set()
        if call.id not in then:
            summary = f"Appel lancé : {call.title}"
            found.append(
                _item("added", call.launched_on, ("call", call.id), summary, call.budget_envelope)
            )
        found.extend(
            _item(
                "added",
                c.submitted_on,
                ("candidacy", c.id),
                f"Candidature déposée : {c.project_title}",
                c.requested_amount,
                call_id=call.id,
            )
            for c in call.candidacies
            if c.id not in known
        )
    return found


def added_projects(
    projects: list[ProjectDetails], then: dict[UUID, ProjectDetails]
) -> list[Change]:
    return [
        _item(
            "added",
            p.proposed_on,
            ("project", p.id),
            f"Projet proposé : {p.title}",
            p.estimated_budget,
            [s.position for s in p.status_history[:1]],
        )
        for p in projects
        if p.id not in then
    ]


def added_fundings(fundings: list[FundingLedger], then: set[UUID]) -> list[Change]:
    """The funding lines granted since: `then` holds the ids of those granted before."""
    return [
        _item(
            "added",
            f.granted_on,
            ("funding", f.id),
            f"Ligne de financement accordée ({f.kind})",
            f.amount,
            [e.position for e in f.entries if e.kind == "granted"],
        )
        for f in fundings
        if f.id not in then
    ]


def changed_calls(calls: list[CallDetails], between: DayTest) -> list[Change]:
    found = []
    for call in calls:
        # A conclusion is a decision: it shows among those decided.
        for day, what in ((call.closed_on, "clos"),):
            if between(day):
                assert day is not None
                found.append(
                    _item("changed", day, ("call", call.id), f"Appel {what} : {call.title}")
                )
        found.extend(
            _item(
                "changed",
                c.withdrawn_on,
                ("candidacy", c.id),
                f"Candidature retirée : {c.project_title}",
                call_id=call.id,
            )
            for c in call.candidacies
            if c.withdrawn_on is not None and between(c.withdrawn_on)
        )
    return found


def changed_projects(
    projects: list[ProjectDetails], between: DayTest, decided: set[int]
) -> list[Change]:
    return [
        _item(
            "changed",
            s.effective_on,
            ("project", p.id),
            f"Projet {p.title} : {s.status}",
            events=[s.position],
        )
        for p in projects
        for s in p.status_history[1:]
        if between(s.effective_on) and s.position not in decided
    ]


def changed_fundings(
    fundings: list[FundingLedger], between: DayTest, decided: set[int]
) -> list[Change]:
    found = _entry_items(
        fundings,
        "changed",
        lambda e: (
            e.kind not in ("granted", "disbursed")
            and between(e.effective_on)
            and e.position not in decided
        ),
        lambda f, e: f"Ligne {f.kind} : {_ENTRY_WORDS.get(e.kind, e.kind)}",
    )
    found.extend(
        _item(
            "changed",
            f.agreement.signed_on,
            ("funding", f.id),
            f"Convention signée : {f.agreement.reference}",
        )
        for f in fundings
        if f.agreement is not None and between(f.agreement.signed_on)
    )
    return found


def paid_fundings(fundings: list[FundingLedger], between: DayTest) -> list[Change]:
    """The disbursements dated in between."""
    return _entry_items(
        fundings,
        "paid",
        lambda e: e.kind == "disbursed" and between(e.effective_on),
        lambda f, _: f"Versement sur la ligne {f.kind}",
    )


def _entry_items(
    fundings: list[FundingLedger],
    kind: ChangeKind,
    wanted: Callable[[LedgerEntry], bool],
    summary: Callable[[FundingLedger, LedgerEntry], str],
) -> list[Change]:
    """An item for each wanted entry of the funding lines' ledgers, with its amount and event."""
    return [
        _item(kind, e.effective_on, ("funding", f.id), summary(f, e), e.amount, [e.position])
        for f in fundings
        for e in f.entries
        if wanted(e)
    ]


def _item(
    kind: ChangeKind,
    on: date,
    subject: tuple[SubjectType, UUID],
    summary: str,
    amount: Amount | None = None,
    events: list[int] | None = None,
    call_id: UUID | None = None,
    event_type: str | None = None,
) -> Change:
    """Every item is built here; the functions above differ only in what they pass."""
    subject_type, subject_id = subject
    return Change(
        kind=kind,
        on=on,
        subject_type=subject_type,
        subject_id=subject_id,
        call_id=call_id,
        summary=summary,
        amount=amount,
        event_type=event_type,
        events=events or [],
    )


_ENTRY_WORDS = {"amount_revised": "montant révisé", "cancelled": "annulée"}


def ordered(changes: list[Change]) -> list[Change]:
    return sorted(changes, key=lambda c: (c.on, c.events[:1] or [0]))
