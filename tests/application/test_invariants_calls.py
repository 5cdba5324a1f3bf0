"""Call invariants through the application: refused (409) with nothing written."""

from datetime import date

import pytest

from application.call_commands import (
    CloseSubmissions,
    ConcludeCall,
    DecideCandidacy,
    SubmitCandidacy,
    WithdrawCandidacy,
)
from application.context import CommandContext
from application.filieres_app import FilieresApplication
from domain.call import Call
from domain.candidacy import CandidacyStatus
from domain.errors import (
    BudgetEnvelopeExceededError,
    CallNotOpenError,
    CandidacyWithdrawnError,
    MaxSelectedExceededError,
    SubmissionsStillOpenError,
)
from tests.application.refusals import (
    CLOSED_ON,
    DECIDED_ON,
    OPENS,
    closed_call,
    open_call,
    refused,
)
from tests.world import World


@pytest.fixture
def call_open(app: FilieresApplication, ctx: CommandContext, world: World):
    return open_call(app, ctx, world)


@pytest.mark.parametrize("on", [date(2011, 2, 28), date(2011, 7, 1)], ids=["early", "late"])
def test_a_candidacy_outside_the_call_dates_is_refused(app, ctx, world, call_open, on) -> None:
    with refused(
        app, CallNotOpenError, f"from 2011-03-01 to 2011-06-30, not on {on}", (Call, call_open)
    ):
        app.submit_candidacy(
            ctx,
            SubmitCandidacy(
                call_id=call_open,
                candidate_id=world.company,
                project_title="Abattoir",
                submitted_on=on,
            ),
        )


def test_a_candidacy_after_submissions_closed_is_refused(app, ctx, world, call_open) -> None:
    app.close_submissions(ctx, CloseSubmissions(call_id=call_open, closed_on=date(2011, 5, 31)))
    with refused(app, CallNotOpenError, "submissions were closed on 2011-05-31", (Call, call_open)):
        app.submit_candidacy(
            ctx,
            SubmitCandidacy(
                call_id=call_open,
                candidate_id=world.company,
                project_title="Abattoir",
                submitted_on=date(2011, 6, 1),
            ),
        )


def test_no_selection_before_closing(app, ctx, world, call_open) -> None:
    candidacy = app.submit_candidacy(
        ctx,
        SubmitCandidacy(
            call_id=call_open,
            candidate_id=world.company,
            project_title="Abattoir",
            submitted_on=OPENS,
        ),
    )
    with refused(
        app, SubmissionsStillOpenError, "before its submissions are closed", (Call, call_open)
    ):
        app.decide_candidacy(
            ctx,
            DecideCandidacy(
                call_id=call_open,
                candidacy_id=candidacy.candidacy_id,
                outcome="selected",
                decision=world.decision(DECIDED_ON),
            ),
        )


def test_no_decision_dated_before_the_closing(app, ctx, world) -> None:
    call, (candidacy,) = closed_call(app, ctx, world)
    with refused(
        app,
        SubmissionsStillOpenError,
        f"closed its submissions on {CLOSED_ON}; a decision dated 2011-06-15",
        (Call, call),
    ):
        app.decide_candidacy(
            ctx,
            DecideCandidacy(
                call_id=call,
                candidacy_id=candidacy,
                outcome="rejected",
                decision=world.decision(date(2011, 6, 15)),
            ),
        )


def test_a_withdrawn_candidacy_is_not_decided(app, ctx, world, call_open) -> None:
    candidacy = app.submit_candidacy(
        ctx,
        SubmitCandidacy(
            call_id=call_open,
            candidate_id=world.company,
            project_title="Abattoir",
            submitted_on=OPENS,
        ),
    )
    app.withdraw_candidacy(
        ctx,
        WithdrawCandidacy(
            call_id=call_open, candidacy_id=candidacy.candidacy_id, withdrawn_on=date(2011, 4, 1)
        ),
    )
    app.close_submissions(ctx, CloseSubmissions(call_id=call_open, closed_on=CLOSED_ON))
    with refused(app, CandidacyWithdrawnError, "'Abattoir' was withdrawn", (Call, call_open)):
        app.decide_candidacy(
            ctx,
            DecideCandidacy(
                call_id=call_open,
                candidacy_id=candidacy.candidacy_id,
                outcome="selected",
                decision=world.decision(DECIDED_ON),
            ),
        )


def test_selections_stop_at_max_selected(app, ctx, world) -> None:
    call, ids = closed_call(app, ctx, world, "A", "B", max_selected=1)
    app.decide_candidacy(
        ctx,
        DecideCandidacy(
            call_id=call,
            candidacy_id=ids[0],
            outcome="selected",
            decision=world.decision(DECIDED_ON),
        ),
    )
    with refused(
        app, MaxSelectedExceededError, "selects at most 1 candidacies; 1 already are", (Call, call)
    ):
        app.decide_candidacy(
            ctx,
            DecideCandidacy(
                call_id=call,
                candidacy_id=ids[1],
                outcome="selected",
                decision=world.decision(DECIDED_ON),
            ),
        )


def test_selections_stay_within_the_budget_envelope(app, ctx, world) -> None:
    call = open_call(app, ctx, world, budget_envelope="10000.00")
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
        ).candidacy_id
        for title, amount in (("A", "7000.00"), ("B", "3000.01"))
    ]
    app.close_submissions(ctx, CloseSubmissions(call_id=call, closed_on=CLOSED_ON))
    app.decide_candidacy(
        ctx,
        DecideCandidacy(
            call_id=call,
            candidacy_id=ids[0],
            outcome="selected",
            decision=world.decision(DECIDED_ON),
        ),
    )
    with refused(
        app,
        BudgetEnvelopeExceededError,
        "brings the selected total to 10 000.01 EUR, above the call's envelope of 10 000.00 EUR",
        (Call, call),
    ):
        app.decide_candidacy(
            ctx,
            DecideCandidacy(
                call_id=call,
                candidacy_id=ids[1],
                outcome="selected",
                decision=world.decision(DECIDED_ON),
            ),
        )


def test_no_conclusion_with_undecided_candidacies(app, ctx, world) -> None:
    call, ids = closed_call(app, ctx, world, "A", "B")
    app.decide_candidacy(
        ctx,
        DecideCandidacy(
            call_id=call,
            candidacy_id=ids[0],
            outcome="selected",
            decision=world.decision(DECIDED_ON),
        ),
    )
    with refused(
        app, SubmissionsStillOpenError, "1 candidacies are not decided \\('B'\\)", (Call, call)
    ):
        app.conclude_call(ctx, ConcludeCall(call_id=call, decision=world.decision(DECIDED_ON)))
    app.decide_candidacy(
        ctx,
        DecideCandidacy(
            call_id=call,
            candidacy_id=ids[1],
            outcome="rejected",
            decision=world.decision(DECIDED_ON),
        ),
    )
    app.conclude_call(ctx, ConcludeCall(call_id=call, decision=world.decision(DECIDED_ON)))
    statuses = [c.status for c in app.load(Call, call).candidacies.values()]
    assert statuses == [CandidacyStatus.SELECTED, CandidacyStatus.REJECTED]
