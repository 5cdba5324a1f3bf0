"""`filieres export subventions`: the same file as the API, what it left out on stderr."""

from datetime import date

from typer.testing import CliRunner

from api.bootstrap import build
from api.cli.app import app as cli
from application.context import CommandContext
from application.funding_commands import GrantFunding, SignFundingAgreement
from application.organisation_commands import RegisterOrganisation, SetOrganisationIdentifiers
from application.project_commands import ProposeProject
from application.reports.subventions import COLUMNS
from tests.api.public_funding_steps import COMPANY_SIRET, FUNDER_SIRET, agreement
from tests.api.test_open_data import assert_valid_scdl
from tests.world import make_world

CTX = CommandContext(actor="test")


def test_a_funder_exports_its_year_to_a_file(database_url, tmp_path):
    services = build(database_url=database_url)
    app = services.app
    try:
        world = make_world(app, CTX)
        app.execute(
            CTX, SetOrganisationIdentifiers(organisation_id=world.association, siret=FUNDER_SIRET)
        )
        company = app.execute(
            CTX, RegisterOrganisation(name="Scierie", kind="company", siret=COMPANY_SIRET)
        ).id
        project = app.execute(
            CTX,
            ProposeProject(
                filiere_id=world.filiere,
                title="Scierie mobile",
                proposed_on=date(2023, 1, 5),
                estimated_budget="80000.00",
            ),
        ).id

        def grant(amount: str | None) -> object:
            command = GrantFunding(
                project_id=project,
                funder_id=world.association,
                beneficiary_id=company,
                kind="grant",
                amount=amount,
                decision=world.decision(date(2024, 1, 10)),
            )
            return app.execute(CTX, command).id

        signed, unsigned = grant("20000.00"), grant(None)
        app.execute(
            CTX,
            SignFundingAgreement.model_validate({"funding_id": signed, **agreement("2024-02-01")}),
        )
    finally:
        services.close()
    output = tmp_path / "subventions.csv"

    result = CliRunner().invoke(
        cli,
        [
            "export",
            "subventions",
            "--funder",
            str(world.association),
            "--year",
            "2024",
            "--output",
            str(output),
            "--database-url",
            database_url,
        ],
    )

    assert result.exit_code == 0, result.output
    lines = output.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert len(lines) == 2 and lines[1].endswith(",non,0.25,")
    assert_valid_scdl(output)
    assert f"left out: funding {unsigned}: no amount known; no agreement signed" in result.output
