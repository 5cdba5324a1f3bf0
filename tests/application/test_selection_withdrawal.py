"""The deciding body withdraws a selection: its rule, refused (409) with nothing written."""

from datetime import date
from uuid import UUID

import pytest

from application.call_commands import (
    ConcludeCall,
    DecideCandidacy,
    WithdrawCandidacy,
    WithdrawSelection,
)
from application.context import CommandContext
from application.filieres_app import FilieresApplication
from domain.call import Call
from domain.candidacy import CandidacyStatus
from domain.errors import (
    BodyCannotDecideError,
    CallConcludedError,
    CandidacyNotSelectedError,
    CandidacyWithdrawnError,
    MaxSelectedExceededError,
    ReversalError,
    WrongBodyError,
)
from tests.application.refusals import CLOSED_ON, DECIDED_ON, closed_call, refused
from tests.world import World

WITHDRAWN_ON = date(2011, 11, 3)


def select(
    app: FilieresApplication, ctx: CommandContext, world: World, call: UUID, candidacy: UUID
) -> int:
    """Select the candidacy; the log position of the selection."""
    command = DecideCandidacy(
        call_id=call,
        candidacy_id=candidacy,
        outcome="selected",
        decision=world.decision(DECIDED_ON),
    )
    return app.decide_candidacy(ctx, command).position


def withdrawal(world: World, call: UUID, candidacy: UUID, **decision: object) -> WithdrawSelection:
    on = decision.pop("on", WITHDRAWN_ON)
    assert isinstance(on, date)
    return WithdrawSelection(
        call_id=call, candidacy_id=candidacy, decision=world.decision(on, **decision)
    )


def test_a_withdrawn_selection_frees_its_place(app, ctx, world) -> None:
    call, (first, second) = closed_call(app, ctx, world, "A", "B", max_selected=1)
    select(app, ctx, world, call, first)
    with pytest.raises(MaxSelectedExceededError):
        select(app, ctx, world, call, second)

    app.withdraw_selection(ctx, withdrawal(world, call, first))

    candidacy = app.load(Call, call).candidacy(first)
    assert candidacy.status == CandidacyStatus.WITHDRAWN
    assert candidacy.decided_on == WITHDRAWN_ON
    select(app, ctx, world, call, second)  # the place is free again
    assert [c.status for c in app.load(Call, call).candidacies.values()] == [
        CandidacyStatus.WITHDRAWN,
        CandidacyStatus.SELECTED,
    ]


@pytest.mark.parametrize("outcome", [None, "rejected"], ids=["undecided", "rejected"])
def test_only_a_selected_candidacy_has_a_selection_to_withdraw(app, ctx, world, outcome) -> None:
    call, (candidacy,) = closed_call(app, ctx, world)
    if outcome:
        app.decide_candidacy(
            ctx,
            DecideCandidacy(
                call_id=call,
                candidacy_id=candidacy,
                outcome=outcome,
                decision=world.decision(DECIDED_ON),
            ),
        )
    status = outcome or "submitted"
    with refused(
        app,
        CandidacyNotSelectedError,
        f"'Abattoir mobile' of call 'Appel Viandes' is {status}, not selected",
        (Call, call),
    ):
        app.withdraw_selection(ctx, withdrawal(world, call, candidacy))


def test_a_withdrawal_does_not_come_before_the_selection(app, ctx, world) -> None:
    call, (candidacy,) = closed_call(app, ctx, world)
    select(app, ctx, world, call, candidacy)
    with refused(
        app,
        CandidacyNotSelectedError,
        f"was selected on {DECIDED_ON}; a withdrawal dated {CLOSED_ON} comes before that",
        (Call, call),
    ):
        app.withdraw_selection(ctx, withdrawal(world, call, candidacy, on=CLOSED_ON))


def test_only_the_calls_deciding_body_withdraws(app, ctx, world) -> None:
    call, (candidacy,) = closed_call(app, ctx, world)
    select(app, ctx, world, call, candidacy)
    with refused(app, BodyCannotDecideError, "Directoire is a directoire", (Call, call)):
        app.withdraw_selection(
            ctx, withdrawal(world, call, candidacy, body=world.directoire, by=("Directeur A",))
        )
    with refused(app, WrongBodyError, "decided by a body of 'Association'", (Call, call)):
        app.withdraw_selection(ctx, withdrawal(world, call, candidacy, body=world.state_body))


def test_no_withdrawal_once_the_call_is_concluded(app, ctx, world) -> None:
    call, (candidacy,) = closed_call(app, ctx, world)
    select(app, ctx, world, call, candidacy)
    app.conclude_call(ctx, ConcludeCall(call_id=call, decision=world.decision(DECIDED_ON)))
    with refused(app, CallConcludedError, "'Appel Viandes' is concluded", (Call, call)):
        app.withdraw_selection(ctx, withdrawal(world, call, candidacy))


def test_a_withdrawal_names_only_the_selection_it_amends(app, ctx, world) -> None:
    call, (first, second) = closed_call(app, ctx, world, "A", "B")
    select(app, ctx, world, call, first)
    elsewhere = select(app, ctx, world, call, second)
    with refused(app, ReversalError, "is not the decision on candidacy 'A'", (Call, call)):
        app.withdraw_selection(ctx, withdrawal(world, call, first, reverses=elsewhere))


def test_a_later_decision_may_reverse_the_withdrawal(app, ctx, world) -> None:
    call, (candidacy,) = closed_call(app, ctx, world)
    select(app, ctx, world, call, candidacy)
    withdrawn = app.withdraw_selection(ctx, withdrawal(world, call, candidacy)).position
    app.decide_candidacy(
        ctx,
        DecideCandidacy(
            call_id=call,
            candidacy_id=candidacy,
            outcome="selected",
            decision=world.decision(date(2011, 12, 1), reverses=withdrawn),
        ),
    )
    assert app.load(Call, call).candidacy(candidacy).status == CandidacyStatus.SELECTED


def test_a_candidacy_its_candidate_withdrew_stays_undecidable(app, ctx, world) -> None:
    """The body's withdrawal is a decision; the candidate's is not, and ends the candidacy."""
    call, (candidacy,) = closed_call(app, ctx, world)
    with refused(app, CandidacyNotSelectedError, "is submitted, not selected", (Call, call)):
        app.withdraw_selection(ctx, withdrawal(world, call, candidacy))
    app.withdraw_candidacy(
        ctx, WithdrawCandidacy(call_id=call, candidacy_id=candidacy, withdrawn_on=CLOSED_ON)
    )
    with refused(app, CandidacyWithdrawnError, "was withdrawn and cannot be decided", (Call, call)):
        select(app, ctx, world, call, candidacy)
