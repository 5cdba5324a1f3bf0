"""Public funding over HTTP: beneficiary, co-financing, agreement, recovery, de minimis.

Each refusal is a problem with its status and code, and writes nothing.
"""

from api.bootstrap import Services
from infrastructure.auth_store import Role
from tests.api.http import assert_problem, bearer, event_count
from tests.api.public_funding_steps import (
    ASSOCIATION_RNA,
    COMPANY_SIRET,
    agreement,
    grant_body,
    ok,
    organisation,
    project,
)
from tests.projections.conftest import contents
from tests.projections.test_exactly_once import rebuilt_contents


def refused(client, services: Services, path: str, body, headers, status: int, code: str, *words):
    before = event_count(services)
    problem = assert_problem(client.post(path, json=body, headers=headers), status, *words)
    assert problem["code"] == code, problem
    assert event_count(services) == before, "a refused command wrote to the log"
    return problem


def test_a_grant_names_its_beneficiary_and_the_nature_of_the_aid(
    client, recorder, reader, world, services
):
    company = organisation(client, recorder, "Scierie du Roannais", siret=COMPANY_SIRET)
    project_id = project(client, recorder, world, "100000.00")
    body = grant_body(world, project_id, company, "60000.00", nature="cash_and_in_kind")
    funding = ok(client.post("/fundings", json=body, headers=recorder), 201)["id"]
    line = ok(client.get(f"/fundings/{funding}", headers=reader))
    assert (line["beneficiary_id"], line["nature"], line["share_of_budget"]) == (
        company,
        "cash_and_in_kind",
        "0.6000",
    )
    unknown_form = grant_body(world, project_id, None, None, kind="unknown", nature=None)
    line = ok(client.post("/fundings", json=unknown_form, headers=recorder), 201)
    read = ok(client.get(f"/fundings/{line['id']}", headers=reader))
    assert (read["kind"], read["nature"], read["beneficiary_id"]) == ("unknown", None, None)

    nobody = "00000000-0000-0000-0000-000000000001"
    refused(
        client,
        services,
        "/fundings",
        grant_body(world, project_id, nobody, "1.00"),
        recorder,
        404,
        "NotFoundError",
        nobody,
    )


def test_the_known_amounts_granted_to_a_project_never_exceed_its_budget(
    client, recorder, reader, world, services
):
    project_id = project(client, recorder, world, "100000.00")
    first = grant_body(world, project_id, None, "60000.00")
    funding = ok(client.post("/fundings", json=first, headers=recorder), 201)["id"]
    # Another funder (the State) would pass the budget with its 40,000.01 EUR.
    state = grant_body(world, project_id, None, "40000.01", funder_id=str(world.state))
    state["decision"] |= {"body_id": str(world.state_body), "decided_by": []}
    refused(
        client,
        services,
        "/fundings",
        state,
        recorder,
        409,
        "OverFinancedError",
        "Scierie mobile",
        "100 000.01 EUR",
        "60 000.00 EUR already granted",
        "100 000.00 EUR",
    )
    revision = {"amount": "100000.01", "decision": first["decision"] | {"decided_on": "2012-02-01"}}
    refused(
        client,
        services,
        f"/fundings/{funding}/amount",
        revision,
        recorder,
        409,
        "OverFinancedError",
        "100 000.01 EUR",
    )
    # What is left of the budget can be granted; a cancelled line frees its share.
    ok(
        client.post(
            "/fundings", json=grant_body(world, project_id, None, "40000.00"), headers=recorder
        ),
        201,
    )
    cancel = {"decision": first["decision"] | {"decided_on": "2012-03-01"}}
    ok(client.post(f"/fundings/{funding}/cancel", json=cancel, headers=recorder))
    ok(
        client.post(
            "/fundings",
            json=grant_body(world, project_id, None, "60000.00", on="2012-03-02"),
            headers=recorder,
        ),
        201,
    )
    assert contents(services.views) == rebuilt_contents(services)


def test_an_agreement_a_payment_inside_its_period_and_a_recovery(
    client, recorder, reader, world, services, tokens
):
    association = organisation(client, recorder, "CIDER", kind="association", rna=ASSOCIATION_RNA)
    project_id = project(client, recorder, world, "200000.00")
    no_amount = ok(
        client.post(
            "/fundings", json=grant_body(world, project_id, association, None), headers=recorder
        ),
        201,
    )["id"]
    refused(
        client,
        services,
        f"/fundings/{no_amount}/agreement",
        agreement("2012-02-01"),
        recorder,
        409,
        "AmountUnknownError",
        "agreement",
    )
    funding = ok(
        client.post(
            "/fundings",
            json=grant_body(world, project_id, association, "50000.00"),
            headers=recorder,
        ),
        201,
    )["id"]
    path = f"/fundings/{funding}"
    refused(
        client,
        services,
        f"{path}/agreement",
        agreement("2012-02-01", purpose="x" * 257),
        recorder,
        422,
        "ValidationError",
        "purpose",
    )
    refused(
        client,
        services,
        f"{path}/agreement",
        agreement("2012-01-09"),
        recorder,
        409,
        "ChronologyError",
        "precedes the grant",
    )
    ok(
        client.post(
            f"{path}/agreement", json=agreement("2012-02-01", rae_id="A1"), headers=recorder
        )
    )
    refused(
        client,
        services,
        f"{path}/agreement",
        agreement("2012-02-01"),
        recorder,
        409,
        "AgreementError",
        "CONV 2012-02-01",
    )
    refused(
        client,
        services,
        f"{path}/disbursements",
        {"amount": "100.00", "paid_on": "2013-02-02"},
        recorder,
        409,
        "AgreementError",
        "outside",
        "2012-02-01",
    )
    ok(
        client.post(
            f"{path}/disbursements",
            json={"amount": "30000.00", "paid_on": "2012-03-01"},
            headers=recorder,
        )
    )
    refused(
        client,
        services,
        f"{path}/recoveries",
        {"amount": "30000.01", "recovered_on": "2012-12-01"},
        recorder,
        409,
        "RecoveryExceedsPaymentsError",
        "30 000.00 EUR",
    )
    ok(
        client.post(
            f"{path}/recoveries",
            json={"amount": "5000.00", "recovered_on": "2012-12-01"},
            headers=recorder,
        )
    )

    line = ok(client.get(path, headers=reader))
    assert (line["disbursed"], line["recovered"], line["remaining"]) == (
        "25000.00",
        "5000.00",
        "25000.00",
    )
    assert line["agreement"]["payment_period"] == {"from": "2012-02-01", "to": "2013-02-01"}
    assert (line["agreement"]["rae_id"], line["agreement"]["state_aid_regime"]) == ("A1", "none")
    assert [e["kind"] for e in line["entries"]] == [
        "granted",
        "agreement_signed",
        "disbursed",
        "recovered",
    ]
    overview = ok(client.get(f"/filieres/{world.filiere}", headers=reader))
    assert overview["funding"]["disbursed"] == "25000.00"
    auditor = bearer(tokens[Role.AUDITOR])
    chain = ok(client.get(f"/audit/provenance/{funding}", headers=auditor))
    assert [step["what"] for step in chain["steps"][:3]] == [
        "5 000.00 EUR recovered on 2012-12-01",
        "agreement 'CONV 2012-02-01' signed on 2012-02-01 (state aid: none)",
        "Association supports 'Scierie mobile' to CIDER (grant): 50 000.00 EUR",
    ]
    # As of a day before the recovery, the line had not been paid back.
    before = ok(client.get(path, params={"as_of": "2012-06-30"}, headers=reader))
    assert (before["disbursed"], before["recovered"]) == ("30000.00", "0.00")
    assert contents(services.views) == rebuilt_contents(services)


def test_de_minimis_aid_to_one_beneficiary_is_capped_over_three_years(
    client, recorder, world, services
):
    company = organisation(client, recorder, "Scierie du Roannais", siret=COMPANY_SIRET)
    project_id = project(client, recorder, world, "900000.00")

    def signed(amount: str, on: str) -> str:
        body = grant_body(world, project_id, company, amount, on=on)
        funding = ok(client.post("/fundings", json=body, headers=recorder), 201)["id"]
        return str(funding)

    first = signed("150000.00", "2021-06-01")
    ok(
        client.post(
            f"/fundings/{first}/agreement",
            json=agreement("2021-06-01", "de_minimis"),
            headers=recorder,
        )
    )
    # Before 2024 the ceiling is 200,000 EUR over three years.
    second = signed("60000.00", "2023-05-01")
    refused(
        client,
        services,
        f"/fundings/{second}/agreement",
        agreement("2023-05-01", "de_minimis"),
        recorder,
        409,
        "DeMinimisCeilingError",
        "Scierie du Roannais",
        "150 000.00 EUR",
        "200 000.00 EUR",
    )
    # The same aid outside the regime is not capped.
    ok(
        client.post(
            f"/fundings/{second}/agreement", json=agreement("2023-05-01", "other"), headers=recorder
        )
    )
    # From 2024 on, 300,000 EUR: 150,000 + 140,000 passes, 10,000.01 more does not.
    third = signed("140000.00", "2024-03-01")
    ok(
        client.post(
            f"/fundings/{third}/agreement",
            json=agreement("2024-03-01", "de_minimis"),
            headers=recorder,
        )
    )
    fourth = signed("10000.01", "2024-05-01")
    refused(
        client,
        services,
        f"/fundings/{fourth}/agreement",
        agreement("2024-05-01", "de_minimis"),
        recorder,
        409,
        "DeMinimisCeilingError",
        "290 000.00 EUR",
        "300 000.00 EUR",
    )
    # Three years after the first aid, it no longer counts.
    fifth = signed("150000.00", "2024-06-02")
    ok(
        client.post(
            f"/fundings/{fifth}/agreement",
            json=agreement("2024-06-02", "de_minimis"),
            headers=recorder,
        )
    )
    # Raising a de minimis line's amount is checked against the ceiling too.
    raised = {
        "amount": "160000.01",
        "decision": grant_body(world, project_id, None, None, on="2024-07-01")["decision"],
    }
    refused(
        client,
        services,
        f"/fundings/{fifth}/amount",
        raised,
        recorder,
        409,
        "DeMinimisCeilingError",
        "140 000.00 EUR",
    )
