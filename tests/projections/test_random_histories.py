"""Random histories: the views built command by command equal a rebuild and the aggregates.

Hypothesis draws a sequence of commands (many of them refused by the domain,
which is part of the point: a refused command must leave the views alone).
"""

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TypeVar
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.bootstrap import Services, build
from application.call_commands import (
    CloseSubmissions,
    ConcludeCall,
    DecideCandidacy,
    LaunchCall,
    Outcome,
    SubmitCandidacy,
    WithdrawCandidacy,
)
from application.context import CommandContext
from application.filiere_commands import ChangeLeadPartner, JoinProjectGroup, LeaveProjectGroup
from application.funding_commands import (
    CancelFunding,
    GrantFunding,
    RecordDisbursement,
    ReviseFundingAmount,
)
from application.organisation_commands import RenameOrganisation
from application.project_commands import ChangeProjectStatus, ProposeProject
from domain.call import Call, CallKind
from domain.candidacy import CandidacyStatus
from domain.errors import DomainError
from domain.filiere import Filiere
from domain.funding import Funding, FundingKind
from domain.project import Project, ProjectStatus
from tests.conftest import fresh_store
from tests.projections.conftest import contents
from tests.world import World, make_world

T = TypeVar("T")
START = date(2010, 1, 4)
AMOUNTS = st.one_of(st.none(), st.decimals("1.00", "50000.00", places=2))
# Weighted towards the call flow (launch, submit, close, decide, reverse) so that most
# histories reach decisions and reversals; the rest exercises every other view update.
ACTIONS = (
    ["launch_call"] * 2
    + ["submit"] * 5
    + ["close"] * 2
    + ["decide"] * 4
    + ["reverse"] * 3
    + ["withdraw", "conclude", "propose", "propose", "status", "status", "grant", "grant"]
    + ["revise", "disburse", "disburse", "cancel", "rename", "join_group", "leave_group"]
    + ["lead_partner"]
)
STEPS = st.lists(
    st.tuples(st.sampled_from(ACTIONS), st.integers(0, 7), st.integers(0, 7), AMOUNTS),
    min_size=25,
    max_size=60,
)


@dataclass
class Story:
    """The ids the commands created so far, for later commands to pick from."""

    world: World
    calls: list[UUID] = field(default_factory=list)
    candidacies: list[tuple[UUID, UUID]] = field(default_factory=list)
    decisions: list[tuple[UUID, UUID, int]] = field(default_factory=list)
    projects: list[UUID] = field(default_factory=list)
    fundings: list[UUID] = field(default_factory=list)


def pick(items: list[T], index: int) -> T:
    return items[index % len(items)]


def play(
    services: Services, story: Story, step: int, action: str, a: int, b: int, amount: Decimal | None
) -> None:
    app, w, ctx = services.app, story.world, CommandContext(actor=f"recorder {a}")
    today = START + timedelta(days=7 * step)
    decision = w.decision(today)
    organisations = [w.partner_a, w.partner_b, w.company, w.association]
    if action == "launch_call":
        story.calls.append(
            app.launch_call(
                ctx,
                LaunchCall(
                    filiere_id=w.filiere,
                    title=f"Call {step}",
                    kind=CallKind.CALL_FOR_PROJECTS,
                    issuer_id=w.association,
                    opens_on=today,
                    closes_on=today + timedelta(days=70),
                    decision=decision,
                    budget_envelope=Decimal("60000.00") if a % 2 else None,
                    max_selected=b + 1 if b % 3 else None,
                ),
            ).id
        )
    elif action == "submit" and story.calls:
        call = pick(story.calls, a)
        result = app.submit_candidacy(
            ctx,
            SubmitCandidacy(
                call_id=call,
                candidate_id=pick(organisations, b),
                project_title=f"Project {step}",
                submitted_on=today,
                requested_amount=amount,
            ),
        )
        assert result.candidacy_id is not None
        story.candidacies.append((call, result.candidacy_id))
    elif action == "withdraw" and story.candidacies:
        call, candidacy = pick(story.candidacies, a)
        app.withdraw_candidacy(
            ctx, WithdrawCandidacy(call_id=call, candidacy_id=candidacy, withdrawn_on=today)
        )
    elif action == "close" and story.calls:
        app.close_submissions(ctx, CloseSubmissions(call_id=pick(story.calls, a), closed_on=today))
    elif action == "decide" and story.candidacies:
        call, candidacy = pick(story.candidacies, a)
        outcome = Outcome.SELECTED if b % 2 else Outcome.REJECTED
        position = app.decide_candidacy(
            ctx,
            DecideCandidacy(
                call_id=call, candidacy_id=candidacy, outcome=outcome, decision=decision
            ),
        ).position
        story.decisions.append((call, candidacy, position))
    elif action == "reverse" and story.decisions:
        call, candidacy, _ = pick(story.decisions, a)
        latest = [d[2] for d in story.decisions if d[1] == candidacy][-1]
        outcome = Outcome.SELECTED if b % 2 else Outcome.REJECTED
        reversal = w.decision(today, reverses=latest)
        position = app.decide_candidacy(
            ctx,
            DecideCandidacy(
                call_id=call, candidacy_id=candidacy, outcome=outcome, decision=reversal
            ),
        ).position
        story.decisions.append((call, candidacy, position))
    elif action == "conclude" and story.calls:
        app.conclude_call(ctx, ConcludeCall(call_id=pick(story.calls, a), decision=decision))
    elif action == "propose":
        origin = pick(story.candidacies, a) if b % 2 and story.candidacies else None
        story.projects.append(
            app.propose_project(
                ctx,
                ProposeProject(
                    filiere_id=w.filiere,
                    title=f"Project {step}",
                    proposed_on=today,
                    origin_call_id=origin[0] if origin else None,
                    origin_candidacy_id=origin[1] if origin else None,
                ),
            ).id
        )
    elif action == "status" and story.projects:
        status = [ProjectStatus.APPROVED, ProjectStatus.IN_PROGRESS, ProjectStatus.ABANDONED][b % 3]
        needs_decision = status != ProjectStatus.IN_PROGRESS
        app.change_project_status(
            ctx,
            ChangeProjectStatus(
                project_id=pick(story.projects, a),
                status=status,
                effective_on=today,
                decision=decision if needs_decision else None,
            ),
        )
    elif action == "grant" and story.projects:
        by_state = b % 2 == 0
        story.fundings.append(
            app.grant_funding(
                ctx,
                GrantFunding(
                    project_id=pick(story.projects, a),
                    funder_id=w.state if by_state else w.association,
                    kind=FundingKind.GRANT,
                    decision=w.decision(today, by=(), body=w.state_body) if by_state else decision,
                    amount=amount,
                ),
            ).id
        )
    elif action in ("revise", "cancel") and story.fundings:
        funding_id = pick(story.fundings, a)
        funding = app.load(Funding, funding_id)
        by_state = funding.funder_id == w.state
        decided = w.decision(today, by=(), body=w.state_body) if by_state else decision
        if action == "revise":
            app.revise_funding_amount(
                ctx,
                ReviseFundingAmount(
                    funding_id=funding_id, amount=amount or Decimal("10.00"), decision=decided
                ),
            )
        else:
            app.cancel_funding(ctx, CancelFunding(funding_id=funding_id, decision=decided))
    elif action == "disburse" and story.fundings:
        app.record_disbursement(
            ctx,
            RecordDisbursement(
                funding_id=pick(story.fundings, a), amount=amount or Decimal("5.00"), paid_on=today
            ),
        )
    elif action == "rename":
        app.rename_organisation(
            ctx,
            RenameOrganisation(
                organisation_id=pick(organisations, a), name=f"Renamed {step}", effective_on=today
            ),
        )
    elif action == "join_group":
        app.join_project_group(
            ctx,
            JoinProjectGroup(
                filiere_id=w.filiere, organisation_id=pick(organisations, a), joined_on=today
            ),
        )
    elif action == "leave_group":
        app.leave_project_group(
            ctx,
            LeaveProjectGroup(
                filiere_id=w.filiere, organisation_id=pick(organisations, a), left_on=today
            ),
        )
    elif action == "lead_partner":
        app.change_lead_partner(
            ctx,
            ChangeLeadPartner(
                filiere_id=w.filiere,
                lead_partner_id=pick([w.partner_a, w.partner_b], a),
                decision=decision,
            ),
        )


def check_views_against_aggregates(services: Services, story: Story) -> None:
    app = services.app
    overview = services.read_models.filiere_overview(story.world.filiere)
    calls = [app.load(Call, c) for c in story.calls]
    statuses = [c.status for call in calls for c in call.candidacies.values()]
    assert overview.candidacies.submitted == len(statuses)
    assert overview.candidacies.selected == statuses.count(CandidacyStatus.SELECTED)
    assert overview.candidacies.rejected == statuses.count(CandidacyStatus.REJECTED)
    assert overview.candidacies.withdrawn == statuses.count(CandidacyStatus.WITHDRAWN)
    assert [(c.id, c.status) for c in overview.calls] == [(c.id, c.status.value) for c in calls]
    projects = [app.load(Project, p) for p in story.projects]
    for status, count in overview.projects_by_status.items():
        assert count == sum(p.status == status for p in projects)
    fundings = [app.load(Funding, f) for f in story.fundings]
    live = [f for f in fundings if not f.is_cancelled]
    assert overview.funding.granted == sum((f.amount or 0 for f in live), Decimal("0.00"))
    assert overview.funding.lines_without_amount == sum(f.amount is None for f in live)
    assert overview.funding.disbursed == sum((f.disbursed for f in fundings), Decimal("0.00"))
    lead = app.load(Filiere, story.world.filiere)
    assert overview.lead_partner.id == lead.lead_partner_id


@pytest.mark.reliability  # over ten seconds: `make reliability`
@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_views_built_command_by_command_equal_a_rebuild_and_the_aggregates(
    backend: str, request: pytest.FixtureRequest, steps: list[tuple[str, int, int, Decimal | None]]
) -> None:
    with fresh_store(backend, request) as database_url:
        services = build(database_url=database_url)
        try:
            story = Story(make_world(services.app, CommandContext(actor="world")))
            for step, (action, a, b, amount) in enumerate(steps):
                with suppress(DomainError):  # refused: the views must not have moved
                    play(services, story, step, action, a, b, amount)
            incremental = contents(services.views)
            check_views_against_aggregates(services, story)
            services.views.rebuild()
            assert contents(services.views) == incremental
        finally:
            services.close()
