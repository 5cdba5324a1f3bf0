"""The detail views (calls, projects, funding ledgers) as an API client reads them.

`app` (from conftest) runs each test on SQLite and on PostgreSQL.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import Tracking

from application.call_commands import (
    CloseSubmissions,
    ConcludeCall,
    DecideCandidacy,
    ReviewCandidacy,
    SubmitCandidacy,
    WithdrawCandidacy,
)
from application.context import CommandContext
from application.filieres_app import FilieresApplication
from application.funding_commands import (
    CancelFunding,
    GrantFunding,
    RecordDisbursement,
    ReviseFundingAmount,
)
from application.project_commands import (
    ChangeProjectStatus,
    JoinProjectPartner,
    ProposeProject,
    ReachMilestone,
)
from application.projections.updater import ViewUpdater
from application.projections.view import ViewProjection
from application.projections.views import call_details, funding_ledger, project_details
from application.roannais_history import RoannaisIds, record_roannais_history
from application.roannais_history.facts import (
    AMI_ANSWERED,
    SHEET_UPDATED,
    VIANDES_CALL_CLOSES,
    VIANDES_CALL_LAUNCHED,
    VIANDES_DECIDED,
)
from domain.call import Call
from domain.funding import Funding
from domain.project import Project, ProjectPartner
from infrastructure.views.view_store import SQLAlchemyViewStore
from tests.application.refusals import OPENS, open_call
from tests.world import PRESIDENTS, World

# Partner B is a partner of the project below: its president has an interest, does not decide.
PARTNER_A_ONLY = (PRESIDENTS[0],)
NO_CANDIDACY = {"submitted": 0, "withdrawn": 0, "selected": 0, "rejected": 0}


def reads(store: SQLAlchemyViewStore, **functions: Callable[..., Any]) -> SimpleNamespace:
    """A view's read functions, each run on `store` as the read models run them."""

    def bound(read: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: object) -> Any:
            with store.reading() as db:
                return read(db, *args)

        return run

    return SimpleNamespace(**{name: bound(function) for name, function in functions.items()})


@dataclass
class Views:
    stores: list[SQLAlchemyViewStore]
    updater: ViewUpdater

    def __post_init__(self) -> None:
        calls, projects, fundings = self.stores
        call, project, funding = call_details.READS, project_details.READS, funding_ledger.READS
        self.calls = reads(calls, call=call.one, calls_of_filiere=call.of_parent)
        self.projects = reads(projects, project=project.one, projects_of_filiere=project.of_parent)
        self.fundings = reads(fundings, funding=funding.one, fundings_of_project=funding.of_parent)

    def contents(self) -> dict[str, list[tuple[object, ...]]]:
        return {
            name: rows for store in self.stores for name, rows in store.table_contents().items()
        }


@pytest.fixture
def views(app: FilieresApplication) -> Views:
    datastore = app.factory.datastore  # type: ignore[attr-defined]
    stores = [
        SQLAlchemyViewStore(datastore, view.VIEW)
        for view in (call_details, project_details, funding_ledger)
    ]
    for store in stores:
        store.create_table()
    updater = ViewUpdater(app, [ViewProjection(view=store) for store in stores])
    return Views(stores, updater)


def last_positions(app: FilieresApplication) -> dict[UUID, int]:
    """Each aggregate's last event's log position."""
    notifications = app.recorder.select_notifications(start=1, limit=100_000)
    return {n.originator_id: n.id for n in notifications}


# The Roannais history (recorded once per test: the checks are grouped to keep the file fast)
@pytest.fixture
def history(app: FilieresApplication, views: Views) -> RoannaisIds:
    ids = record_roannais_history(app)
    views.updater.catch_up()
    return ids


def check_the_viandes_call_seven_candidacies_four_selected(
    app: FilieresApplication, views: Views, history: RoannaisIds
) -> None:
    call = views.calls.call(history.viandes_call)
    assert call is not None
    assert (call.kind, call.status, call.issuer_id) == (
        "call_for_projects",
        "concluded",
        history.association,
    )
    assert (call.launched_on, call.closed_on, call.concluded_on) == (
        VIANDES_CALL_LAUNCHED,
        VIANDES_CALL_CLOSES,
        VIANDES_DECIDED,
    )
    assert (call.budget_envelope, call.max_selected) == (None, None)
    assert call.candidacies_by_status == {
        "submitted": 0,
        "withdrawn": 0,
        "selected": 4,
        "rejected": 3,
    }
    assert call.selected_amount == Decimal("0.00")
    assert [c.candidate_id for c in call.candidacies] == list(history.viandes_candidates)
    assert tuple(c.id for c in call.candidacies if c.status == "selected") == (
        history.viandes_selected
    )
    assert tuple(c.id for c in call.candidacies if c.status == "rejected") == (
        history.viandes_rejected
    )
    assert all(c.decided_on == VIANDES_DECIDED for c in call.candidacies)
    positions = [c.decision_position for c in call.candidacies]
    assert all(p is not None for p in positions)
    assert positions == sorted(positions)  # decided in the order submitted
    assert all(c.requested_amount is None and c.reviews == [] for c in call.candidacies)
    assert call.version == app.load(Call, history.viandes_call).version
    assert call.position == last_positions(app)[history.viandes_call]
    assert call.model_dump(mode="json")["selected_amount"] == "0.00"
    assert views.calls.calls_of_filiere(history.filieres["viandes"]) == [call]


def check_the_telemedecine_answer_is_still_waiting(views: Views, history: RoannaisIds) -> None:
    call = views.calls.call(history.telemedecine_call)
    assert call is not None
    assert (call.kind, call.status, call.closed_on) == (
        "call_for_expressions_of_interest",
        "open",
        None,
    )
    assert call.candidacies_by_status == NO_CANDIDACY | {"submitted": 1}
    (answer,) = call.candidacies
    assert (answer.id, answer.candidate_id, answer.submitted_on, answer.decided_on) == (
        history.telemedecine_candidacy,
        history.association,
        AMI_ANSWERED,
        None,
    )
    assert views.calls.calls_of_filiere(history.filieres["bois"]) == []
    assert views.calls.call(history.viandes_projects[0]) is None


def check_the_viandes_projects_come_from_the_selected_candidacies(
    app: FilieresApplication, views: Views, history: RoannaisIds
) -> None:
    projects = views.projects.projects_of_filiere(history.filieres["viandes"])
    assert [p.id for p in projects] == list(history.viandes_projects)
    assert [p.origin_candidacy_id for p in projects] == list(history.viandes_selected)
    assert {p.origin_call_id for p in projects} == {history.viandes_call}
    first = projects[0]
    assert (first.status, first.status_since, first.proposed_on) == (
        "approved",
        VIANDES_DECIDED,
        VIANDES_DECIDED,
    )
    assert [p.organisation_id for p in first.partners] == [history.viandes_candidates[0]]
    assert first.partners[0].joined_on == VIANDES_DECIDED
    proposed, approved = first.status_history
    assert (proposed.status, proposed.decision_position) == ("proposed", None)
    assert (approved.status, approved.effective_on) == ("approved", VIANDES_DECIDED)
    assert approved.decision_position == approved.position == first.position
    assert first.version == app.load(Project, first.id).version == 2


def check_every_project_agrees_with_its_aggregate(
    app: FilieresApplication, views: Views, history: RoannaisIds
) -> None:
    last = last_positions(app)
    for key, project_id in history.projects.items():
        seen = views.projects.project(project_id)
        project = app.load(Project, project_id)
        assert seen is not None, key
        assert (seen.title, seen.status, seen.status_since, seen.version) == (
            project.title,
            project.status,
            project.status_since,
            project.version,
        ), key
        assert seen.estimated_budget == project.estimated_budget, key
        assert [(p.organisation_id, p.role) for p in seen.partners] == [
            (p.organisation_id, p.role) for p in project.partners
        ], key
        assert [(m.reached_on, m.label) for m in seen.milestones] == project.milestones, key
        assert seen.position == last[project_id], key
    global_project = views.projects.project(history.deconstruction_global_project)
    assert global_project is not None
    assert global_project.model_dump(mode="json")["estimated_budget"] == "18000000.00"
    ecology = views.projects.project(history.projects["ecologie_industrielle"])
    assert ecology is not None
    assert ecology.status == "in_progress"  # under way at the sheet's date
    assert [m.reached_on for m in ecology.milestones] == [SHEET_UPDATED]


def check_the_states_support_has_no_amount_yet(views: Views, history: RoannaisIds) -> None:
    line = views.fundings.funding(history.state_funding)
    assert line is not None
    assert (line.project_id, line.funder_id, line.kind, line.currency) == (
        history.deconstruction_global_project,
        history.organisations["etat"],
        "unknown",
        "EUR",
    )
    # The sheet publishes neither the form of the support nor who receives it.
    assert (line.nature, line.beneficiary_id, line.agreement) == (None, None, None)
    assert (line.amount, line.disbursed, line.remaining, line.cancelled_on) == (
        None,
        Decimal("0.00"),
        None,
        None,
    )
    (granted,) = line.entries
    assert (granted.kind, granted.amount, granted.body_id, granted.decided_on) == (
        "granted",
        None,
        history.state_body,
        SHEET_UPDATED,
    )
    assert granted.position == line.position
    assert views.fundings.fundings_of_project(history.deconstruction_global_project) == [line]
    study = views.fundings.funding(history.wood_energy_study)
    assert study is not None
    assert (study.kind, study.funder_id, study.amount) == ("study", history.association, None)


def check_the_history_rebuilt_equals_the_history_followed(
    views: Views, history: RoannaisIds
) -> None:
    followed = views.contents()
    assert len(followed["call_details_candidacies"]) == 8
    views.updater.rebuild()
    assert views.contents() == followed


def test_the_viandes_call_and_its_projects(
    app: FilieresApplication, views: Views, history: RoannaisIds
) -> None:
    check_the_viandes_call_seven_candidacies_four_selected(app, views, history)
    check_the_viandes_projects_come_from_the_selected_candidacies(app, views, history)


def test_what_is_still_waiting(views: Views, history: RoannaisIds) -> None:
    check_the_telemedecine_answer_is_still_waiting(views, history)
    check_the_states_support_has_no_amount_yet(views, history)


def test_every_project_as_its_aggregate_and_the_same_after_a_rebuild(
    app: FilieresApplication, views: Views, history: RoannaisIds
) -> None:
    check_every_project_agrees_with_its_aggregate(app, views, history)
    check_the_history_rebuilt_equals_the_history_followed(views, history)


# Commands

CLOSED_ON, DECIDED_ON, REVERSED_ON = date(2011, 7, 1), date(2011, 9, 15), date(2011, 12, 1)


@pytest.fixture
def followed(app: FilieresApplication, views: Views) -> Views:
    """The views caught up after every command, as the API keeps them."""
    app.after_record.append(lambda _position: views.updater.catch_up())
    return views


def test_a_reversed_decision_moves_the_candidacy_and_the_totals(
    app: FilieresApplication, ctx: CommandContext, world: World, followed: Views
) -> None:
    call = open_call(app, ctx, world, budget_envelope="10000.00", max_selected=2)
    ids = [
        app.submit_candidacy(
            ctx,
            SubmitCandidacy(
                call_id=call,
                candidate_id=world.company,
                project_title=title,
                submitted_on=OPENS,
                requested_amount=amount,
            ),
        )
        for title, amount in (("Abattoir", "7000.00"), ("Salaisons", "2999.99"), ("Halle", None))
    ]
    abattoir, salaisons, halle = (r.candidacy_id for r in ids)
    assert abattoir and salaisons and halle
    app.review_candidacy(
        ctx,
        ReviewCandidacy(
            call_id=call,
            candidacy_id=abattoir,
            reviewer="Expert A",
            opinion="Solide",
            reviewed_on=date(2011, 7, 2),
            score=80,
        ),
    )
    app.review_candidacy(
        ctx,
        ReviewCandidacy(
            call_id=call,
            candidacy_id=abattoir,
            reviewer="Expert B",
            opinion="Risqué",
            reviewed_on=date(2011, 7, 3),
        ),
    )
    app.withdraw_candidacy(
        ctx, WithdrawCandidacy(call_id=call, candidacy_id=halle, withdrawn_on=date(2011, 4, 1))
    )
    app.close_submissions(ctx, CloseSubmissions(call_id=call, closed_on=CLOSED_ON))

    seen = followed.calls.call(call)
    assert seen is not None
    assert (seen.status, seen.closed_on, seen.version) == ("submissions_closed", CLOSED_ON, 8)
    assert seen.candidacies_by_status == NO_CANDIDACY | {"submitted": 2, "withdrawn": 1}

    rejection = app.decide_candidacy(
        ctx,
        DecideCandidacy(
            call_id=call,
            candidacy_id=abattoir,
            outcome="rejected",
            decision=world.decision(DECIDED_ON),
        ),
    )
    app.decide_candidacy(
        ctx,
        DecideCandidacy(
            call_id=call,
            candidacy_id=salaisons,
            outcome="selected",
            decision=world.decision(DECIDED_ON),
        ),
    )
    seen = followed.calls.call(call)
    assert seen is not None
    assert seen.candidacies_by_status == NO_CANDIDACY | {
        "withdrawn": 1,
        "selected": 1,
        "rejected": 1,
    }
    assert seen.selected_amount == Decimal("2999.99")

    reversal = app.decide_candidacy(
        ctx,
        DecideCandidacy(
            call_id=call,
            candidacy_id=abattoir,
            outcome="selected",
            decision=world.decision(REVERSED_ON, reverses=rejection.position),
        ),
    )
    concluded = app.conclude_call(
        ctx, ConcludeCall(call_id=call, decision=world.decision(REVERSED_ON))
    )

    seen = followed.calls.call(call)
    assert seen is not None
    assert (seen.status, seen.concluded_on) == ("concluded", REVERSED_ON)
    assert (seen.version, seen.position) == (concluded.version, concluded.position)
    assert (seen.budget_envelope, seen.max_selected) == (Decimal("10000.00"), 2)
    assert seen.candidacies_by_status == NO_CANDIDACY | {"withdrawn": 1, "selected": 2}
    assert seen.selected_amount == Decimal("9999.99")
    first, second, third = seen.candidacies
    assert [c.project_title for c in seen.candidacies] == ["Abattoir", "Salaisons", "Halle"]
    assert (first.status, first.decided_on, first.decision_position) == (
        "selected",
        REVERSED_ON,
        reversal.position,
    )
    assert first.requested_amount == Decimal("7000.00")
    assert first.review_count == 2
    assert [(r.reviewer, r.score, r.opinion) for r in first.reviews] == [
        ("Expert A", 80, "Solide"),
        ("Expert B", None, "Risqué"),
    ]
    assert (second.status, second.decided_on) == ("selected", DECIDED_ON)
    assert (third.status, third.withdrawn_on, third.decided_on, third.requested_amount) == (
        "withdrawn",
        date(2011, 4, 1),
        None,
        None,
    )
    assert seen.model_dump(mode="json")["candidacies"][1]["requested_amount"] == "2999.99"
    aggregate = app.load(Call, call)
    assert {c.id: c.status for c in seen.candidacies} == {
        c.id: c.status for c in aggregate.candidacies.values()
    }

    followed_contents = followed.contents()
    followed.updater.rebuild()
    assert followed.contents() == followed_contents


def test_a_project_and_its_funding_revised_paid_then_cancelled(
    app: FilieresApplication, ctx: CommandContext, world: World, followed: Views
) -> None:
    project = app.propose_project(
        ctx,
        ProposeProject(
            filiere_id=world.filiere,
            title="Centre de compétences",
            proposed_on=date(2011, 10, 1),
            partners=(ProjectPartner(organisation_id=world.company, role="porteur"),),
            estimated_budget="250000.00",
        ),
    ).id
    app.join_project_partner(
        ctx,
        JoinProjectPartner(
            project_id=project,
            organisation_id=world.partner_b,
            role="appui",
            joined_on=date(2011, 11, 1),
        ),
    )
    approval = app.change_project_status(
        ctx,
        ChangeProjectStatus(
            project_id=project,
            status="approved",
            effective_on=date(2012, 1, 5),
            decision=world.decision(date(2012, 1, 5), by=PARTNER_A_ONLY),
        ),
    )
    started = app.change_project_status(
        ctx,
        ChangeProjectStatus(
            project_id=project, status="in_progress", effective_on=date(2012, 2, 1)
        ),
    )
    app.reach_milestone(
        ctx, ReachMilestone(project_id=project, label="Local loué", reached_on=date(2012, 6, 1))
    )
    app.reach_milestone(
        ctx, ReachMilestone(project_id=project, label="Étude remise", reached_on=date(2012, 3, 1))
    )

    funding = app.grant_funding(
        ctx,
        GrantFunding(
            project_id=project,
            funder_id=world.association,
            kind="study",
            decision=world.decision(date(2012, 1, 10), by=PARTNER_A_ONLY),
        ),
    ).id
    granted = followed.fundings.funding(funding)
    assert granted is not None
    assert (granted.amount, granted.remaining, granted.disbursed) == (None, None, Decimal("0.00"))
    revision = app.revise_funding_amount(
        ctx,
        ReviseFundingAmount(
            funding_id=funding,
            amount="10000.00",
            decision=world.decision(date(2012, 2, 1), by=PARTNER_A_ONLY),
        ),
    )
    app.record_disbursement(
        ctx, RecordDisbursement(funding_id=funding, amount="4000.00", paid_on=date(2012, 3, 1))
    )
    paid = app.record_disbursement(
        ctx, RecordDisbursement(funding_id=funding, amount="1500.50", paid_on=date(2012, 4, 1))
    )
    paying = followed.fundings.funding(funding)
    assert paying is not None
    assert (paying.amount, paying.disbursed, paying.remaining) == (
        Decimal("10000.00"),
        Decimal("5500.50"),
        Decimal("4499.50"),
    )
    assert (paying.version, paying.position) == (paid.version, paid.position)
    cancellation = app.cancel_funding(
        ctx,
        CancelFunding(
            funding_id=funding, decision=world.decision(date(2012, 5, 2), by=PARTNER_A_ONLY)
        ),
    )

    line = followed.fundings.funding(funding)
    assert line is not None
    assert (line.cancelled_on, line.version, line.position) == (
        date(2012, 5, 2),
        cancellation.version,
        cancellation.position,
    )
    assert (line.amount, line.disbursed) == (Decimal("10000.00"), Decimal("5500.50"))
    assert [(e.kind, e.effective_on, e.amount, e.body_id) for e in line.entries] == [
        ("granted", date(2012, 1, 10), None, world.bureau),
        ("amount_revised", date(2012, 2, 1), Decimal("10000.00"), world.bureau),
        ("disbursed", date(2012, 3, 1), Decimal("4000.00"), None),
        ("disbursed", date(2012, 4, 1), Decimal("1500.50"), None),
        ("cancelled", date(2012, 5, 2), None, world.bureau),
    ]
    assert line.entries[1].position == revision.position
    assert [e.decided_on for e in line.entries][2:4] == [None, None]
    dumped = line.model_dump(mode="json")
    assert (dumped["disbursed"], dumped["remaining"]) == ("5500.50", "0.00")  # cancelled
    assert app.load(Funding, funding).disbursed == line.disbursed
    assert followed.fundings.fundings_of_project(project) == [line]

    app.change_project_status(
        ctx,
        ChangeProjectStatus(project_id=project, status="completed", effective_on=date(2012, 9, 1)),
    )
    seen = followed.projects.project(project)
    assert seen is not None
    assert (seen.status, seen.status_since, seen.version) == ("completed", date(2012, 9, 1), 7)
    assert seen.model_dump(mode="json")["estimated_budget"] == "250000.00"
    assert [(p.organisation_id, p.role, p.joined_on) for p in seen.partners] == [
        (world.company, "porteur", date(2011, 10, 1)),
        (world.partner_b, "appui", date(2011, 11, 1)),
    ]
    assert [m.label for m in seen.milestones] == ["Étude remise", "Local loué"]
    assert [(s.status, s.effective_on, s.decision_position) for s in seen.status_history] == [
        ("proposed", date(2011, 10, 1), None),
        ("approved", date(2012, 1, 5), approval.position),
        ("in_progress", date(2012, 2, 1), None),
        ("completed", date(2012, 9, 1), None),
    ]
    assert seen.status_history[2].position == started.position
    assert (seen.origin_call_id, seen.origin_candidacy_id) == (None, None)
    assert followed.projects.projects_of_filiere(world.filiere) == [seen]

    followed_contents = followed.contents()
    followed.updater.rebuild()
    assert followed.contents() == followed_contents


def test_the_views_catch_up_later_and_apply_each_event_once(
    app: FilieresApplication, ctx: CommandContext, world: World, views: Views
) -> None:
    call = open_call(app, ctx, world)
    assert views.calls.call(call) is None  # not caught up yet
    app.submit_candidacy(
        ctx,
        SubmitCandidacy(
            call_id=call, candidate_id=world.company, project_title="Abattoir", submitted_on=OPENS
        ),
    )
    assert views.updater.catch_up() > 0
    assert views.updater.catch_up() == 0
    seen = views.calls.call(call)
    assert seen is not None
    assert seen.candidacies_by_status == NO_CANDIDACY | {"submitted": 1}
    assert [s.lag for s in views.updater.status()] == [0, 0, 0]
    assert [s.name for s in views.updater.status()] == [
        "call_details",
        "project_details",
        "funding_ledger",
    ]


def test_an_event_delivered_twice_is_applied_once(
    app: FilieresApplication, ctx: CommandContext, world: World, views: Views
) -> None:
    """Event by event, as the library's runner delivers them, each one twice."""
    call = open_call(app, ctx, world)
    candidacy = app.submit_candidacy(
        ctx,
        SubmitCandidacy(
            call_id=call,
            candidate_id=world.company,
            project_title="Abattoir",
            submitted_on=OPENS,
            requested_amount="500.00",
        ),
    ).candidacy_id
    assert candidacy is not None
    app.review_candidacy(
        ctx,
        ReviewCandidacy(
            call_id=call,
            candidacy_id=candidacy,
            reviewer="Expert",
            opinion="Bien",
            reviewed_on=date(2011, 7, 2),
            score=70,
        ),
    )
    app.close_submissions(ctx, CloseSubmissions(call_id=call, closed_on=CLOSED_ON))
    app.decide_candidacy(
        ctx,
        DecideCandidacy(
            call_id=call,
            candidacy_id=candidacy,
            outcome="selected",
            decision=world.decision(DECIDED_ON),
        ),
    )
    project = app.propose_project(
        ctx,
        ProposeProject(
            filiere_id=world.filiere,
            title="Abattoir",
            proposed_on=DECIDED_ON,
            partners=(ProjectPartner(organisation_id=world.company, role="porteur"),),
            origin_call_id=call,
            origin_candidacy_id=candidacy,
        ),
    ).id
    app.reach_milestone(
        ctx, ReachMilestone(project_id=project, label="Permis obtenu", reached_on=date(2011, 10, 1))
    )
    funding = app.grant_funding(
        ctx,
        GrantFunding(
            project_id=project,
            funder_id=world.association,
            kind="grant",
            decision=world.decision(date(2012, 1, 10)),
            amount="800.00",
        ),
    ).id
    app.record_disbursement(
        ctx, RecordDisbursement(funding_id=funding, amount="300.00", paid_on=date(2012, 2, 1))
    )

    for notification in app.recorder.select_notifications(start=1, limit=1000):
        event = app.mapper.to_domain_event(notification)
        for projection in views.updater.projections:
            if notification.topic in projection.topics:
                for _ in range(2):
                    projection.process_event(event, Tracking(app.name, notification.id))
    one_by_one = views.contents()
    seen = views.calls.call(call)
    assert seen is not None
    (only,) = seen.candidacies
    assert (only.status, only.review_count, len(only.reviews)) == ("selected", 1, 1)
    assert seen.selected_amount == Decimal("500.00")
    line = views.fundings.funding(funding)
    assert line is not None
    assert (line.disbursed, line.remaining, len(line.entries)) == (
        Decimal("300.00"),
        Decimal("500.00"),
        2,
    )
    origin = views.projects.project(project)
    assert origin is not None
    assert (origin.origin_call_id, origin.origin_candidacy_id) == (call, candidacy)
    assert len(origin.milestones) == 1

    views.updater.rebuild()
    assert views.contents() == one_by_one
