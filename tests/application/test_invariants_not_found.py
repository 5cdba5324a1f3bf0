"""Unknown ids are refused as not found (404), and nothing is written."""

from collections.abc import Callable
from datetime import date
from uuid import UUID, uuid4

import pytest

from application.body_commands import ConstituteBody, DeclareConflictOfInterest, SeatMember
from application.call_commands import DecideCandidacy, LaunchCall, SubmitCandidacy
from application.context import CommandContext
from application.filiere_commands import ChangeLeadPartner, LaunchFiliere
from application.filieres_app import FilieresApplication
from application.funding_commands import GrantFunding, RecordDisbursement, ReviseFundingAmount
from application.organisation_commands import ArchiveOrganisation, RenameOrganisation
from application.project_commands import ChangeProjectStatus, ProposeProject
from domain.call import Call
from domain.errors import NotFoundError
from domain.filiere import Filiere
from domain.funding import Funding
from domain.governing_body import GoverningBody
from domain.organisation import Organisation
from domain.project import Project, ProjectPartner
from tests.application.refusals import DECIDED_ON, a_project, aggregate_label, closed_call, refused
from tests.world import World

AGGREGATES = [Organisation, GoverningBody, Filiere, Call, Project, Funding]


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
        lambda a, c, w, u, p: a.rename_organisation(
            c, RenameOrganisation(organisation_id=u, name="X", effective_on=D)
        ),
    ),
    "archive an unknown organisation": (
        "no organisation",
        lambda a, c, w, u, p: a.archive_organisation(
            c, ArchiveOrganisation(organisation_id=u, effective_on=D)
        ),
    ),
    "seat in an unknown body": (
        "no governing body",
        lambda a, c, w, u, p: a.seat_member(
            c,
            SeatMember(body_id=u, person="X", organisation_id=w.partner_a, role="voting", from_=D),
        ),
    ),
    "seat for an unknown organisation": (
        "no organisation",
        lambda a, c, w, u, p: a.seat_member(
            c, SeatMember(body_id=w.bureau, person="X", organisation_id=u, role="voting", from_=D)
        ),
    ),
    "an external body of an unknown organisation": (
        "no organisation",
        lambda a, c, w, u, p: a.constitute_body(
            c, ConstituteBody(name="X", kind="external", constituted_on=D, organisation_id=u)
        ),
    ),
    "declare a conflict with an unknown organisation": (
        "no organisation",
        lambda a, c, w, u, p: a.declare_conflict_of_interest(
            c,
            DeclareConflictOfInterest(
                body_id=w.bureau,
                person="Présidente A",
                organisation_id=u,
                declared_on=D,
                reason="r",
            ),
        ),
    ),
    "a decision of an unknown body": (
        "no governing body",
        lambda a, c, w, u, p: a.launch_filiere(
            c,
            LaunchFiliere(
                name="Bois",
                kind="filiere",
                lead_partner_id=w.partner_b,
                decision=w.decision(D, body=u),
            ),
        ),
    ),
    "an unknown lead partner": (
        "no organisation",
        lambda a, c, w, u, p: a.launch_filiere(
            c, LaunchFiliere(name="Bois", kind="filiere", lead_partner_id=u, decision=w.decision(D))
        ),
    ),
    "change the lead of an unknown filière": (
        "no filiere",
        lambda a, c, w, u, p: a.change_lead_partner(
            c, ChangeLeadPartner(filiere_id=u, lead_partner_id=w.partner_b, decision=w.decision(D))
        ),
    ),
    "a call in an unknown filière": (
        "no filiere",
        lambda a, c, w, u, p: a.launch_call(
            c,
            LaunchCall(
                filiere_id=u,
                title="Appel",
                kind="call_for_projects",
                issuer_id=w.association,
                opens_on=D,
                closes_on=D,
                decision=w.decision(D),
            ),
        ),
    ),
    "a call by an unknown issuer": (
        "no organisation",
        lambda a, c, w, u, p: a.launch_call(
            c,
            LaunchCall(
                filiere_id=w.filiere,
                title="Appel",
                kind="call_for_projects",
                issuer_id=u,
                opens_on=D,
                closes_on=D,
                decision=w.decision(D),
            ),
        ),
    ),
    "a candidacy to an unknown call": (
        "no call",
        lambda a, c, w, u, p: a.submit_candidacy(
            c, SubmitCandidacy(call_id=u, candidate_id=w.company, project_title="P", submitted_on=D)
        ),
    ),
    "a project in an unknown filière": (
        "no filiere",
        lambda a, c, w, u, p: a.propose_project(
            c, ProposeProject(filiere_id=u, title="P", proposed_on=D)
        ),
    ),
    "a project with an unknown partner": (
        "no organisation",
        lambda a, c, w, u, p: a.propose_project(
            c,
            ProposeProject(
                filiere_id=w.filiere,
                title="P",
                proposed_on=D,
                partners=(ProjectPartner(organisation_id=u, role="r"),),
            ),
        ),
    ),
    "a project from an unknown call": (
        "no call",
        lambda a, c, w, u, p: a.propose_project(
            c,
            ProposeProject(
                filiere_id=w.filiere,
                title="P",
                proposed_on=D,
                origin_call_id=u,
                origin_candidacy_id=uuid4(),
            ),
        ),
    ),
    "the status of an unknown project": (
        "no project",
        lambda a, c, w, u, p: a.change_project_status(
            c, ChangeProjectStatus(project_id=u, status="in_progress", effective_on=D)
        ),
    ),
    "funding an unknown project": (
        "no project",
        lambda a, c, w, u, p: a.grant_funding(
            c,
            GrantFunding(
                project_id=u, funder_id=w.association, kind="study", decision=w.decision(D)
            ),
        ),
    ),
    "funding by an unknown funder": (
        "no organisation",
        lambda a, c, w, u, p: a.grant_funding(
            c, GrantFunding(project_id=p, funder_id=u, kind="study", decision=w.decision(D))
        ),
    ),
    "paying an unknown funding": (
        "no funding",
        lambda a, c, w, u, p: a.record_disbursement(
            c, RecordDisbursement(funding_id=u, amount="10.00", paid_on=D)
        ),
    ),
    "revising an unknown funding": (
        "no funding",
        lambda a, c, w, u, p: a.revise_funding_amount(
            c, ReviseFundingAmount(funding_id=u, amount="10.00", decision=w.decision(D))
        ),
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
        app.decide_candidacy(
            ctx,
            DecideCandidacy(
                call_id=call_id,
                candidacy_id=unknown,
                outcome="selected",
                decision=world.decision(DECIDED_ON),
            ),
        )
