"""A stale expected version, or a concurrent writer, is refused (409) and writes nothing."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from uuid import UUID

import pytest

from application.body_commands import HoldMeeting
from application.call_commands import SubmitCandidacy
from application.context import CommandContext
from application.filiere_commands import SetObjective
from application.filieres_app import FilieresApplication
from application.funding_commands import GrantFunding, RecordDisbursement
from application.organisation_commands import RenameOrganisation
from application.project_commands import ReachMilestone
from domain.base import Aggregate
from domain.call import Call
from domain.errors import ConcurrencyError, StaleVersionError
from domain.filiere import Filiere
from domain.funding import Funding
from domain.governing_body import GoverningBody
from domain.organisation import Organisation
from domain.project import Project
from infrastructure.persistence import event_store_env
from tests.application.refusals import OPENS, a_project, aggregate_label, open_call, refused
from tests.world import World

D = date(2012, 1, 10)


def a_funding(app: FilieresApplication, ctx: CommandContext, world: World) -> UUID:
    project = a_project(app, ctx, world)
    return app.grant_funding(
        ctx,
        GrantFunding(
            project_id=project,
            funder_id=world.association,
            kind="study",
            decision=world.decision(D),
            amount="1000.00",
        ),
    ).id


def an_open_call(app: FilieresApplication, ctx: CommandContext, world: World) -> UUID:
    return open_call(app, ctx, world)


# For each aggregate type: how to find one, and a command taking expected_version.
Given = Callable[[FilieresApplication, CommandContext, World], UUID]
Update = Callable[[FilieresApplication, CommandContext, World, UUID, int], object]
CASES: dict[str, tuple[type[Aggregate], Given, Update]] = {
    "organisation": (
        Organisation,
        lambda a, c, w: w.company,
        lambda a, c, w, i, v: a.rename_organisation(
            c,
            RenameOrganisation(
                organisation_id=i, name="Company D", effective_on=D, expected_version=v
            ),
        ),
    ),
    "governing body": (
        GoverningBody,
        lambda a, c, w: w.bureau,
        lambda a, c, w, i, v: a.hold_meeting(
            c, HoldMeeting(body_id=i, held_on=D, attendees=("Présidente A",), expected_version=v)
        ),
    ),
    "filière": (
        Filiere,
        lambda a, c, w: w.filiere,
        lambda a, c, w, i, v: a.set_objective(
            c, SetObjective(filiere_id=i, objective="Abattoir", effective_on=D, expected_version=v)
        ),
    ),
    "call": (
        Call,
        an_open_call,
        lambda a, c, w, i, v: a.submit_candidacy(
            c,
            SubmitCandidacy(
                call_id=i,
                candidate_id=w.company,
                project_title="P",
                submitted_on=OPENS,
                expected_version=v,
            ),
        ),
    ),
    "project": (
        Project,
        a_project,
        lambda a, c, w, i, v: a.reach_milestone(
            c, ReachMilestone(project_id=i, label="Étude rendue", reached_on=D, expected_version=v)
        ),
    ),
    "funding": (
        Funding,
        a_funding,
        lambda a, c, w, i, v: a.record_disbursement(
            c, RecordDisbursement(funding_id=i, amount="10.00", paid_on=D, expected_version=v)
        ),
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_a_stale_expected_version_is_refused(app, ctx, world, name: str) -> None:
    kind, given, update = CASES[name]
    aggregate_id = given(app, ctx, world)
    current = app.load(kind, aggregate_id).version
    with refused(
        app,
        StaleVersionError,
        f"{aggregate_label(kind)} {aggregate_id} is at version {current}, not {current - 1}",
        (kind, aggregate_id),
    ):
        update(app, ctx, world, aggregate_id, current - 1)
    with refused(app, StaleVersionError, f"not {current + 1}", (kind, aggregate_id)):
        update(app, ctx, world, aggregate_id, current + 1)


@pytest.mark.parametrize("name", CASES)
def test_the_current_expected_version_is_accepted(app, ctx, world, name: str) -> None:
    kind, given, update = CASES[name]
    aggregate_id = given(app, ctx, world)
    current = app.load(kind, aggregate_id).version
    result = update(app, ctx, world, aggregate_id, current)
    assert result.version == current + 1  # type: ignore[attr-defined]
    assert app.load(kind, aggregate_id).version == current + 1


@pytest.fixture
def second_app(database_url: str, app: FilieresApplication):
    """Another application instance on the same store, like a second API worker."""
    other = FilieresApplication(event_store_env(database_url))
    yield other
    other.close()


def test_of_two_concurrent_writers_the_second_is_refused(app, second_app, ctx, world) -> None:
    mine = app.load(Organisation, world.company)
    theirs = second_app.load(Organisation, world.company)
    mine.rename("Company D", D)
    theirs.rename("Company E", D)
    app.record(ctx, mine)
    before = app.event_count()

    with pytest.raises(ConcurrencyError, match="another command changed the same aggregate"):
        second_app.record(ctx, theirs)

    assert app.event_count() == second_app.event_count() == before
    for reader in (app, second_app):
        stored = reader.load(Organisation, world.company)
        assert (stored.name, stored.version) == ("Company D", mine.version)


def test_a_refused_concurrent_save_writes_none_of_its_aggregates(
    app, second_app, ctx, world
) -> None:
    funding_id = a_funding(app, ctx, world)
    mine = app.load(Funding, funding_id)
    theirs = second_app.load(Funding, funding_id)
    other = second_app.load(Organisation, world.company)
    mine.record_disbursement(Decimal("600.00"), D)
    theirs.record_disbursement(Decimal("600.00"), D)
    other.rename("Company E", D)
    app.record(ctx, mine)
    before = app.event_count()

    with pytest.raises(ConcurrencyError):
        second_app.record(ctx, other, theirs)

    assert app.event_count() == before
    assert app.load(Funding, funding_id).disbursed == Decimal("600.00")
    assert app.load(Organisation, world.company).name == "Company C"
