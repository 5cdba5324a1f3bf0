"""Malformed input is refused as invalid (422), naming the field, and nothing is written."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from uuid import UUID

import orjson
import pytest

from application.body_commands import ConstituteBody, DeclareConflictOfInterest, SeatMember
from application.call_commands import DecideCandidacy, LaunchCall, ReviewCandidacy, SubmitCandidacy
from application.command import Command
from application.context import CommandContext
from application.filiere_commands import LaunchFiliere
from application.filieres_app import FilieresApplication
from application.funding_commands import GrantFunding, RecordDisbursement, ReviseFundingAmount
from application.organisation_commands import RegisterOrganisation, RenameOrganisation
from application.project_commands import ChangeProjectStatus, ProposeProject
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
from tests.world import World

D = date(2012, 1, 10)


class Given:
    """What the malformed commands act on, built before the refusal is checked."""

    def __init__(self, app: FilieresApplication, ctx: CommandContext, world: World) -> None:
        self.world = world
        self.project = a_project(app, ctx, world)
        self.funding = app.grant_funding(
            ctx,
            GrantFunding(
                project_id=self.project,
                funder_id=world.association,
                kind="study",
                decision=world.decision(D),
                amount="1000.00",
            ),
        ).id
        self.call, (self.candidacy,) = closed_call(app, ctx, world)
        self.open_call = app.launch_call(
            ctx,
            LaunchCall(
                filiere_id=world.filiere,
                title="Appel ouvert",
                kind="call_for_projects",
                issuer_id=world.association,
                opens_on=OPENS,
                closes_on=date(2011, 6, 30),
                decision=world.decision(date(2011, 2, 1)),
            ),
        ).id


Build = Callable[[Given], Command]

# A command that cannot be built is refused by pydantic, naming the field (the API's 422 lists
# the same errors); one the domain refuses raises InvalidValueError. Both are ValueErrors.
CASES: dict[str, tuple[str, Build]] = {
    # Names and text
    "empty organisation name": (
        "name\n  String should have at least 1 character",
        lambda g: RegisterOrganisation(name="", kind="company", registered_on=D),
    ),
    "blank organisation name": (
        "name\n  String should have at least 1 character",
        lambda g: RegisterOrganisation(name="   ", kind="company", registered_on=D),
    ),
    "empty new name": (
        "name\n  String should have at least 1 character",
        lambda g: RenameOrganisation(organisation_id=g.world.company, name="", effective_on=D),
    ),
    "malformed SIREN": (
        "siren\n  Value error, SIREN .12345. is not 9 digits",
        lambda g: RegisterOrganisation(
            name="CIDER", kind="cluster", registered_on=D, siren="12345"
        ),
    ),
    "empty filière name": (
        "name\n  String should have at least 1 character",
        lambda g: LaunchFiliere(
            name="",
            kind="filiere",
            lead_partner_id=g.world.partner_b,
            decision=g.world.decision(D),
        ),
    ),
    "empty call title": (
        "title\n  String should have at least 1 character",
        lambda g: LaunchCall(
            filiere_id=g.world.filiere,
            title=" ",
            kind="call_for_projects",
            issuer_id=g.world.association,
            opens_on=OPENS,
            closes_on=D,
            decision=g.world.decision(D),
        ),
    ),
    "empty project title": (
        "title\n  String should have at least 1 character",
        lambda g: ProposeProject(filiere_id=g.world.filiere, title="", proposed_on=D),
    ),
    "empty person seated": (
        "person\n  String should have at least 1 character",
        lambda g: SeatMember(
            body_id=g.world.bureau,
            person="",
            organisation_id=g.world.partner_a,
            role="voting",
            from_=D,
        ),
    ),
    "empty conflict reason": (
        "reason\n  String should have at least 1 character",
        lambda g: DeclareConflictOfInterest(
            body_id=g.world.bureau,
            person="Présidente A",
            organisation_id=g.world.company,
            declared_on=D,
            reason="",
        ),
    ),
    "score above 100": (
        "score\n  Input should be less than or equal to 100",
        lambda g: ReviewCandidacy(
            call_id=g.call,
            candidacy_id=g.candidacy,
            reviewer="Expert",
            opinion="ok",
            reviewed_on=CLOSED_ON,
            score=101,
        ),
    ),
    "max_selected of zero": (
        "max_selected\n  Input should be greater than or equal to 1",
        lambda g: LaunchCall(
            filiere_id=g.world.filiere,
            title="Appel",
            kind="call_for_projects",
            issuer_id=g.world.association,
            opens_on=OPENS,
            closes_on=D,
            decision=g.world.decision(D),
            max_selected=0,
        ),
    ),
    "a call closing before it opens": (
        "cannot close \\(2011-03-01\\) before it opens \\(2012-01-10\\)",
        lambda g: LaunchCall(
            filiere_id=g.world.filiere,
            title="Appel",
            kind="call_for_projects",
            issuer_id=g.world.association,
            opens_on=D,
            closes_on=OPENS,
            decision=g.world.decision(D),
        ),
    ),
    # Enumerations
    "organisation kind": (
        "kind\n  Input should be 'partner'",
        lambda g: RegisterOrganisation(name="X", kind="entreprise", registered_on=D),
    ),
    "body kind": (
        "kind\n  Input should be 'bureau'",
        lambda g: ConstituteBody(name="X", kind="assemblée", constituted_on=D),
    ),
    "seat role": (
        "role\n  Input should be 'voting', 'invitee', 'participant' or 'coordinator'",
        lambda g: SeatMember(
            body_id=g.world.bureau,
            person="X",
            organisation_id=g.world.partner_a,
            role="président",
            from_=D,
        ),
    ),
    "filière kind": (
        "kind\n  Input should be 'filiere' or 'axis'",
        lambda g: LaunchFiliere(
            name="Bois",
            kind="secteur",
            lead_partner_id=g.world.partner_b,
            decision=g.world.decision(D),
        ),
    ),
    "call kind": (
        "kind\n  Input should be 'call_for_projects' or 'call_for_expressions_of_interest'",
        lambda g: LaunchCall(
            filiere_id=g.world.filiere,
            title="Appel",
            kind="tender",
            issuer_id=g.world.association,
            opens_on=OPENS,
            closes_on=D,
            decision=g.world.decision(D),
        ),
    ),
    "candidacy outcome": (
        "outcome\n  Input should be 'selected' or 'rejected'",
        lambda g: DecideCandidacy(
            call_id=g.call,
            candidacy_id=g.candidacy,
            outcome="maybe",
            decision=g.world.decision(DECIDED_ON),
        ),
    ),
    "funding kind": (
        "kind\n  Input should be 'grant', 'loan', 'in_kind', 'study' or 'unknown'",
        lambda g: GrantFunding(
            project_id=g.project,
            funder_id=g.world.association,
            kind="gift",
            decision=g.world.decision(D),
            amount="10.00",
        ),
    ),
    "project status": (
        "status\n  Input should be 'approved', 'in_progress', 'completed' or 'abandoned'",
        lambda g: ChangeProjectStatus(project_id=g.project, status="done", effective_on=D),
    ),
    # Amounts
    "float granted amount": (
        "amount 1200.0 is a float",
        lambda g: GrantFunding(
            project_id=g.project,
            funder_id=g.world.association,
            kind="study",
            decision=g.world.decision(D),
            amount=1200.0,
        ),
    ),
    "granted amount with 3 places": (
        "amount 12.345 has more than two decimal places",
        lambda g: GrantFunding(
            project_id=g.project,
            funder_id=g.world.association,
            kind="study",
            decision=g.world.decision(D),
            amount="12.345",
        ),
    ),
    "zero granted amount": (
        "amount 0.00 must be positive",
        lambda g: GrantFunding(
            project_id=g.project,
            funder_id=g.world.association,
            kind="study",
            decision=g.world.decision(D),
            amount="0.00",
        ),
    ),
    "negative disbursement": (
        "amount -10.00 must be positive",
        lambda g: RecordDisbursement(funding_id=g.funding, amount="-10.00", paid_on=D),
    ),
    "float disbursement": (
        "amount 10.5 is a float",
        lambda g: RecordDisbursement(funding_id=g.funding, amount=10.5, paid_on=D),
    ),
    "disbursement with 3 places": (
        "amount 12.345 has more than two decimal places",
        lambda g: RecordDisbursement(funding_id=g.funding, amount="12.345", paid_on=D),
    ),
    "float revision": (
        "amount 2000.0 is a float",
        lambda g: ReviseFundingAmount(
            funding_id=g.funding, amount=2000.0, decision=g.world.decision(D)
        ),
    ),
    "revision that is not a number": (
        "amount 'deux mille' is not a decimal number",
        lambda g: ReviseFundingAmount(
            funding_id=g.funding, amount="deux mille", decision=g.world.decision(D)
        ),
    ),
    "float budget envelope": (
        "amount 50000.0 is a float",
        lambda g: LaunchCall(
            filiere_id=g.world.filiere,
            title="Appel",
            kind="call_for_projects",
            issuer_id=g.world.association,
            opens_on=OPENS,
            closes_on=D,
            decision=g.world.decision(D),
            budget_envelope=50000.0,
        ),
    ),
    "requested amount with 3 places": (
        "amount 12.345 has more than two decimal places",
        lambda g: SubmitCandidacy(
            call_id=g.open_call,
            candidate_id=g.world.company,
            project_title="P",
            submitted_on=OPENS,
            requested_amount="12.345",
        ),
    ),
    "float estimated budget": (
        "amount 1.5 is a float",
        lambda g: ProposeProject(
            filiere_id=g.world.filiere, title="P", proposed_on=D, estimated_budget=1.5
        ),
    ),
    "a partner listed twice": (
        "a partner is listed twice",
        lambda g: ProposeProject(
            filiere_id=g.world.filiere,
            title="P",
            proposed_on=D,
            partners=(
                ProjectPartner(organisation_id=g.world.company, role="a"),
                ProjectPartner(organisation_id=g.world.company, role="b"),
            ),
        ),
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_malformed_input_is_refused_and_nothing_written(app, ctx, world, name: str) -> None:
    match, build = CASES[name]
    given = Given(app, ctx, world)
    with refused(app, ValueError, match):
        app.execute(ctx, build(given))


def test_amounts_are_stored_as_two_place_decimal_strings(app, ctx, world) -> None:
    given = Given(app, ctx, world)
    app.record_disbursement(
        ctx, RecordDisbursement(funding_id=given.funding, amount=Decimal("12.5"), paid_on=D)
    )
    states = [orjson.loads(e.state) for e in app.recorder.select_events(given.funding)]
    assert [s.get("amount") for s in states] == ["1000.00", "12.50"]
    funding = app.load(Funding, given.funding)
    assert funding.amount == Decimal("1000.00")
    assert funding.disbursements[0][1] == Decimal("12.50")
    assert all(type(amount) is Decimal for _, amount in funding.disbursements)


def test_a_refused_amount_leaves_the_line_as_it_was(app, ctx, world) -> None:
    given = Given(app, ctx, world)
    funding: UUID = given.funding
    with refused(app, ValueError, "is a float", (Funding, funding)):
        app.record_disbursement(ctx, RecordDisbursement(funding_id=funding, amount=0.1, paid_on=D))
    assert app.load(Funding, funding).disbursed == Decimal("0.00")
