"""What changed in one filière between the end of one day and the end of another.

Read from the same views as everything else, twice: as of the first day and as
of the second. What exists on the second day and not on the first was added;
the register's decisions dated in between were decided; status moves, closings,
withdrawals and revisions in between changed something; disbursements paid. Each
item names the log positions of its events, where the views keep them (a call's
launch or a candidacy's submission has none in the views: the item names its call).
"""

from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from typing import Literal
from uuid import UUID

from pydantic import Field

from application.projections.detail_records import CallDetails, FundingLedger, ProjectDetails
from application.projections.paging import MAX_PAGE, every_item
from application.projections.read_models import ReadModels
from application.projections.records import DecisionEntry, ReadModel, RegisterFilter
from application.projections.time_travel import Cutoff
from domain.errors import InvalidValueError, NotFoundError
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


class FiliereChanges(ReadModel):
    filiere_id: UUID
    filiere_name: str
    from_: date = Field(alias="from")
    to: date
    added: list[Change]
    decided: list[Change]
    changed: list[Change]
    paid: list[Change]


def filiere_changes(views: ReadModels, filiere_id: UUID, from_: date, to: date) -> FiliereChanges:
    """The comparison between the end of `from_` and the end of `to` (`from_` ≤ `to`)."""
    if from_ > to:
        raise InvalidValueError(f"from ({from_}) comes after to ({to})")
    after = Cutoff(as_of=to)
    now = views.filiere_overview(filiere_id, after)  # 404 for a filière unknown on `to`
    before = Cutoff(as_of=from_)
    try:
        views.filiere_overview(filiere_id, before)
        calls_then = {c.id: c for c in views.calls_of_filiere(filiere_id, before)}
        projects_then = {p.id: p for p in views.projects_of_filiere(filiere_id, before)}
    except NotFoundError:  # launched in between: everything is new
        calls_then, projects_then = {}, {}
    calls = views.calls_of_filiere(filiere_id, after)
    projects = views.projects_of_filiere(filiere_id, after)
    fundings = [f for p in projects for f in views.fundings_of_project(p.id, after)]
    fundings_then = {f.id for p in projects_then.values() for f in _fundings(views, p.id, before)}

    def between(day: date | None) -> bool:
        return day is not None and from_ < day <= to

    decisions = _decisions(views, filiere_id, from_, to)
    decided_positions = {d.position for d in decisions}
    added = [
        *_added_calls(calls, calls_then),
        *_added_projects(projects, projects_then),
        *(
            Change(
                kind="added",
                on=f.granted_on,
                subject_type="funding",
                subject_id=f.id,
                summary=f"Ligne de financement accordée ({f.kind})",
                amount=f.amount,
                events=[e.position for e in f.entries if e.kind == "granted"],
            )
            for f in fundings
            if f.id not in fundings_then
        ),
    ]
    changed = [
        *_changed_calls(calls, between),
        *_changed_projects(projects, between, decided_positions),
        *_changed_fundings(fundings, between, decided_positions),
    ]
    paid = [
        Change(
            kind="paid",
            on=e.effective_on,
            subject_type="funding",
            subject_id=f.id,
            summary=f"Versement sur la ligne {f.kind}",
            amount=e.amount,
            events=[e.position],
        )
        for f in fundings
        for e in f.entries
        if e.kind == "disbursed" and between(e.effective_on)
    ]
    return FiliereChanges(
        filiere_id=filiere_id,
        filiere_name=now.name,
        from_=from_,
        to=to,
        added=_ordered(added),
        decided=[_decided(d) for d in decisions],
        changed=_ordered(changed),
        paid=_ordered(paid),
    )


def _fundings(views: ReadModels, project_id: UUID, cutoff: Cutoff) -> list[FundingLedger]:
    try:
        return views.fundings_of_project(project_id, cutoff)
    except NotFoundError:
        return []


def _decisions(views: ReadModels, filiere_id: UUID, from_: date, to: date) -> list[DecisionEntry]:
    if from_ >= to:  # nothing lies after the end of `from_` and by the end of `to`
        return []
    where = RegisterFilter(
        filiere_id=filiere_id, date_from=from_ + timedelta(days=1), date_to=to, as_of=to
    )
    return every_item(partial(views.decisions, where, MAX_PAGE))


def _decided(d: DecisionEntry) -> Change:
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


def _added_calls(calls: list[CallDetails], then: dict[UUID, CallDetails]) -> list[Change]:
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


def _added_projects(
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


def _changed_calls(calls: list[CallDetails], between: DayTest) -> list[Change]:
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


def _changed_projects(
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


def _changed_fundings(
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


def _ordered(changes: list[Change]) -> list[Change]:
    return sorted(changes, key=lambda c: (c.on, c.events[:1] or [0]))
