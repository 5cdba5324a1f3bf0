"""Malformed input is refused as invalid (422), naming the field, and nothing is written."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from uuid import UUID

import orjson
import pytest

from application.context import CommandContext
from application.filieres_app import FilieresApplication
from domain.errors import InvalidValueError
from domain.funding import Funding
from domain.project import ProjectPartner
from tests.application.refusals import (
    CLOSED_ON,
    DECIDED_ON,
    OPENS,
    a_project,
    closed_call,
    refused,
)
from tests.world import World, make_world

D = date(2012, 1, 10)


@pytest.fixture
def world(app: FilieresApplication, ctx: CommandContext) -> World:
    return make_world(app, ctx)


class Given:
    """What the malformed commands act on, built before the refusal is checked."""

    def __init__(self, app: FilieresApplication, ctx: CommandContext, world: World) -> None:
        self.world = world
        self.project = a_project(app, ctx, world)
        self.funding = app.grant_funding(
            ctx, self.project, world.association, "study", world.decision(D), "1000.00"
        ).id
        self.call, (self.candidacy,) = closed_call(app, ctx, world)
        self.open_call = app.launch_call(
            ctx,
            world.filiere,
            "Appel ouvert",
            "call_for_projects",
            world.association,
            OPENS,
            date(2011, 6, 30),
            world.decision(date(2011, 2, 1)),
        ).id


Command = Callable[[FilieresApplication, CommandContext, Given], object]

CASES: dict[str, tuple[str, Command]] = {
    # Names and text
    "empty organisation name": (
        "name: String should have at least 1 character",
        lambda a, c, g: a.register_organisation(c, "", "company", D),
    ),
    "blank organisation name": (
        "name: String should have at least 1 character",
        lambda a, c, g: a.register_organisation(c, "   ", "company", D),
    ),
    "empty new name": (
        "name: String should have at least 1 character",
        lambda a, c, g: a.rename_organisation(c, g.world.company, "", D),
    ),
    "malformed SIREN": (
        "siren: String should match pattern",
        lambda a, c, g: a.register_organisation(c, "CIDER", "cluster", D, siren="12345"),
    ),
    "empty filière name": (
        "name: String should have at least 1 character",
        lambda a, c, g: a.launch_filiere(c, "", "filiere", g.world.partner_b, g.world.decision(D)),
    ),
    "empty call title": (
        "title: String should have at least 1 character",
        lambda a, c, g: a.launch_call(
            c,
            g.world.filiere,
            " ",
            "call_for_projects",
            g.world.association,
            OPENS,
            D,
            g.world.decision(D),
        ),
    ),
    "empty project title": (
        "title: String should have at least 1 character",
        lambda a, c, g: a.propose_project(c, g.world.filiere, "", D),
    ),
    "empty person seated": (
        "person: String should have at least 1 character",
        lambda a, c, g: a.seat_member(c, g.world.bureau, "", g.world.partner_a, "voting", D),
    ),
    "empty conflict reason": (
        "reason: String should have at least 1 character",
        lambda a, c, g: a.declare_conflict_of_interest(
            c, g.world.bureau, "Présidente A", g.world.company, D, ""
        ),
    ),
    "score above 100": (
        "score: Input should be less than or equal to 100",
        lambda a, c, g: a.review_candidacy(
            c, g.call, g.candidacy, "Expert", "ok", CLOSED_ON, score=101
        ),
    ),
    "max_selected of zero": (
        "max_selected: Input should be greater than or equal to 1",
        lambda a, c, g: a.launch_call(
            c,
            g.world.filiere,
            "Appel",
            "call_for_projects",
            g.world.association,
            OPENS,
            D,
            g.world.decision(D),
            max_selected=0,
        ),
    ),
    "a call closing before it opens": (
        "cannot close \\(2011-03-01\\) before it opens \\(2012-01-10\\)",
        lambda a, c, g: a.launch_call(
            c,
            g.world.filiere,
            "Appel",
            "call_for_projects",
            g.world.association,
            D,
            OPENS,
            g.world.decision(D),
        ),
    ),
    # Enumerations
    "organisation kind": (
        "kind: Input should be 'partner'",
        lambda a, c, g: a.register_organisation(c, "X", "entreprise", D),
    ),
    "body kind": (
        "kind: Input should be 'bureau'",
        lambda a, c, g: a.constitute_body(c, "X", "assemblée", D),
    ),
    "seat role": (
        "role: 'président' is not one of voting, invitee, participant, coordinator",
        lambda a, c, g: a.seat_member(c, g.world.bureau, "X", g.world.partner_a, "président", D),
    ),
    "filière kind": (
        "kind: 'secteur' is not one of filiere, axis",
        lambda a, c, g: a.launch_filiere(
            c, "Bois", "secteur", g.world.partner_b, g.world.decision(D)
        ),
    ),
    "call kind": (
        "kind: 'tender' is not one of call_for_projects, call_for_expressions_of_interest",
        lambda a, c, g: a.launch_call(
            c,
            g.world.filiere,
            "Appel",
            "tender",
            g.world.association,
            OPENS,
            D,
            g.world.decision(D),
        ),
    ),
    "candidacy outcome": (
        "outcome: 'maybe' is not one of selected, rejected",
        lambda a, c, g: a.decide_candidacy(
            c, g.call, g.candidacy, "maybe", g.world.decision(DECIDED_ON)
        ),
    ),
    "funding kind": (
        "kind: 'gift' is not one of grant, loan, in_kind, study",
        lambda a, c, g: a.grant_funding(
            c, g.project, g.world.association, "gift", g.world.decision(D), "10.00"
        ),
    ),
    "project status": (
        "status: 'done' is not one of proposed, approved, in_progress, completed, abandoned",
        lambda a, c, g: a.change_project_status(c, g.project, "done", D),
    ),
    # Amounts
    "float granted amount": (
        "amount 1200.0 is a float",
        lambda a, c, g: a.grant_funding(
            c, g.project, g.world.association, "study", g.world.decision(D), 1200.0
        ),
    ),
    "granted amount with 3 places": (
        "amount 12.345 has more than two decimal places",
        lambda a, c, g: a.grant_funding(
            c, g.project, g.world.association, "study", g.world.decision(D), "12.345"
        ),
    ),
    "zero granted amount": (
        "amount 0.00 must be positive",
        lambda a, c, g: a.grant_funding(
            c, g.project, g.world.association, "study", g.world.decision(D), "0.00"
        ),
    ),
    "negative disbursement": (
        "amount -10.00 must be positive",
        lambda a, c, g: a.record_disbursement(c, g.funding, "-10.00", D),
    ),
    "float disbursement": (
        "amount 10.5 is a float",
        lambda a, c, g: a.record_disbursement(c, g.funding, 10.5, D),
    ),
    "disbursement with 3 places": (
        "amount 12.345 has more than two decimal places",
        lambda a, c, g: a.record_disbursement(c, g.funding, "12.345", D),
    ),
    "float revision": (
        "amount 2000.0 is a float",
        lambda a, c, g: a.revise_funding_amount(c, g.funding, 2000.0, g.world.decision(D)),
    ),
    "revision that is not a number": (
        "amount 'deux mille' is not a decimal number",
        lambda a, c, g: a.revise_funding_amount(c, g.funding, "deux mille", g.world.decision(D)),
    ),
    "float budget envelope": (
        "amount 50000.0 is a float",
        lambda a, c, g: a.launch_call(
            c,
            g.world.filiere,
            "Appel",
            "call_for_projects",
            g.world.association,
            OPENS,
            D,
            g.world.decision(D),
            budget_envelope=50000.0,
        ),
    ),
    "requested amount with 3 places": (
        "amount 12.345 has more than two decimal places",
        lambda a, c, g: a.submit_candidacy(
            c, g.open_call, g.world.company, "P", OPENS, requested_amount="12.345"
        ),
    ),
    "float estimated budget": (
        "amount 1.5 is a float",
        lambda a, c, g: a.propose_project(c, g.world.filiere, "P", D, estimated_budget=1.5),
    ),
    "a partner listed twice": (
        "a partner is listed twice",
        lambda a, c, g: a.propose_project(
            c,
            g.world.filiere,
            "P",
            D,
            (
                ProjectPartner(organisation_id=g.world.company, role="a"),
                ProjectPartner(organisation_id=g.world.company, role="b"),
            ),
        ),
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_malformed_input_is_refused_and_nothing_written(app, ctx, world, name: str) -> None:
    match, command = CASES[name]
    given = Given(app, ctx, world)
    with refused(app, InvalidValueError, match):
        command(app, ctx, given)


def test_amounts_are_stored_as_two_place_decimal_strings(app, ctx, world) -> None:
    given = Given(app, ctx, world)
    app.record_disbursement(ctx, given.funding, Decimal("12.5"), D)
    states = [orjson.loads(e.state) for e in app.recorder.select_events(given.funding)]
    assert [s.get("amount") for s in states] == ["1000.00", "12.50"]
    funding = app.load(Funding, given.funding)
    assert funding.amount == Decimal("1000.00")
    assert funding.disbursements[0][1] == Decimal("12.50")
    assert all(type(amount) is Decimal for _, amount in funding.disbursements)


def test_a_refused_amount_leaves_the_line_as_it_was(app, ctx, world) -> None:
    given = Given(app, ctx, world)
    funding: UUID = given.funding
    with refused(app, InvalidValueError, "is a float", (Funding, funding)):
        app.record_disbursement(ctx, funding, 0.1, D)
    assert app.load(Funding, funding).disbursed == Decimal("0.00")
