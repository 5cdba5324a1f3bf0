"""Replaying an aggregate's stored events gives the state the application loads."""

import functools
import tempfile
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from application.context import CommandContext
from application.filieres_app import FilieresApplication
from domain.base import Aggregate
from domain.call import Call
from domain.errors import AmountUnknownError, DisbursementExceedsGrantError
from domain.filiere import Filiere
from domain.funding import Funding
from domain.governing_body import GoverningBody
from domain.organisation import Organisation
from domain.project import Project, ProjectPartner
from infrastructure.persistence import event_store_env
from tests.application.refusals import DECIDED_ON, closed_call
from tests.world import PRESIDENTS, World, make_world

D = date(2012, 1, 10)


def replayed(app: FilieresApplication, aggregate_id: UUID, up_to: int | None = None) -> Any:
    """The aggregate folded from its stored events by the library's own `mutate`."""
    events = app.events.get(aggregate_id, lte=up_to)
    return functools.reduce(lambda aggregate, event: event.mutate(aggregate), events, None)


def state(aggregate: Aggregate) -> dict[str, Any]:
    return {k: v for k, v in aggregate.__dict__.items() if k != "_pending_events"}


# Each builder gives an aggregate with several events, through the application's commands.
def an_organisation(app: FilieresApplication, ctx: CommandContext, w: World) -> UUID:
    org = app.register_organisation(
        ctx, "CIDER", "cluster", date(2011, 1, 1), siren="123456789", territory="Roannais"
    ).id
    app.rename_organisation(ctx, org, "CIDER Roannais", date(2011, 6, 1))
    app.archive_organisation(ctx, org, date(2013, 1, 1))
    return org


def a_body(app: FilieresApplication, ctx: CommandContext, w: World) -> UUID:
    app.hold_meeting(ctx, w.bureau, date(2011, 3, 1), PRESIDENTS, "CR 2011-03")
    app.declare_conflict_of_interest(
        ctx, w.bureau, PRESIDENTS[0], w.company, date(2011, 5, 1), "administratrice"
    )
    app.unseat_member(ctx, w.bureau, "Élu régional", date(2012, 12, 31))
    app.seat_member(
        ctx, w.bureau, "Chargé de mission", w.partner_a, "coordinator", date(2011, 1, 10)
    )
    return w.bureau


def a_filiere(app: FilieresApplication, ctx: CommandContext, w: World) -> UUID:
    app.join_project_group(ctx, w.filiere, w.company, date(2010, 1, 1))
    app.set_objective(ctx, w.filiere, "Abattoir de proximité", date(2010, 2, 1))
    app.leave_project_group(ctx, w.filiere, w.company, date(2011, 1, 1))
    app.change_lead_partner(ctx, w.filiere, w.partner_b, w.decision(date(2011, 2, 1)))
    return w.filiere


def a_call(app: FilieresApplication, ctx: CommandContext, w: World) -> UUID:
    call, (first, second, third) = closed_call(app, ctx, w, "A", "B", "C", max_selected=2)
    app.review_candidacy(ctx, call, first, "Expert", "solide", date(2011, 8, 1), score=80)
    app.decide_candidacy(ctx, call, first, "selected", w.decision(DECIDED_ON))
    rejected = app.decide_candidacy(ctx, call, second, "rejected", w.decision(DECIDED_ON))
    app.decide_candidacy(ctx, call, third, "rejected", w.decision(DECIDED_ON))
    app.decide_candidacy(
        ctx, call, second, "selected", w.decision(date(2011, 12, 1), reverses=rejected.position)
    )
    app.conclude_call(ctx, call, w.decision(date(2012, 1, 1)))
    return call


def a_project(app: FilieresApplication, ctx: CommandContext, w: World) -> UUID:
    project = app.propose_project(
        ctx,
        w.filiere,
        "Compétences",
        date(2011, 6, 1),
        (ProjectPartner(organisation_id=w.company, role="porteur"),),
        "18000000.00",
    ).id
    app.join_project_partner(ctx, project, w.partner_b, "appui", date(2011, 7, 1))
    app.change_project_status(
        ctx, project, "approved", date(2011, 9, 1), w.decision(date(2011, 9, 1))
    )
    app.change_project_status(ctx, project, "in_progress", date(2011, 10, 1))
    app.reach_milestone(ctx, project, "Étude rendue", date(2012, 3, 1))
    return project


def a_funding(app: FilieresApplication, ctx: CommandContext, w: World) -> UUID:
    project = app.propose_project(ctx, w.filiere, "Bois énergie", date(2011, 6, 1)).id
    funding = app.grant_funding(ctx, project, w.association, "study", w.decision(D)).id
    app.revise_funding_amount(ctx, funding, "5000.00", w.decision(date(2012, 2, 1)))
    app.record_disbursement(ctx, funding, "1200.00", date(2012, 3, 1))
    app.record_disbursement(ctx, funding, "800.50", date(2012, 4, 1))
    app.revise_funding_amount(ctx, funding, "4000.00", w.decision(date(2012, 5, 1)))
    app.cancel_funding(ctx, funding, w.decision(date(2012, 6, 1)))
    return funding


BUILDERS: dict[type[Aggregate], Callable[[FilieresApplication, CommandContext, World], UUID]] = {
    Organisation: an_organisation,
    GoverningBody: a_body,
    Filiere: a_filiere,
    Call: a_call,
    Project: a_project,
    Funding: a_funding,
}


@pytest.mark.parametrize("kind", BUILDERS, ids=lambda k: k.__name__)
def test_replaying_the_events_gives_the_loaded_state(app, ctx, kind) -> None:
    aggregate_id = BUILDERS[kind](app, ctx, make_world(app, ctx))
    loaded = app.load(kind, aggregate_id)
    rebuilt = replayed(app, aggregate_id)
    assert loaded.version >= 3
    assert type(rebuilt) is kind
    assert state(rebuilt) == state(loaded)


@pytest.mark.parametrize("kind", BUILDERS, ids=lambda k: k.__name__)
def test_each_version_is_the_fold_of_its_first_events(app, ctx, kind) -> None:
    aggregate_id = BUILDERS[kind](app, ctx, make_world(app, ctx))
    last = app.load(kind, aggregate_id).version
    states = [state(app.load(kind, aggregate_id, version=k)) for k in range(1, last + 1)]
    assert states == [state(replayed(app, aggregate_id, up_to=k)) for k in range(1, last + 1)]
    assert len({repr(s) for s in states}) == last, "each event changed the state"


def test_a_past_version_shows_what_was_then_true(app, ctx) -> None:
    funding = a_funding(app, ctx, make_world(app, ctx))
    as_granted = app.load(Funding, funding, version=1)
    after_first_payment = app.load(Funding, funding, version=3)
    now = app.load(Funding, funding)
    assert (as_granted.amount, as_granted.disbursed) == (None, Decimal("0.00"))
    assert (after_first_payment.amount, after_first_payment.disbursed) == (
        Decimal("5000.00"),
        Decimal("1200.00"),
    )
    assert (now.amount, now.disbursed, now.cancelled_on) == (
        Decimal("4000.00"),
        Decimal("2000.50"),
        date(2012, 6, 1),
    )


# Disbursements and revisions in any order: disbursed never exceeds granted.
CENTS = st.integers(min_value=1, max_value=500_000)
OPERATIONS = st.lists(st.tuples(st.sampled_from(["disburse", "revise"]), CENTS), max_size=12)


@settings(max_examples=30, deadline=None)
@given(initial=st.none() | CENTS, operations=OPERATIONS)
def test_disbursed_never_exceeds_granted_and_replay_matches(
    initial: int | None, operations: list[tuple[str, int]]
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        app = FilieresApplication(event_store_env(f"sqlite:///{directory}/filieres.db"))
        try:
            check_funding_sequence(app, initial, operations)
        finally:
            app.close()


def check_funding_sequence(
    app: FilieresApplication, initial: int | None, operations: list[tuple[str, int]]
) -> None:
    ctx = CommandContext(actor="hypothesis")
    world = make_world(app, ctx)
    project = app.propose_project(ctx, world.filiere, "Projet", date(2011, 6, 1)).id
    granted = None if initial is None else Decimal(initial) / 100
    funding = app.grant_funding(
        ctx, project, world.association, "grant", world.decision(D), granted
    ).id
    disbursed = Decimal("0.00")
    for day, (operation, cents) in enumerate(operations, start=1):
        amount, on = Decimal(cents) / 100, date(2012, 2, day)
        before = app.event_count()
        if operation == "disburse":
            expected = (
                AmountUnknownError
                if granted is None
                else DisbursementExceedsGrantError
                if disbursed + amount > granted
                else None
            )
            command = functools.partial(app.record_disbursement, ctx, funding, amount, on)
        else:
            expected = DisbursementExceedsGrantError if amount < disbursed else None
            command = functools.partial(
                app.revise_funding_amount, ctx, funding, amount, world.decision(on)
            )
        if expected is None:
            command()
            if operation == "disburse":
                disbursed += amount
            else:
                granted = amount
        else:
            with pytest.raises(expected):
                command()
            assert app.event_count() == before
        line = app.load(Funding, funding)
        assert (line.amount, line.disbursed) == (granted, disbursed)
        assert line.amount is None or line.disbursed <= line.amount
    assert state(replayed(app, funding)) == state(app.load(Funding, funding))
