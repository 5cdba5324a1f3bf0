"""Unknown ids are refused as not found (404), and nothing is written."""

from collections.abc import Callable
from datetime import date
from uuid import UUID, uuid4

import pytest

from application.context import CommandContext
from application.filieres_app import FilieresApplication
from domain.call import Call
from domain.errors import NotFoundError
from domain.filiere import Filiere
from domain.funding import Funding
from domain.governing_body import GoverningBody
from domain.organisation import Organisation
from domain.project import Project, ProjectPartner
from tests.application.refusals import DECIDED_ON, a_project, aggregate_label, closed_call, refused
from tests.world import World, make_world

AGGREGATES = [Organisation, GoverningBody, Filiere, Call, Project, Funding]


@pytest.fixture
def world(app: FilieresApplication, ctx: CommandContext) -> World:
    return make_world(app, ctx)


@pytest.mark.parametrize("kind", AGGREGATES, ids=lambda k: k.__name__)
def test_loading_an_unknown_id_is_not_found(app, world, kind) -> None:
    unknown = uuid4()
    with refused(app, NotFoundError, f"no {aggregate_label(kind)} with id {unknown}"):
        app.load(kind, unknown)


@pytest.mark.parametrize(
    "kind", [Call, Filiere, Project, Funding, GoverningBody], ids=lambda k: k.__name__
)
def test_an_organisation_id_is_not_found_as_another_kind(app, world, kind) -> None:
    with refused(app, NotFoundError, f"no {aggregate_label(kind)} with id {world.company}"):
        app.load(kind, world.company)
    assert app.load(Organisation, world.company).name == "Company C"


def test_a_version_that_does_not_exist_is_not_found(app, world) -> None:
    version = app.load(Organisation, world.company).version
    with refused(app, NotFoundError, f"organisation {world.company} has no version 5"):
        app.load(Organisation, world.company, version=version + 4)


# Each command gets the app, the context, the world, the unknown id and a project.
Command = Callable[[FilieresApplication, CommandContext, World, UUID, UUID], object]
D = date(2012, 1, 10)

COMMANDS: dict[str, tuple[str, Command]] = {
    "rename an unknown organisation": (
        "no organisation",
        lambda a, c, w, u, p: a.rename_organisation(c, u, "X", D),
    ),
    "archive an unknown organisation": (
        "no organisation",
        lambda a, c, w, u, p: a.archive_organisation(c, u, D),
    ),
    "seat in an unknown body": (
        "no governing body",
        lambda a, c, w, u, p: a.seat_member(c, u, "X", w.partner_a, "voting", D),
    ),
    "seat for an unknown organisation": (
        "no organisation",
        lambda a, c, w, u, p: a.seat_member(c, w.bureau, "X", u, "voting", D),
    ),
    "an external body of an unknown organisation": (
        "no organisation",
        lambda a, c, w, u, p: a.constitute_body(c, "X", "external", D, u),
    ),
    "declare a conflict with an unknown organisation": (
        "no organisation",
        lambda a, c, w, u, p: a.declare_conflict_of_interest(
            c, w.bureau, "Présidente A", u, D, "r"
        ),
    ),
    "a decision of an unknown body": (
        "no governing body",
        lambda a, c, w, u, p: a.launch_filiere(
            c, "Bois", "filiere", w.partner_b, w.decision(D, body=u)
        ),
    ),
    "an unknown lead partner": (
        "no organisation",
        lambda a, c, w, u, p: a.launch_filiere(c, "Bois", "filiere", u, w.decision(D)),
    ),
    "change the lead of an unknown filière": (
        "no filiere",
        lambda a, c, w, u, p: a.change_lead_partner(c, u, w.partner_b, w.decision(D)),
    ),
    "a call in an unknown filière": (
        "no filiere",
        lambda a, c, w, u, p: a.launch_call(
            c, u, "Appel", "call_for_projects", w.association, D, D, w.decision(D)
        ),
    ),
    "a call by an unknown issuer": (
        "no organisation",
        lambda a, c, w, u, p: a.launch_call(
            c, w.filiere, "Appel", "call_for_projects", u, D, D, w.decision(D)
        ),
    ),
    "a candidacy to an unknown call": (
        "no call",
        lambda a, c, w, u, p: a.submit_candidacy(c, u, w.company, "P", D),
    ),
    "a project in an unknown filière": (
        "no filiere",
        lambda a, c, w, u, p: a.propose_project(c, u, "P", D),
    ),
    "a project with an unknown partner": (
        "no organisation",
        lambda a, c, w, u, p: a.propose_project(
            c, w.filiere, "P", D, (ProjectPartner(organisation_id=u, role="r"),)
        ),
    ),
    "a project from an unknown call": (
        "no call",
        lambda a, c, w, u, p: a.propose_project(
            c, w.filiere, "P", D, origin_call_id=u, origin_candidacy_id=uuid4()
        ),
    ),
    "the status of an unknown project": (
        "no project",
        lambda a, c, w, u, p: a.change_project_status(c, u, "in_progress", D),
    ),
    "funding an unknown project": (
        "no project",
        lambda a, c, w, u, p: a.grant_funding(c, u, w.association, "study", w.decision(D)),
    ),
    "funding by an unknown funder": (
        "no organisation",
        lambda a, c, w, u, p: a.grant_funding(c, p, u, "study", w.decision(D)),
    ),
    "paying an unknown funding": (
        "no funding",
        lambda a, c, w, u, p: a.record_disbursement(c, u, "10.00", D),
    ),
    "revising an unknown funding": (
        "no funding",
        lambda a, c, w, u, p: a.revise_funding_amount(c, u, "10.00", w.decision(D)),
    ),
}


@pytest.mark.parametrize("name", COMMANDS)
def test_a_command_naming_an_unknown_id_is_not_found(app, ctx, world, name: str) -> None:
    match, command = COMMANDS[name]
    project, unknown = a_project(app, ctx, world), uuid4()
    with refused(app, NotFoundError, f"{match} with id {unknown}"):
        command(app, ctx, world, unknown, project)


def test_deciding_an_unknown_candidacy_is_not_found(app, ctx, world) -> None:
    call_id, _ = closed_call(app, ctx, world)
    unknown = uuid4()
    with refused(
        app, NotFoundError, f"call 'Appel Viandes' has no candidacy {unknown}", (Call, call_id)
    ):
        app.decide_candidacy(ctx, call_id, unknown, "selected", world.decision(DECIDED_ON))
