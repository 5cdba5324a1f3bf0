"""Checks that span aggregates hold when two commands race: the second save is refused.

Each command below checks against what it read before the other saved, as two
requests served at once would; the store then keeps only the first.
"""

from datetime import date
from decimal import Decimal

import pytest

from application.context import CommandContext
from application.filieres_app import FilieresApplication
from application.project_commands import ProposeProject
from domain.errors import ConcurrencyError
from domain.funding import Funding
from domain.identifier_claim import IdentifierScheme
from domain.organisation import Organisation
from domain.project import Project
from infrastructure.persistence import event_store_env
from tests.world import make_world

D = date(2024, 1, 10)
SIRET = "73282932000074"
CTX = CommandContext(actor="test")


@pytest.fixture
def other(app: FilieresApplication, database_url: str):
    """A second application on the same store, as another server process would be."""
    second = FilieresApplication(event_store_env(database_url))
    yield second
    second.close()


def test_two_organisations_claiming_one_siret_at_once(app, other) -> None:
    def registered(name: str) -> Organisation:
        organisation = Organisation(name=name, kind="company", effective_on=D)
        organisation.set_identifiers(None, SIRET, None, D)
        return organisation

    first, second = registered("Scierie"), registered("Menuiserie")
    first_claims = app.claims(first, dict.fromkeys(IdentifierScheme), D)
    second_claims = other.claims(second, dict.fromkeys(IdentifierScheme), D)  # looks free too
    app.record(CTX, first, *first_claims)
    count = app.event_count()

    with pytest.raises(ConcurrencyError):
        other.record(CTX, second, *second_claims)

    assert other.event_count() == count
    with pytest.raises(Exception, match="no organisation"):
        other.load(Organisation, second.id)


def test_two_funders_granting_one_project_past_its_budget_at_once(app, other) -> None:
    world = make_world(app, CTX)
    project_id = app.execute(
        CTX,
        ProposeProject(
            filiere_id=world.filiere,
            title="Scierie mobile",
            proposed_on=date(2023, 1, 5),
            estimated_budget="100000.00",
        ),
    ).id
    project = app.load(Project, project_id)

    def line(application: FilieresApplication, funder: Organisation) -> tuple[Funding, list]:
        funding = Funding.grant(project, funder, "grant", world.decision(D), Decimal("60000.00"))
        return funding, application.financed(funding, project, D)

    association, region = (
        app.load(Organisation, world.association),
        app.load(Organisation, world.region),
    )
    first, first_checked = line(app, association)
    second, second_checked = line(other, region)  # each alone fits the budget
    app.record(CTX, first, *first_checked)
    count = app.event_count()

    with pytest.raises(ConcurrencyError):
        other.record(CTX, second, *second_checked)

    assert other.event_count() == count
