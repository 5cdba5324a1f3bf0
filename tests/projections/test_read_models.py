"""The queries API clients will use: the register's filters and pages, ids, reversals, freshness."""

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import date
from decimal import Decimal
from uuid import uuid4

import pytest

from api.bootstrap import Services, build
from application.call_commands import CloseSubmissions, DecideCandidacy, Outcome, SubmitCandidacy
from application.context import CommandContext
from application.filiere_commands import JoinProjectGroup
from application.projections.records import RegisterFilter
from application.roannais_history import RoannaisIds
from domain.errors import InvalidValueError, NotFoundError
from tests.application.refusals import CLOSED_ON, DECIDED_ON, closed_call, open_call
from tests.conftest import BACKENDS, WORLD, demo_copy, world_copy
from tests.world import World

DEMO_IDS = pytest.StashKey[RoannaisIds]()


@pytest.fixture(params=BACKENDS)
def services(request: pytest.FixtureRequest) -> Iterator[Services]:
    """The composition root on a store of its own, on SQLite then PostgreSQL: for a test that
    takes `demo`, a copy of the demo recorded once per run; an empty store for the others."""
    if "demo" in request.fixturenames:
        store: AbstractContextManager[tuple[str, RoannaisIds | None]] = demo_copy(
            request.param, request
        )
    elif "world" in request.fixturenames:
        store = _with_no_ids(world_copy(request.param, request))
    else:
        store = nullcontext((request.getfixturevalue(f"{request.param}_url"), None))
    with store as (url, ids):
        if ids is not None:
            request.node.stash[DEMO_IDS] = ids
        built = build(database_url=url)
        yield built
        built.close()


@contextmanager
def _with_no_ids(store: AbstractContextManager[str]) -> Iterator[tuple[str, None]]:
    with store as url:
        yield url, None


@pytest.fixture
def demo(services: Services, request: pytest.FixtureRequest) -> RoannaisIds:
    return request.node.stash[DEMO_IDS]


@pytest.fixture
def world(services: Services, request: pytest.FixtureRequest) -> World:
    """The world `services`' store holds (as the root `world`, on this module's stores)."""
    return request.node.stash[WORLD]


def test_paging_the_register_seven_at_a_time_gives_every_decision_once_in_order(
    services: Services, demo: RoannaisIds
) -> None:
    everything = services.read_models.decisions(limit=1000).items
    # 6 launches; Viandes: its call, 7 outcomes, its conclusion, 4 approvals; the approvals of
    # the Déconstruction and Écologie industrielle projects; the wood-energy study; the AMI;
    # the State's support. (The Bois actions are no bureau approvals: the sheet reports none.)
    assert len(everything) == 6 + 1 + 7 + 1 + 4 + 2 + 1 + 1 + 1 == 24
    paged, cursor = [], None
    while True:
        page = services.read_models.decisions(limit=7, cursor=cursor)
        paged.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert paged == everything
    keys = [(e.decided_on, e.position) for e in everything]
    assert keys == sorted(keys)


def test_register_filters_by_body_person_filiere_and_dates(
    services: Services, demo: RoannaisIds
) -> None:
    decisions = services.read_models.decisions
    (state,) = decisions(RegisterFilter(body_id=demo.state_body)).items
    assert (state.event, state.amount, state.decided_by) == ("Funding.Granted", None, [])
    assert state.filiere_id == demo.filieres["deconstruction"]

    # The sheet names no one who decided: the bureau's decisions name no person.
    by_georges = decisions(RegisterFilter(person="Georges Bernat"), limit=1000).items
    by_bureau = decisions(RegisterFilter(body_id=demo.bureau), limit=1000).items
    assert by_georges == [] and by_bureau
    assert all(entry.decided_by == [] for entry in by_bureau)
    assert decisions(RegisterFilter(person="Nobody"), limit=1000).items == []

    january_2012 = decisions(
        RegisterFilter(date_from=date(2012, 1, 1), date_to=date(2012, 1, 31)), limit=1000
    ).items
    assert {e.filiere_name for e in january_2012} == {"Viandes"}
    assert [e.event for e in january_2012].count("Call.CandidacySelected") == 4

    viandes = decisions(RegisterFilter(filiere_id=demo.filieres["viandes"]), limit=1000)
    assert all(e.filiere_id == demo.filieres["viandes"] for e in viandes.items)
    assert len(viandes.items) == 1 + 1 + 7 + 1 + 4  # launch, call, 7 outcomes, conclusion, projects


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 1001}, "limit"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"where": RegisterFilter(date_from=date(2013, 1, 1), date_to=date(2012, 1, 1))}, "after"),
    ],
)
def test_malformed_register_queries_are_refused(
    services: Services, arguments: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidValueError, match=message):
        services.read_models.decisions(**arguments)  # type: ignore[arg-type]


def test_unknown_ids_are_not_found(services: Services, demo: RoannaisIds) -> None:
    unknown = uuid4()
    read = services.read_models
    for query in (read.filiere_overview, read.call, read.project, read.funding):
        with pytest.raises(NotFoundError, match=str(unknown)):
            query(unknown)
    with pytest.raises(NotFoundError):
        read.calls_of_filiere(unknown)
    assert [c.id for c in read.calls_of_filiere(demo.filieres["viandes"])] == [demo.viandes_call]
    assert read.funding(demo.state_funding).amount is None


def test_a_reversal_moves_the_candidacy_and_links_both_register_rows(
    services: Services, world: World, ctx: CommandContext
) -> None:
    app = services.app
    call, (candidacy,) = closed_call(app, ctx, world, "Abattoir mobile")
    selected = app.decide_candidacy(
        ctx,
        DecideCandidacy(
            call_id=call,
            candidacy_id=candidacy,
            outcome=Outcome.SELECTED,
            decision=world.decision(DECIDED_ON),
        ),
    ).position
    overview = services.read_models.filiere_overview(world.filiere)
    assert (overview.candidacies.selected, overview.candidacies.rejected) == (1, 0)

    reversal = world.decision(date(2011, 10, 1), reverses=selected)
    rejected = app.decide_candidacy(
        ctx,
        DecideCandidacy(
            call_id=call, candidacy_id=candidacy, outcome=Outcome.REJECTED, decision=reversal
        ),
    ).position

    overview = services.read_models.filiere_overview(world.filiere)
    assert (overview.candidacies.selected, overview.candidacies.rejected) == (0, 1)
    rows = {e.position: e for e in services.read_models.decisions(limit=1000).items}
    assert rows[selected].reversed_by == rejected
    assert rows[rejected].reverses == selected
    assert rows[rejected].subject == "Abattoir mobile"
    assert overview.last_decision is not None
    assert overview.last_decision.position == rejected


def test_the_same_candidacy_id_in_two_calls_counts_twice(
    services: Services, world: World, ctx: CommandContext
) -> None:
    app, shared = services.app, uuid4()
    calls = [open_call(app, ctx, world), open_call(app, ctx, world)]
    for call, amount in zip(calls, ("1000.00", "2000.00"), strict=True):
        app.submit_candidacy(
            ctx,
            SubmitCandidacy(
                call_id=call,
                candidate_id=world.company,
                project_title="Même identifiant",
                submitted_on=date(2011, 3, 2),
                requested_amount=amount,
                candidacy_id=shared,
            ),
        )
        app.close_submissions(ctx, CloseSubmissions(call_id=call, closed_on=CLOSED_ON))
        app.decide_candidacy(
            ctx,
            DecideCandidacy(
                call_id=call,
                candidacy_id=shared,
                outcome=Outcome.SELECTED,
                decision=world.decision(DECIDED_ON),
            ),
        )

    overview = services.read_models.filiere_overview(world.filiere)
    assert (overview.candidacies.submitted, overview.candidacies.selected) == (2, 2)
    selections = [
        e for e in services.read_models.decisions(limit=1000).items if e.candidacy_id == shared
    ]
    assert sorted(e.amount for e in selections) == [Decimal("1000.00"), Decimal("2000.00")]


def test_a_read_in_another_worker_reflects_a_command_answered_before_it(
    services: Services, world: World, ctx: CommandContext
) -> None:
    other_worker = build(database_url=services.settings.database_url)
    try:
        before = other_worker.read_models.filiere_overview(world.filiere)
        services.app.join_project_group(
            ctx,
            JoinProjectGroup(
                filiere_id=world.filiere, organisation_id=world.company, joined_on=date(2010, 5, 1)
            ),
        )
        after = other_worker.read_models.filiere_overview(world.filiere)
    finally:
        other_worker.close()
    assert before.project_group == []
    assert [m.name for m in after.project_group] == ["Company C"]
    assert after.version_position > before.version_position
