"""Commands as data: each command class has its handler, and any caller may run it."""

from datetime import date

import pytest

from application.command import Command
from application.filieres_app import FilieresApplication
from application.organisation_commands import RegisterOrganisation
from domain.organisation import Organisation


def command_classes(base: type[Command] = Command) -> set[type[Command]]:
    """Every command class the application declares that no other derives from."""
    found = set()
    for subclass in base.__subclasses__():
        if subclass.__subclasses__():
            found |= command_classes(subclass)
        elif subclass.__module__.startswith("application."):
            found.add(subclass)
    return found


def test_every_command_class_has_exactly_one_handler_and_every_handler_a_command() -> None:
    assert len(command_classes()) >= 29
    assert set(FilieresApplication.handlers) == command_classes()


def test_execute_runs_a_command_through_the_handler_of_its_class(app, ctx) -> None:
    command = RegisterOrganisation(name="Scierie", kind="company", registered_on=date(2010, 1, 1))

    result = app.execute(ctx, command)

    organisation = app.load(Organisation, result.id)
    assert (organisation.name, organisation.registered_on) == ("Scierie", date(2010, 1, 1))


def test_a_command_without_a_handler_is_refused_and_nothing_written(app, ctx) -> None:
    class Unhandled(Command):
        pass

    with pytest.raises(TypeError, match="no handler for Unhandled"):
        app.execute(ctx, Unhandled())
    assert app.event_count() == 0
