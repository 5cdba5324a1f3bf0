"""Who may decide: voting members of a deciding body, not recused, for the right organisation."""

from datetime import date
from uuid import UUID

import pytest

from application.body_commands import DeclareConflictOfInterest, SeatMember, UnseatMember
from application.call_commands import DecideCandidacy
from application.context import CommandContext
from application.filiere_commands import LaunchFiliere
from application.filieres_app import FilieresApplication
from application.funding_commands import GrantFunding
from domain.call import Call
from domain.candidacy import CandidacyStatus
from domain.errors import (
    BodyCannotDecideError,
    CandidacyAlreadyDecidedError,
    NotAVotingMemberError,
    RecusalError,
    ReversalError,
    SittingError,
    WrongBodyError,
)
from domain.filiere import Filiere
from domain.funding import Funding
from domain.governing_body import GoverningBody
from domain.project import Project
from tests.application.refusals import DECIDED_ON, a_project, closed_call, refused
from tests.world import PRESIDENTS, World


@pytest.fixture
def call(app: FilieresApplication, ctx: CommandContext, world: World) -> tuple[UUID, UUID]:
    call_id, (candidacy_id,) = closed_call(app, ctx, world)
    return call_id, candidacy_id


def select(
    app: FilieresApplication,
    ctx: CommandContext,
    call: tuple[UUID, UUID],
    world: World,
    on: date = DECIDED_ON,
    **decision: object,
):
    call_id, candidacy_id = call
    return app.decide_candidacy(
        ctx,
        DecideCandidacy(
            call_id=call_id,
            candidacy_id=candidacy_id,
            outcome="selected",
            decision=world.decision(on, **decision),
        ),
    )


# Only voting members on the day decide
def test_a_decision_by_the_voting_members_is_recorded(app, ctx, world, call) -> None:
    result = select(app, ctx, call, world)
    selected = app.load(Call, call[0]).candidacy(call[1])
    assert selected.status == CandidacyStatus.SELECTED
    assert result.version == app.load(Call, call[0]).version


def test_the_permanent_invitee_does_not_decide(app, ctx, world, call) -> None:
    with refused(
        app,
        NotAVotingMemberError,
        "Élu régional sits as invitee in Bureau on 2011-09-15; only its voting members",
        (Call, call[0]),
    ):
        select(app, ctx, call, world, by=(PRESIDENTS[0], "Élu régional"))


def test_a_person_not_seated_does_not_decide(app, ctx, world, call) -> None:
    with refused(
        app, NotAVotingMemberError, "Passant does not sit in Bureau on 2011-09-15", (Call, call[0])
    ):
        select(app, ctx, call, world, by=("Passant",))


def test_a_person_seated_after_the_decision_does_not_decide_it(app, ctx, world, call) -> None:
    app.seat_member(
        ctx,
        SeatMember(
            body_id=world.bureau,
            person="Président C",
            organisation_id=world.partner_a,
            role="voting",
            from_=date(2012, 1, 1),
        ),
    )
    with refused(
        app,
        NotAVotingMemberError,
        "Président C does not sit in Bureau on 2011-09-15",
        (Call, call[0]),
        (GoverningBody, world.bureau),
    ):
        select(app, ctx, call, world, by=("Président C",))
    select(app, ctx, call, world, on=date(2012, 1, 1), by=("Président C",))


def test_a_person_unseated_before_the_decision_does_not_decide_it(app, ctx, world, call) -> None:
    app.unseat_member(
        ctx, UnseatMember(body_id=world.bureau, person=PRESIDENTS[1], until=date(2011, 9, 14))
    )
    with refused(
        app,
        NotAVotingMemberError,
        "Président B does not sit in Bureau on 2011-09-15",
        (Call, call[0]),
    ):
        select(app, ctx, call, world)


def test_a_seat_counts_through_its_last_day(app, ctx, world, call) -> None:
    app.unseat_member(
        ctx, UnseatMember(body_id=world.bureau, person=PRESIDENTS[1], until=DECIDED_ON)
    )
    select(app, ctx, call, world)
    assert app.load(Call, call[0]).candidacy(call[1]).status == CandidacyStatus.SELECTED


def test_a_bureau_decision_names_its_sitting_or_says_it_was_not_published(
    app, ctx, world, call
) -> None:
    with refused(app, SittingError, "names the sitting that took it", (Call, call[0])):
        select(app, ctx, call, world, sitting_not_published=False)


@pytest.mark.parametrize(
    ("body", "person", "kind"),
    [("directoire", "Directeur A", "directoire"), ("council", "Conseiller", "advisory_council")],
)
def test_the_directoire_and_the_council_do_not_decide(
    app, ctx, world, call, body: str, person: str, kind: str
) -> None:
    body_id = getattr(world, body)
    with refused(
        app, BodyCannotDecideError, f"is a {kind}: it prepares or advises", (Call, call[0])
    ):
        select(app, ctx, call, world, body=body_id, by=(person,))
    with refused(app, BodyCannotDecideError, "only the bureau and external bodies decide"):
        app.launch_filiere(
            ctx,
            LaunchFiliere(
                name="Bois",
                kind="filiere",
                lead_partner_id=world.partner_b,
                decision=world.decision(date(2010, 1, 1), body=body_id, by=(person,)),
            ),
        )


# Recusal
def test_a_declared_conflict_of_interest_recuses_its_author(app, ctx, world, call) -> None:
    declared = app.declare_conflict_of_interest(
        ctx,
        DeclareConflictOfInterest(
            body_id=world.bureau,
            person=PRESIDENTS[0],
            organisation_id=world.company,
            declared_on=date(2011, 5, 2),
            reason="administratrice de Company C",
        ),
    )
    with refused(
        app,
        RecusalError,
        f"Présidente A declared on 2011-05-02 a conflict of interest with 'Company C'"
        f" \\({world.company}\\) \\(administratrice de Company C; declaration in Bureau,"
        f" version {declared.version}\\) and cannot decide the candidacy 'Abattoir mobile'"
        f" unless recused \\[Bureau: {world.bureau}\\]",
        (Call, call[0]),
    ):
        select(app, ctx, call, world)
    select(app, ctx, call, world, by=(PRESIDENTS[1],))
    assert app.load(Call, call[0]).candidacy(call[1]).status == CandidacyStatus.SELECTED


def test_recusal_covers_the_funding_of_the_organisations_project(app, ctx, world) -> None:
    project = a_project(app, ctx, world)
    app.declare_conflict_of_interest(
        ctx,
        DeclareConflictOfInterest(
            body_id=world.bureau,
            person=PRESIDENTS[1],
            organisation_id=world.company,
            declared_on=date(2011, 5, 2),
            reason="actionnaire",
        ),
    )
    with refused(app, RecusalError, "Président B declared on 2011-05-02 .*actionnaire"):
        app.grant_funding(
            ctx,
            GrantFunding(
                project_id=project,
                funder_id=world.association,
                kind="study",
                decision=world.decision(date(2012, 1, 10)),
                amount="5000.00",
            ),
        )


# External bodies decide for their own organisation
def test_the_state_grants_its_own_money_without_naming_people(app, ctx, world) -> None:
    project = a_project(app, ctx, world)
    decision = world.decision(date(2012, 1, 10), body=world.state_body, by=())
    funding = app.grant_funding(
        ctx,
        GrantFunding(project_id=project, funder_id=world.state, kind="grant", decision=decision),
    )
    granted = app.load(Funding, funding.id)
    assert (granted.funder_id, granted.amount) == (world.state, None)


def test_the_state_body_does_not_decide_the_associations_call(app, ctx, world, call) -> None:
    with refused(
        app,
        WrongBodyError,
        f"the candidacy 'Abattoir mobile' is decided by a body of 'Association'"
        f" \\({world.association}\\); État acts for 'État' \\({world.state}\\)"
        f" \\[État: {world.state_body}\\]",
        (Call, call[0]),
    ):
        select(app, ctx, call, world, body=world.state_body, by=())


def test_the_state_body_does_not_launch_a_filiere(app, ctx, world) -> None:
    with refused(
        app,
        WrongBodyError,
        "État is an external body: it decides only the calls and"
        " funding of its own organisation, not the launch of filière 'Bois'",
    ):
        app.launch_filiere(
            ctx,
            LaunchFiliere(
                name="Bois",
                kind="filiere",
                lead_partner_id=world.partner_b,
                decision=world.decision(date(2010, 1, 1), body=world.state_body, by=()),
            ),
        )


def test_the_bureau_does_not_grant_the_states_money(app, ctx, world) -> None:
    project = a_project(app, ctx, world)
    with refused(
        app,
        WrongBodyError,
        f"is decided by a body of 'État' \\({world.state}\\);"
        f" Bureau acts for 'Association' \\({world.association}\\) \\[Bureau: {world.bureau}\\]",
        (Project, project),
    ):
        app.grant_funding(
            ctx,
            GrantFunding(
                project_id=project,
                funder_id=world.state,
                kind="grant",
                decision=world.decision(date(2012, 1, 10)),
                amount="1000.00",
            ),
        )


def test_the_bureau_grants_a_study_funded_by_the_association(app, ctx, world) -> None:
    project = a_project(app, ctx, world)
    funding = app.grant_funding(
        ctx,
        GrantFunding(
            project_id=project,
            funder_id=world.association,
            kind="study",
            decision=world.decision(date(2012, 1, 10)),
            amount="4800.00",
        ),
    )
    study = app.load(Funding, funding.id)
    assert (study.funder_id, study.kind, str(study.amount)) == (
        world.association,
        "study",
        "4800.00",
    )


# Reversal
@pytest.fixture
def rejection(app, ctx, world, call):
    call_id, candidacy_id = call
    return app.decide_candidacy(
        ctx,
        DecideCandidacy(
            call_id=call_id,
            candidacy_id=candidacy_id,
            outcome="rejected",
            decision=world.decision(DECIDED_ON),
        ),
    )


def test_a_decided_candidacy_is_not_decided_again_silently(
    app, ctx, world, call, rejection
) -> None:
    with refused(
        app,
        CandidacyAlreadyDecidedError,
        "'Abattoir mobile' was already rejected on 2011-09-15; a new decision must name"
        " that one in `reverses`",
        (Call, call[0]),
    ):
        select(app, ctx, call, world, on=date(2011, 12, 1))


def test_a_reversal_naming_the_rejection_selects_and_keeps_both(
    app, ctx, world, call, rejection
) -> None:
    result = select(app, ctx, call, world, on=date(2011, 12, 1), reverses=rejection.position)
    assert app.load(Call, call[0]).candidacy(call[1]).status == CandidacyStatus.SELECTED
    history = list(app.events.get(call[0]))
    names = [type(e).__name__ for e in history]
    assert names[-2:] == ["CandidacyRejected", "CandidacySelected"]
    assert history[-1].decision.reverses == rejection.position  # type: ignore[attr-defined]
    assert (history[-2].originator_version, history[-1].originator_version) == (
        rejection.version,
        result.version,
    )


def test_a_reversal_naming_another_aggregates_decision_is_refused(
    app, ctx, world, call, rejection
) -> None:
    other = app.launch_filiere(
        ctx,
        LaunchFiliere(
            name="Bois",
            kind="filiere",
            lead_partner_id=world.partner_b,
            decision=world.decision(date(2010, 1, 1)),
        ),
    )
    with refused(
        app,
        ReversalError,
        f"the event at position {other.position} belongs to another aggregate",
        (Call, call[0]),
        (Filiere, other.id),
    ):
        select(app, ctx, call, world, on=date(2011, 12, 1), reverses=other.position)


def test_a_reversal_naming_a_non_decision_is_refused(app, ctx, world, call, rejection) -> None:
    closing = next(
        n.id
        for n in app.recorder.select_notifications(start=1, limit=1000)
        if n.originator_id == call[0] and n.topic.endswith("SubmissionsClosed")
    )
    with refused(
        app, ReversalError, f"the event at position {closing} is not a decision", (Call, call[0])
    ):
        select(app, ctx, call, world, on=date(2011, 12, 1), reverses=closing)


def test_a_reversal_naming_no_event_is_refused(app, ctx, world, call, rejection) -> None:
    beyond = app.event_count() + 10
    with refused(app, ReversalError, f"no event at log position {beyond}", (Call, call[0])):
        select(app, ctx, call, world, on=date(2011, 12, 1), reverses=beyond)


def test_creating_something_reverses_nothing(app, ctx, world, rejection) -> None:
    with refused(app, ReversalError, "a decision that creates something has nothing to reverse"):
        app.launch_filiere(
            ctx,
            LaunchFiliere(
                name="Bois",
                kind="filiere",
                lead_partner_id=world.partner_b,
                decision=world.decision(date(2010, 1, 1), reverses=rejection.position),
            ),
        )


def test_a_reversal_naming_the_decision_on_another_candidacy_is_refused(app, ctx, world) -> None:
    call_id, (first, second) = closed_call(app, ctx, world, "Abattoir mobile", "Salaisons")
    rejected_first = app.decide_candidacy(
        ctx,
        DecideCandidacy(
            call_id=call_id,
            candidacy_id=first,
            outcome="rejected",
            decision=world.decision(DECIDED_ON),
        ),
    )
    with refused(
        app, ReversalError, "is not the decision on candidacy 'Salaisons'", (Call, call_id)
    ):
        select(app, ctx, (call_id, second), world, reverses=rejected_first.position)
    assert app.load(Call, call_id).candidacy(second).status == CandidacyStatus.SUBMITTED
