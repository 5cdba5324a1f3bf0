"""Open data over HTTP: a funder publishes its year in SCDL « Subventions » 2.1.1, valid as the
official validators judge it, and learns which lines it could not publish and why."""

import csv
import io
import json
from pathlib import Path

import frictionless
import validata_core

from application.reports.subventions import COLUMNS
from application.roannais_history import record_roannais_history
from infrastructure.open_data import SCDL_SUBVENTIONS_SCHEMA
from tests.api.public_funding_steps import (
    ASSOCIATION_RNA,
    COMPANY_SIRET,
    FUNDER_SIRET,
    agreement,
    grant_body,
    ok,
    organisation,
    project,
)


def assert_valid_scdl(path: Path) -> None:
    """Valid for validata-table (every rule, custom checks included) and for frictionless."""
    report = validata_core.validate(str(path), str(SCDL_SUBVENTIONS_SCHEMA))
    assert report.valid, [str(error) for error in report.errors]
    schema = frictionless.Schema.from_descriptor(json.loads(SCDL_SUBVENTIONS_SCHEMA.read_text()))
    # frictionless reads only relative paths under a base path it is given.
    resource = frictionless.Resource(path=path.name, basepath=str(path.parent), schema=schema)
    checked = resource.validate()
    assert checked.valid, checked.flatten(["rowNumber", "fieldName", "type", "note"])


def test_the_shipped_schema_has_the_exported_columns_in_their_order() -> None:
    schema = frictionless.Schema.from_descriptor(str(SCDL_SUBVENTIONS_SCHEMA))
    assert tuple(schema.field_names) == COLUMNS
    assert len(COLUMNS) == 16


def test_a_funder_grants_signs_pays_recovers_and_publishes_a_valid_year(
    client, recorder, reader, world, tmp_path
):
    funder = str(world.association)
    ok(
        client.post(
            f"/organisations/{funder}/identifiers", json={"siret": FUNDER_SIRET}, headers=recorder
        )
    )
    company = organisation(client, recorder, "Scierie du Roannais", siret=COMPANY_SIRET)
    association = organisation(client, recorder, "CIDER", kind="association", rna=ASSOCIATION_RNA)
    project_id = project(client, recorder, world, "120000.00")

    def granted(beneficiary: str, amount: str, **extra: object) -> str:
        body = grant_body(world, project_id, beneficiary, amount, on="2024-02-01", **extra)
        return str(ok(client.post("/fundings", json=body, headers=recorder), 201)["id"])

    to_company = granted(company, "60000.00")
    to_association = granted(association, "30000.00", nature="cash_and_in_kind")
    not_signed = granted(company, "25000.00")
    signed = agreement(
        "2024-03-15", "de_minimis", rae_id="R1", aid_scheme="Aide à l'investissement"
    )
    ok(client.post(f"/fundings/{to_company}/agreement", json=signed, headers=recorder))
    single = agreement("2024-04-02", payment_terms="single", eu_notified=True)
    single["payment_period"] = {"from": "2024-04-02"}
    ok(client.post(f"/fundings/{to_association}/agreement", json=single, headers=recorder))
    paid = {"amount": "20000.00", "paid_on": "2024-05-01"}
    ok(client.post(f"/fundings/{to_company}/disbursements", json=paid, headers=recorder))
    back = {"amount": "2500.00", "recovered_on": "2024-11-30"}
    ok(client.post(f"/fundings/{to_company}/recoveries", json=back, headers=recorder))

    answer = client.get(
        "/open-data/subventions.csv", params={"funder_id": funder, "year": 2024}, headers=reader
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    path = tmp_path / "subventions-2024.csv"
    path.write_bytes(answer.content)
    assert_valid_scdl(path)
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8"))))
    assert tuple(rows[0]) == COLUMNS
    assert [(r["nomBeneficiaire"], r["montant"], r["pourcentageSubvention"]) for r in rows] == [
        ("Scierie du Roannais", "60000.00", "0.5"),
        ("CIDER", "30000.00", "0.25"),
    ]
    assert (rows[0]["idAttribuant"], rows[0]["idBeneficiaire"], rows[1]["rnaBeneficiaire"]) == (
        FUNDER_SIRET,
        COMPANY_SIRET,
        ASSOCIATION_RNA,
    )
    assert (rows[0]["datesPeriodeVersement"], rows[1]["datesPeriodeVersement"]) == (
        "2024-03-15/2025-03-15",
        "2024-04-02",
    )
    assert (rows[1]["nature"], rows[1]["conditionsVersement"], rows[1]["notificationUE"]) == (
        "aide en numéraire;aide en nature",
        "unique",
        "oui",
    )
    # Another year has none of these; its file is the header alone.
    other = client.get(
        "/open-data/subventions.csv", params={"funder_id": funder, "year": 2023}, headers=reader
    )
    assert other.text.splitlines() == [",".join(COLUMNS)]
    left_out = ok(
        client.get(
            "/open-data/subventions/unpublishable", params={"funder_id": funder}, headers=reader
        )
    )
    assert [(line["funding_id"], line["reasons"]) for line in left_out] == [
        (not_signed, ["no agreement signed"])
    ]


def test_the_demo_states_support_is_unpublishable_with_its_reasons(client, reader, services):
    ids = record_roannais_history(services.app)
    state = ids.organisations["etat"]
    left_out = ok(
        client.get(
            "/open-data/subventions/unpublishable", params={"funder_id": str(state)}, headers=reader
        )
    )
    assert [line["funding_id"] for line in left_out] == [str(ids.state_funding)]
    assert left_out[0]["reasons"] == [
        "no amount known",
        "no agreement signed",
        "the funder 'État' has no SIRET (idAttribuant)",
        "no beneficiary named",
        "the nature of the aid (cash or in kind) is not known",
    ]
    answer = client.get(
        "/open-data/subventions.csv", params={"funder_id": str(state), "year": 2013}, headers=reader
    )
    assert answer.text.splitlines() == [",".join(COLUMNS)]
    unknown = client.get(
        "/open-data/subventions.csv",
        params={"funder_id": "00000000-0000-0000-0000-000000000009", "year": 2013},
        headers=reader,
    )
    assert unknown.status_code == 404
