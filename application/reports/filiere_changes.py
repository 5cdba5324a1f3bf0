"""What changed in one filière between the end of one day and the end of another.

Read from the same views as everything else, twice: as of the first day and as
of the second. What exists on the second day and not on the first was added;
the register's decisions dated in between were decided; status moves, closings,
withdrawals and revisions in between changed something; disbursements paid. Each
item names the log positions of its events, where the views keep them (a call's
launch or a candidacy's submission has none in the views: the item names its call).
"""

from datetime import date, timedelta
from functools import partial
from uuid import UUID

from pydantic import Field

from application.projections.detail_records import FundingLedger
from application.projections.paging import MAX_PAGE, every_item
from application.projections.read_models import ReadModels
from application.projections.records import DecisionEntry, ReadModel, RegisterFilter
from application.projections.time_travel import Cutoff
from application.reports.filiere_change_items import (
    Change,
    added_calls,
    added_fundings,
    added_projects,
    changed_calls,
    changed_fundings,
    changed_projects,
    decision_change,
    ordered,
    paid_fundings,
)
from domain.errors import InvalidValueError, NotFoundError

__all__ = ["Change", "FiliereChanges", "filiere_changes"]


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
        *added_calls(calls, calls_then),
        *added_projects(projects, projects_then),
        *added_fundings(fundings, fundings_then),
    ]
    changed = [
        *changed_calls(calls, between),
        *changed_projects(projects, between, decided_positions),
        *changed_fundings(fundings, between, decided_positions),
    ]
    paid = paid_fundings(fundings, between)
    return FiliereChanges(
        filiere_id=filiere_id,
        filiere_name=now.name,
        from_=from_,
        to=to,
        added=ordered(added),
        decided=[decision_change(d) for d in decisions],
        changed=ordered(changed),
        paid=ordered(paid),
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
