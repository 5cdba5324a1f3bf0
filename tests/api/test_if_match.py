"""ETag and If-Match: reads give the aggregate's version, commands check the one they expect."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import pytest

from api.bootstrap import Services
from api.http.command_runner import etag
from application.body_commands import HoldMeeting
from application.call_commands import (
    CloseSubmissions,
    ConcludeCall,
    DecideCandidacy,
    ReviewCandidacy,
    SubmitCandidacy,
    WithdrawCandidacy,
)
from application.context import CommandContext
from application.filiere_commands import JoinProjectGroup, LeaveProjectGroup, SetObjective
from application.funding_commands import (
    CancelFunding,
    GrantFunding,
    RecordDisbursement,
    ReviseFundingAmount,
)
from application.organisation_commands import RenameOrganisation
from application.project_commands import ChangeProjectStatus, JoinProjectPartner, ReachMilestone
from domain.project import ProjectStatus
from infrastructure.auth_store import Role
from tests.api.http import assert_problem, bearer, event_count
from tests.application.refusals import CLOSED_ON, DECIDED_ON, OPENS, a_project, open_call
from tests.world import FOUNDED, PRESIDENTS, World


@dataclass(frozen=True)
class Subject:
    """An aggregate to read at `path` and a command on it, `body(n)` the n-th distinct one."""

    path: str
    command: str
    body: Callable[[World, int], dict[str, object]]
    status: int = 200


def _seat(world: World, n: int) -> dict[str, object]:
    return {
        "person": f"Membre {n}",
        "organisation_id": str(world.partner_b),
        "role": "participant",
        "from": FOUNDED.isoformat(),
    }


def _rename(world: World, n: int) -> dict[str, object]:
    return {"name": f"Company C {n}", "effective_on": f"2012-01-{n + 1:02d}"}


def _join(world: World, n: int) -> dict[str, object]:
    member = [world.company, world.partner_b, world.region, world.state][n]
    return {"organisation_id": str(member), "joined_on": "2010-01-01"}


def _candidacy(world: World, n: int) -> dict[str, object]:
    return {
        "candidate_id": str(world.company),
        "project_title": f"Projet {n}",
        "submitted_on": OPENS.isoformat(),
    }


def _milestone(world: World, n: int) -> dict[str, object]:
    return {"label": f"Étape {n}", "reached_on": f"2012-0{n + 1}-01"}


def _disbursement(world: World, n: int) -> dict[str, object]:
    return {"amount": "10.00", "paid_on": f"2012-0{n + 2}-01"}


PRESIDENT_A = ("Présidente A",)  # Président B sits for Partner B, a partner of the project

SUBJECTS = {
    "organisation": Subject("/organisations/{company}", "/rename", _rename),
    "body": Subject("/bodies/{bureau}", "/members", _seat),
    "filiere": Subject("/filieres/{filiere}", "/project-group", _join),
    "call": Subject("/calls/{call}", "/candidacies", _candidacy, status=201),
    "project": Subject("/projects/{project}", "/milestones", _milestone),
    "funding": Subject("/fundings/{funding}", "/disbursements", _disbursement),
}


@pytest.fixture
def ids(services: Services, world: World) -> dict[str, UUID]:
    app, ctx = services.app, CommandContext(actor="setup")
    project = a_project(app, ctx, world)
    decision = world.decision(date(2012, 1, 10))
    funding = app.grant_funding(
        ctx,
        GrantFunding(
            project_id=project,
            funder_id=world.association,
            kind="grant",
            decision=decision,
            amount="1000.00",
        ),
    ).id
    return {
        "company": world.company,
        "bureau": world.bureau,
        "filiere": world.filiere,
        "call": open_call(app, ctx, world),
        "project": project,
        "funding": funding,
    }


def recorder(tokens, **extra: str) -> dict[str, str]:
    return bearer(tokens[Role.RECORDER], **extra)


def read_etag(client, tokens, path: str) -> str:
    """The read's ETag as the version it gives: an overview qualifies it with a hash of its
    body ("N-h"), as If-Match takes it (tests/api/test_conditional_get.py)."""
    response = client.get(path, headers=bearer(tokens[Role.READER]))
    assert response.status_code == 200, response.text
    version, _, _ = response.headers["ETag"].strip('"').partition("-")
    return f'"{version}"'


def test_a_command_answers_its_new_version_as_etag(client, tokens, services) -> None:
    created = client.post(
        "/organisations",
        json={"name": "Scierie", "kind": "company", "registered_on": "2010-01-01"},
        headers=recorder(tokens),
    )
    assert created.status_code == 201, created.text
    assert created.headers["ETag"] == '"1"' == etag(created.json()["version"])
    organisation = created.json()["id"]

    renamed = client.post(
        f"/organisations/{organisation}/rename",
        json={"name": "Scierie du Forez", "effective_on": "2011-01-01"},
        headers=recorder(tokens),
    )

    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["version"] == 2
    assert renamed.headers["ETag"] == '"2"'
    assert services.app.current_version(UUID(organisation)) == 2


@pytest.mark.parametrize("kind", SUBJECTS)
def test_a_read_gives_the_aggregate_version_as_etag(
    client, services, tokens, world, ids, kind
) -> None:
    subject = SUBJECTS[kind]
    path = subject.path.format(**ids)
    aggregate = UUID(path.rsplit("/", 1)[1])
    assert read_etag(client, tokens, path) == etag(services.app.current_version(aggregate))

    answer = client.post(
        path + subject.command, json=subject.body(world, 0), headers=recorder(tokens)
    )

    assert answer.status_code == subject.status, answer.text
    assert answer.headers["ETag"] == etag(services.app.current_version(aggregate))
    assert read_etag(client, tokens, path) == answer.headers["ETag"]


@pytest.mark.parametrize("kind", SUBJECTS)
def test_a_command_with_the_current_etag_succeeds_and_moves_it_on_by_one(
    client, services, tokens, world, ids, kind
) -> None:
    subject = SUBJECTS[kind]
    path = subject.path.format(**ids)
    current = read_etag(client, tokens, path)

    answer = client.post(
        path + subject.command,
        json=subject.body(world, 0),
        headers=recorder(tokens, **{"If-Match": current}),
    )

    assert answer.status_code == subject.status, answer.text
    version = int(current.strip('"'))
    assert answer.json()["version"] == version + 1
    assert answer.headers["ETag"] == etag(version + 1)
    assert read_etag(client, tokens, path) == etag(version + 1)


@pytest.mark.parametrize("kind", SUBJECTS)
def test_a_command_with_a_stale_etag_is_refused_and_writes_nothing(
    client, services, tokens, world, ids, kind
) -> None:
    subject = SUBJECTS[kind]
    path = subject.path.format(**ids)
    stale = read_etag(client, tokens, path)
    moved = client.post(
        path + subject.command, json=subject.body(world, 1), headers=recorder(tokens)
    )
    assert moved.status_code == subject.status, moved.text
    before = event_count(services)

    refused = client.post(
        path + subject.command,
        json=subject.body(world, 2),
        headers=recorder(tokens, **{"If-Match": stale}),
    )

    problem = assert_problem(refused, 409, "version")
    assert problem["code"] == "StaleVersionError"
    assert event_count(services) == before
    assert read_etag(client, tokens, path) == moved.headers["ETag"]


@pytest.mark.parametrize("kind", ["organisation", "call", "funding"])
def test_an_etag_from_the_future_is_refused_too(client, services, tokens, world, ids, kind) -> None:
    subject = SUBJECTS[kind]
    path = subject.path.format(**ids)
    before = event_count(services)

    refused = client.post(
        path + subject.command,
        json=subject.body(world, 0),
        headers=recorder(tokens, **{"If-Match": '"99"'}),
    )

    assert_problem(refused, 409)
    assert event_count(services) == before


@pytest.mark.parametrize("kind", SUBJECTS)
def test_if_match_star_checks_nothing(client, services, tokens, world, ids, kind) -> None:
    subject = SUBJECTS[kind]
    path = subject.path.format(**ids)
    client.post(path + subject.command, json=subject.body(world, 1), headers=recorder(tokens))
    version = services.app.current_version(UUID(path.rsplit("/", 1)[1]))

    answer = client.post(
        path + subject.command,
        json=subject.body(world, 2),
        headers=recorder(tokens, **{"If-Match": "*"}),
    )

    assert answer.status_code == subject.status, answer.text
    assert answer.headers["ETag"] == etag(version + 1)


@pytest.mark.parametrize(
    "value",
    ["abc", '"1", "2"', '"-1"', '"1.0"', "W/", '""', "x" * 41, '"1234567890123"'],
    ids=["word", "list", "negative", "decimal", "weak-empty", "empty-quotes", "long", "13-digits"],
)
def test_a_malformed_if_match_is_refused_and_writes_nothing(
    client, services, tokens, world, ids, value
) -> None:
    before = event_count(services)

    refused = client.post(
        f"/organisations/{ids['company']}/rename",
        json=_rename(world, 0),
        headers=recorder(tokens, **{"If-Match": value}),
    )

    assert_problem(refused, 422)
    assert event_count(services) == before


def test_if_match_on_an_unknown_aggregate_is_not_found(client, services, tokens, world) -> None:
    before = event_count(services)

    missing = client.post(
        f"/organisations/{UUID(int=5)}/rename",
        json=_rename(world, 0),
        headers=recorder(tokens, **{"If-Match": '"1"'}),
    )

    assert_problem(missing, 404)
    assert event_count(services) == before


def test_after_every_kind_of_event_a_read_etag_is_the_aggregate_version(
    client, services, tokens, world, ids
) -> None:
    app, ctx = services.app, CommandContext(actor="setup")
    call, project, funding = ids["call"], ids["project"], ids["funding"]
    kept = app.submit_candidacy(
        ctx,
        SubmitCandidacy(
            call_id=call, candidate_id=world.company, project_title="Retenu", submitted_on=OPENS
        ),
    ).candidacy_id
    gone = app.submit_candidacy(
        ctx,
        SubmitCandidacy(
            call_id=call, candidate_id=world.company, project_title="Retiré", submitted_on=OPENS
        ),
    ).candidacy_id
    app.review_candidacy(
        ctx,
        ReviewCandidacy(
            call_id=call,
            candidacy_id=kept,
            reviewer="Expert",
            opinion="solide",
            reviewed_on=date(2011, 4, 1),
            score=80,
        ),
    )
    app.withdraw_candidacy(
        ctx, WithdrawCandidacy(call_id=call, candidacy_id=gone, withdrawn_on=date(2011, 4, 2))
    )
    app.close_submissions(ctx, CloseSubmissions(call_id=call, closed_on=CLOSED_ON))
    app.decide_candidacy(
        ctx,
        DecideCandidacy(
            call_id=call, candidacy_id=kept, outcome="selected", decision=world.decision(DECIDED_ON)
        ),
    )
    app.conclude_call(ctx, ConcludeCall(call_id=call, decision=world.decision(DECIDED_ON)))
    app.join_project_partner(
        ctx,
        JoinProjectPartner(
            project_id=project,
            organisation_id=world.partner_b,
            role="partenaire",
            joined_on=date(2011, 11, 1),
        ),
    )
    app.reach_milestone(
        ctx, ReachMilestone(project_id=project, label="Étude", reached_on=date(2011, 11, 2))
    )
    app.change_project_status(
        ctx,
        ChangeProjectStatus(
            project_id=project,
            status=ProjectStatus.APPROVED,
            effective_on=date(2011, 12, 1),
            decision=world.decision(date(2011, 12, 1), by=PRESIDENT_A),
        ),
    )
    app.revise_funding_amount(
        ctx,
        ReviseFundingAmount(
            funding_id=funding,
            amount="500.00",
            decision=world.decision(date(2012, 1, 11), by=PRESIDENT_A),
        ),
    )
    app.record_disbursement(
        ctx, RecordDisbursement(funding_id=funding, amount="100.00", paid_on=date(2012, 2, 1))
    )
    app.cancel_funding(
        ctx,
        CancelFunding(
            funding_id=funding, decision=world.decision(date(2012, 3, 1), by=PRESIDENT_A)
        ),
    )
    app.set_objective(
        ctx,
        SetObjective(
            filiere_id=world.filiere, objective="Abattre localement", effective_on=date(2010, 1, 1)
        ),
    )
    app.join_project_group(
        ctx,
        JoinProjectGroup(
            filiere_id=world.filiere, organisation_id=world.company, joined_on=date(2010, 1, 1)
        ),
    )
    app.leave_project_group(
        ctx,
        LeaveProjectGroup(
            filiere_id=world.filiere, organisation_id=world.company, left_on=date(2010, 2, 1)
        ),
    )
    app.rename_organisation(
        ctx,
        RenameOrganisation(
            organisation_id=world.company, name="Company C SA", effective_on=date(2010, 1, 1)
        ),
    )
    app.hold_meeting(
        ctx,
        HoldMeeting(
            body_id=world.bureau,
            held_on=date(2010, 1, 1),
            attendees=(PRESIDENTS[0],),
            minutes_ref=None,
        ),
    )

    for subject in SUBJECTS.values():
        path = subject.path.format(**ids)
        version = services.app.current_version(UUID(path.rsplit("/", 1)[1]))
        assert read_etag(client, tokens, path) == etag(version), path
