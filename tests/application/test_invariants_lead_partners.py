"""A lead partner must be a partner (refused); each partner leads an active filière (reported)."""

from datetime import date

from application.filiere_commands import ChangeLeadPartner, CloseFiliere, LaunchFiliere
from application.filieres_app import FilieresApplication
from application.organisation_commands import ArchiveOrganisation, RegisterOrganisation
from domain.errors import NotAPartnerError
from domain.filiere import Filiere
from tests.application.refusals import refused


def unled(app: FilieresApplication) -> list[str]:
    return [o.name for o in app.partners_without_active_filiere()]


def test_a_partner_leading_nothing_is_reported(app, world) -> None:
    assert unled(app) == ["Partner B"]


def test_a_partner_leading_a_new_filiere_is_no_longer_reported(app, ctx, world) -> None:
    app.launch_filiere(
        ctx,
        LaunchFiliere(
            name="Bois",
            kind="filiere",
            lead_partner_id=world.partner_b,
            decision=world.decision(date(2009, 3, 1)),
        ),
    )
    assert unled(app) == []


def test_a_new_partner_is_reported_until_it_leads(app, ctx, world) -> None:
    app.launch_filiere(
        ctx,
        LaunchFiliere(
            name="Bois",
            kind="filiere",
            lead_partner_id=world.partner_b,
            decision=world.decision(date(2009, 3, 1)),
        ),
    )
    newcomer = app.register_organisation(
        ctx, RegisterOrganisation(name="Partner N", kind="partner", registered_on=date(2010, 1, 1))
    ).id
    assert unled(app) == ["Partner N"]
    app.launch_filiere(
        ctx,
        LaunchFiliere(
            name="Roanne 2025",
            kind="axis",
            lead_partner_id=newcomer,
            decision=world.decision(date(2012, 12, 1)),
        ),
    )
    assert unled(app) == []


def test_the_lead_of_a_closed_filiere_is_reported_again(app, ctx, world) -> None:
    app.close_filiere(
        ctx, CloseFiliere(filiere_id=world.filiere, decision=world.decision(date(2013, 6, 1)))
    )
    assert unled(app) == ["Partner A", "Partner B"]


def test_a_change_of_lead_moves_the_report(app, ctx, world) -> None:
    app.change_lead_partner(
        ctx,
        ChangeLeadPartner(
            filiere_id=world.filiere,
            lead_partner_id=world.partner_b,
            decision=world.decision(date(2010, 1, 1)),
        ),
    )
    assert unled(app) == ["Partner A"]


def test_the_report_does_not_block_and_ignores_archived_partners(app, ctx, world) -> None:
    app.archive_organisation(
        ctx, ArchiveOrganisation(organisation_id=world.partner_b, effective_on=date(2012, 1, 1))
    )
    assert unled(app) == []


def test_a_company_cannot_lead_a_filiere(app, ctx, world) -> None:
    with refused(
        app,
        NotAPartnerError,
        "'Company C' is of kind company; a lead partner \\(chef de file\\) must be a partner",
    ):
        app.launch_filiere(
            ctx,
            LaunchFiliere(
                name="Bois",
                kind="filiere",
                lead_partner_id=world.company,
                decision=world.decision(date(2010, 1, 1)),
            ),
        )


def test_the_lead_cannot_pass_to_a_public_body(app, ctx, world) -> None:
    with refused(
        app, NotAPartnerError, "'Région' is of kind public_body", (Filiere, world.filiere)
    ):
        app.change_lead_partner(
            ctx,
            ChangeLeadPartner(
                filiere_id=world.filiere,
                lead_partner_id=world.region,
                decision=world.decision(date(2010, 1, 1)),
            ),
        )
    assert app.load(Filiere, world.filiere).lead_partner_id == world.partner_a
