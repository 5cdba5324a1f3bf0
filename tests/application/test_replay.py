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

from application.body_commands import (
    DeclareConflictOfInterest,
    HoldMeeting,
    SeatMember,
    UnseatMember,
)
from application.call_commands import ConcludeCall, DecideCandidacy, ReviewCandidacy
from application.context import CommandContext
from application.filiere_commands import (
    ChangeLeadPartner,
    JoinProjectGroup,
    LeaveProjectGroup,
    SetObjective,
)
from application.filieres_app import FilieresApplication
from application.funding_commands import (
    CancelFunding,
    GrantFunding,
    RecordDisbursement,
    ReviseFundingAmount,
)
from application.organisation_commands import (
    ArchiveOrganisation,
    RegisterOrganisation,
    RenameOrganisation,
)
from application.project_commands import (
    ChangeProjectStatus,
    JoinProjectPartner,
    ProposeProject,
    ReachMilestone,
)
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
        ctx,
        RegisterOrganisation(
            name="CIDER",
            kind="cluster",
            registered_on=date(2011, 1, 1),
            siren="732829320",
            territory="Roannais",
        ),
    ).id
    app.rename_organisation(
        ctx,
        RenameOrganisation(
            organisation_id=org, name="CIDER Roannais", effective_on=date(2011, 6, 1)
        ),
    )
    app.archive_organisation(
        ctx, ArchiveOrganisation(organisation_id=org, effective_on=date(2013, 1, 1))
    )
    return org


def a_body(app: FilieresApplication, ctx: CommandContext, w: World) -> UUID:
    app.hold_meeting(
        ctx,
        HoldMeeting(
            body_id=w.bureau,
            held_on=date(2011, 3, 1),
            attendees=PRESIDENTS,
            minutes_ref="CR 2011-03",
        ),
    )
    app.declare_conflict_of_interest(
        ctx,
        DeclareConflictOfInterest(
            body_id=w.bureau,
            person=PRESIDENTS[0],
            organisation_id=w.company,
            declared_on=date(2011, 5, 1),
            reason="administratrice",
        ),
    )
    app.unseat_member(
        ctx, UnseatMember(body_id=w.bureau, person="Élu régional", until=date(2012, 12, 31))
    )
    app.seat_member(
        ctx,
        SeatMember(
            body_id=w.bureau,
            person="Chargé de mission",
            organisation_id=w.partner_a,
            role="coordinator",
            from_=date(2011, 1, 10),
        ),
    )
    return w.bureau


def a_filiere(app: FilieresApplication, ctx: CommandContext, w: World) -> UUID:
    app.join_project_group(
        ctx,
        JoinProjectGroup(
            filiere_id=w.filiere, organisation_id=w.company, joined_on=date(2010, 1, 1)
        ),
    )
    app.set_objective(
        ctx,
        SetObjective(
            filiere_id=w.filiere, objective="Abattoir de proximité", effective_on=date(2010, 2, 1)
        ),
    )
    app.leave_project_group(
        ctx,
        LeaveProjectGroup(
            filiere_id=w.filiere, organisation_id=w.company, left_on=date(2011, 1, 1)
        ),
    )
    app.change_lead_partner(
        ctx,
        ChangeLeadPartner(
            filiere_id=w.filiere, lead_partner_id=w.partner_b, decision=w.decision(date(2011, 2, 1))
        ),
    )
    return w.filiere


def a_call(app: FilieresApplication, ctx: CommandContext, w: World) -> UUID:
    call, (first, second, third) = closed_call(app, ctx, w, "A", "B", "C", max_selected=2)
    app.review_candidacy(
        ctx,
        ReviewCandidacy(
            call_id=call,
            candidacy_id=first,
            reviewer="Expert",
            opinion="solide",
            reviewed_on=date(2011, 8, 1),
            score=80,
        ),
    )
    app.decide_candidacy(
        ctx,
        DecideCandidacy(
            call_id=call, candidacy_id=first, outcome="selected", decision=w.decision(DECIDED_ON)
        ),
    )
    rejected = app.decide_candidacy(
        ctx,
        DecideCandidacy(
            call_id=call, candidacy_id=second, outcome="rejected", decision=w.decision(DECIDED_ON)
        ),
    )
    app.decide_candidacy(
        ctx,
        DecideCandidacy(
            call_id=call, candidacy_id=third, outcome="rejected", decision=w.decision(DECIDED_ON)
        ),
    )
    app.decide_candidacy(
        ctx,
        DecideCandidacy(
            call_id=call,
            candidacy_id=second,
            outcome="selected",
            decision=w.decision(date(2011, 12, 1), reverses=rejected.position),
        ),
    )
    app.conclude_call(ctx, ConcludeCall(call_id=call, decision=w.decision(date(2012, 1, 1))))
    return call


def a_project(app: FilieresApplication, ctx: CommandContext, w: World) -> UUID:
    project = app.propose_project(
        ctx,
        ProposeProject(
            filiere_id=w.filiere,
            title="Compétences",
            proposed_on=date(2011, 6, 1),
            partners=(ProjectPartner(organisation_id=w.company, role="porteur"),),
            estimated_budget="18000000.00",
        ),
    ).id
    app.join_project_partner(
        ctx,
        JoinProjectPartner(
            project_id=project,
            organisation_id=w.partner_b,
            role="appui",
            joined_on=date(2011, 7, 1),
        ),
    )
    app.change_project_status(
        ctx,
        ChangeProjectStatus(
            project_id=project,
            status="approved",
            effective_on=date(2011, 9, 1),
            decision=w.decision(date(2011, 9, 1), by=(PRESIDENTS[0],)),
        ),
    )
    app.change_project_status(
        ctx,
        ChangeProjectStatus(
            project_id=project, status="in_progress", effective_on=date(2011, 10, 1)
        ),
    )
    app.reach_milestone(
        ctx, ReachMilestone(project_id=project, label="Étude rendue", reached_on=date(2012, 3, 1))
    )
    return project


def a_funding(app: FilieresApplication, ctx: CommandContext, w: World) -> UUID:
    project = app.propose_project(
        ctx,
        ProposeProject(filiere_id=w.filiere, title="Bois énergie", proposed_on=date(2011, 6, 1)),
    ).id
    funding = app.grant_funding(
        ctx,
        GrantFunding(
            project_id=project, funder_id=w.association, kind="study", decision=w.decision(D)
        ),
    ).id
    app.revise_funding_amount(
        ctx,
        ReviseFundingAmount(
            funding_id=funding, amount="5000.00", decision=w.decision(date(2012, 2, 1))
        ),
    )
    app.record_disbursement(
        ctx, RecordDisbursement(funding_id=funding, amount="1200.00", paid_on=date(2012, 3, 1))
    )
    app.record_disbursement(
        ctx, RecordDisbursement(funding_id=funding, amount="800.50", paid_on=date(2012, 4, 1))
    )
    app.revise_funding_amount(
        ctx,
        ReviseFundingAmount(
            funding_id=funding, amount="4000.00", decision=w.decision(date(2012, 5, 1))
        ),
    )
    app.cancel_funding(
        ctx, CancelFunding(funding_id=funding, decision=w.decision(date(2012, 6, 1)))
    )
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
    project = app.propose_project(
        ctx, ProposeProject(filiere_id=world.filiere, title="Projet", proposed_on=date(2011, 6, 1))
    ).id
    granted = None if initial is None else Decimal(initial) / 100
    funding = app.grant_funding(
        ctx,
        GrantFunding(
            project_id=project,
            funder_id=world.association,
            kind="grant",
            decision=world.decision(D),
            amount=granted,
        ),
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
            command: RecordDisbursement | ReviseFundingAmount = RecordDisbursement(
                funding_id=funding, amount=amount, paid_on=on
            )
        else:
            expected = DisbursementExceedsGrantError if amount < disbursed else None
            command = ReviseFundingAmount(
                funding_id=funding, amount=amount, decision=world.decision(on)
            )
        if expected is None:
            app.execute(ctx, command)
            if operation == "disburse":
                disbursed += amount
            else:
                granted = amount
        else:
            with pytest.raises(expected):
                app.execute(ctx, command)
            assert app.event_count() == before
        line = app.load(Funding, funding)
        assert (line.amount, line.disbursed) == (granted, disbursed)
        assert line.amount is None or line.disbursed <= line.amount
    assert state(replayed(app, funding)) == state(app.load(Funding, funding))
