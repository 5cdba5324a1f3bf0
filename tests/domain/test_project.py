"""The project lifecycle: proposed → approved → in_progress → completed; abandoned before."""

from datetime import date
from uuid import uuid4

import pytest

from domain.errors import (
    ChronologyError,
    InvalidStatusTransitionError,
    InvalidValueError,
    OriginMismatchError,
    ProjectGroupError,
)
from domain.filiere import Filiere
from domain.organisation import Organisation
from domain.project import Project, ProjectPartner, ProjectStatus
from tests.domain.given import an_open_call, decided

PROPOSED_ON = date(2011, 6, 1)
P, A, IP, C, X = (
    ProjectStatus.PROPOSED,
    ProjectStatus.APPROVED,
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.COMPLETED,
    ProjectStatus.ABANDONED,
)
# The path from `proposed` to each status.
PATHS = {P: [], A: [A], IP: [A, IP], C: [A, IP, C], X: [X]}
DECIDED = {A, X}


def a_filiere() -> Filiere:
    partner = Organisation(name="Partner A", kind="partner", effective_on=date(2009, 1, 15))
    return Filiere.launch("Bois", "filiere", partner, decided(date(2009, 3, 1)))


def project_in(status: ProjectStatus) -> Project:
    project = Project.propose(a_filiere(), "Recrutement collectif", PROPOSED_ON)
    for month, step in enumerate(PATHS[status], start=7):
        on = date(2011, month, 1)
        project.change_status(step, on, decided(on) if step in DECIDED else None)
    project.collect_events()
    return project


def move(project: Project, status: ProjectStatus, on: date = date(2012, 1, 1)) -> None:
    project.change_status(status, on, decided(on) if status in DECIDED else None)


ALLOWED = [(P, A), (P, X), (A, IP), (A, X), (IP, C), (IP, X)]
REFUSED = [
    (P, IP),
    (P, C),
    (P, P),
    (A, P),
    (A, C),
    (IP, P),
    (IP, A),
    (C, P),
    (C, A),
    (C, IP),
    (C, X),
    (X, P),
    (X, A),
    (X, IP),
    (X, C),
]


def test_proposing_records_proposed() -> None:
    partner = ProjectPartner(organisation_id=uuid4(), role="porteur")
    project = Project.propose(a_filiere(), "Bois énergie", PROPOSED_ON, (partner,), "1500.00")
    assert [type(e).__name__ for e in project.collect_events()] == ["Proposed"]
    assert project.status == ProjectStatus.PROPOSED
    assert project.partner_ids == {partner.organisation_id}


@pytest.mark.parametrize(("start", "to"), ALLOWED, ids=[f"{s}->{t}" for s, t in ALLOWED])
def test_every_allowed_transition_is_recorded(start: ProjectStatus, to: ProjectStatus) -> None:
    project = project_in(start)
    move(project, to)
    events = project.collect_events()
    assert [type(e).__name__ for e in events] == ["StatusChanged"]
    assert project.status == to
    assert project.status_since == date(2012, 1, 1)
    assert (events[0].decision is not None) == (to in DECIDED)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("start", "to"), REFUSED, ids=[f"{s}->{t}" for s, t in REFUSED])
def test_a_transition_off_the_lifecycle_is_refused(start: ProjectStatus, to: ProjectStatus) -> None:
    project = project_in(start)
    version = project.version
    with pytest.raises(
        InvalidStatusTransitionError, match=f"'Recrutement collectif' is {start}; .* not {to}"
    ):
        move(project, to)
    assert project.version == version
    assert project.collect_events() == []
    assert project.status == start


def test_a_completed_project_can_move_nowhere() -> None:
    project = project_in(C)
    with pytest.raises(InvalidStatusTransitionError, match="it can move to: none, not abandoned"):
        move(project, X)


@pytest.mark.parametrize(("start", "to"), [(P, A), (P, X), (A, X), (IP, X)])
def test_approving_and_abandoning_require_a_decision(
    start: ProjectStatus, to: ProjectStatus
) -> None:
    project = project_in(start)
    with pytest.raises(InvalidValueError, match=f"moving a project to {to} is a decision"):
        project.change_status(to, date(2012, 1, 1))
    assert project.collect_events() == []
    assert project.status == start


def test_the_effective_date_of_a_decided_change_is_the_decision_date() -> None:
    project = project_in(P)
    with pytest.raises(InvalidValueError, match="effective_on: must be the decision's decided_on"):
        project.change_status(A, date(2012, 1, 2), decided(date(2012, 1, 1)))
    assert project.collect_events() == []


def test_a_status_cannot_change_before_the_current_one_began() -> None:
    project = project_in(A)
    with pytest.raises(ChronologyError, match="has been approved since 2011-07-01"):
        move(project, IP, date(2011, 6, 30))
    assert project.collect_events() == []


def test_a_project_from_a_candidacy_needs_it_selected() -> None:
    filiere = a_filiere()
    call = an_open_call(filiere)
    candidacy_id = uuid4()
    candidate = Organisation(name="C", kind="company", effective_on=date(2009, 1, 15))
    call.submit_candidacy(candidacy_id, candidate, "Abattoir", date(2011, 4, 1))
    with pytest.raises(InvalidStatusTransitionError, match="'Abattoir' is submitted; only a"):
        Project.propose(
            filiere, "Abattoir", PROPOSED_ON, origin_call=call, origin_candidacy_id=candidacy_id
        )
    call.close_submissions(date(2011, 7, 1))
    call.select_candidacy(candidacy_id, decided(date(2011, 9, 1)))
    project = Project.propose(
        filiere, "Abattoir", date(2011, 10, 1), origin_call=call, origin_candidacy_id=candidacy_id
    )
    assert project.origin_candidacy is not None
    assert project.origin_candidacy.candidacy_id == candidacy_id


def test_a_project_from_a_call_of_another_filiere_breaks_an_invariant() -> None:
    """Well-formed ids naming facts that do not fit together: 409, not a 422."""
    call = an_open_call(a_filiere())
    candidacy_id = uuid4()
    candidate = Organisation(name="C", kind="company", effective_on=date(2009, 1, 15))
    call.submit_candidacy(candidacy_id, candidate, "Abattoir", date(2011, 4, 1))
    call.close_submissions(date(2011, 7, 1))
    call.select_candidacy(candidacy_id, decided(date(2011, 9, 1)))
    other = a_filiere()
    with pytest.raises(OriginMismatchError, match="belongs to another filière than") as raised:
        Project.propose(
            other, "Abattoir", date(2011, 10, 1), origin_call=call, origin_candidacy_id=candidacy_id
        )
    assert not isinstance(raised.value, InvalidValueError)


def test_a_partner_joins_once() -> None:
    project = project_in(P)
    company = Organisation(name="APRRES", kind="company", effective_on=date(2009, 1, 15))
    project.join_partner(company, "industriel", date(2011, 7, 1))
    assert [type(e).__name__ for e in project.collect_events()] == ["PartnerJoined"]
    with pytest.raises(ProjectGroupError, match="'APRRES' is already a partner"):
        project.join_partner(company, "industriel", date(2011, 8, 1))
    assert project.collect_events() == []
