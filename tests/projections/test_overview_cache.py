"""Today's overview is kept per process between reads: never older than the log it checks.

A worker keeps the overview it last read, with its version, until the log or
the views move. These tests read through one worker while another records
commands or rebuilds the views, as a second worker or the runner would.
"""

from collections.abc import Iterator
from datetime import date

import pytest

from api.bootstrap import Services, build
from application.context import CommandContext
from application.filiere_commands import JoinProjectGroup
from application.organisation_commands import RegisterOrganisation
from domain.errors import NotFoundError
from tests.world import World


@pytest.fixture
def writer(database_url: str) -> Iterator[Services]:
    """Another worker that records commands and keeps the views current itself."""
    built = build(database_url=database_url, follow_in_process=True)
    yield built
    built.close()


@pytest.fixture
def reader(database_url: str, writer: Services) -> Iterator[Services]:
    """A worker that only waits for the views, as with `--separate-projection-runner`."""
    built = build(database_url=database_url, follow_in_process=False)
    yield built
    built.close()


def test_a_command_in_another_worker_shows_in_the_next_read_with_its_version(
    writer: Services, reader: Services, world: World, ctx: CommandContext
) -> None:
    before, version = reader.read_models.current_filiere(world.filiere)
    assert reader.read_models.current_filiere(world.filiere) == (before, version)

    writer.app.join_project_group(
        ctx,
        JoinProjectGroup(
            filiere_id=world.filiere, organisation_id=world.company, joined_on=date(2010, 5, 1)
        ),
    )

    after, new_version = reader.read_models.current_filiere(world.filiere)
    assert [m.id for m in after.project_group] == [
        *(m.id for m in before.project_group),
        world.company,
    ]
    assert version is not None and new_version == version + 1
    assert reader.read_models.filiere_overview(world.filiere) == after


def test_an_unrelated_command_keeps_the_answer_and_version_the_same(
    writer: Services, reader: Services, world: World, ctx: CommandContext
) -> None:
    before = reader.read_models.current_filiere(world.filiere)
    writer.app.register_organisation(
        ctx,
        RegisterOrganisation(
            name="Another company", kind="company", registered_on=date(2011, 1, 1)
        ),
    )
    assert reader.read_models.current_filiere(world.filiere) == before


def test_a_rebuild_elsewhere_gives_the_same_overview(
    writer: Services, reader: Services, world: World, ctx: CommandContext
) -> None:
    before = reader.read_models.current_filiere(world.filiere)
    writer.views.rebuild()
    assert reader.read_models.current_filiere(world.filiere) == before
    writer.app.join_project_group(
        ctx,
        JoinProjectGroup(
            filiere_id=world.filiere, organisation_id=world.company, joined_on=date(2010, 5, 1)
        ),
    )
    overview, _ = reader.read_models.current_filiere(world.filiere)
    assert world.company in [m.id for m in overview.project_group]


def test_an_unknown_filiere_is_not_found_each_time(reader: Services, world: World) -> None:
    for _ in range(2):
        with pytest.raises(NotFoundError):
            reader.read_models.current_filiere(world.association)
