"""SIREN, SIRET and RNA over HTTP: checked digits, held by one organisation, corrected later."""

from tests.api.http import assert_problem, event_count

# Real-format numbers: each SIREN and SIRET passes the Luhn check.
SIRET = "73282932000074"
OTHER_SIRET = "52499120500013"
LA_POSTE = "35600000000001"
RNA = "W423001234"


def register(client, recorder, **fields):
    return client.post(
        "/organisations", json={"name": "Scierie", "kind": "company", **fields}, headers=recorder
    )


def test_a_company_by_siret_and_an_association_by_rna_read_back(client, recorder, reader):
    company = register(client, recorder, siret=SIRET)
    association = register(client, recorder, name="CIDER", kind="association", rna=RNA)
    la_poste = register(client, recorder, name="La Poste Roanne", siret=LA_POSTE)
    # Its head office's SIRET follows the Luhn rule, not the digit sum: both are La Poste's.
    head_office = client.post(
        f"{la_poste.headers['location']}/identifiers",
        json={"siret": "35600000000048"},
        headers=recorder,
    )
    assert head_office.status_code == 200, head_office.text

    assert company.status_code == association.status_code == la_poste.status_code == 201
    read = client.get(company.headers["location"], headers=reader).json()
    assert (read["siren"], read["siret"], read["rna"]) == (SIRET[:9], SIRET, None)
    read = client.get(association.headers["location"], headers=reader).json()
    assert (read["siren"], read["siret"], read["rna"]) == (None, None, RNA)


def test_a_wrong_check_digit_or_format_is_refused_and_nothing_written(client, recorder, services):
    before = event_count(services)
    for fields, words in (
        ({"siren": "123456789"}, ("siren", "check digit")),
        ({"siret": "73282932000075"}, ("siret", "check digit")),
        ({"siret": "12345678900017"}, ("siret", "SIREN 123456789")),
        ({"siret": "35600000000049"}, ("siret", "La Poste")),
        ({"siret": "7328293200007"}, ("siret", "14 digits")),
        ({"rna": "W12345678"}, ("rna", "W followed by 9 digits")),
        ({"siren": "524991205", "siret": SIRET}, ("does not begin with the SIREN",)),
    ):
        assert_problem(register(client, recorder, **fields), 422, *words)
    assert event_count(services) == before


def test_an_identifier_held_by_another_organisation_is_refused_and_nothing_written(
    client, recorder, services
):
    first = register(client, recorder, name="Scierie du Roannais", siret=SIRET, rna=RNA)
    holder = first.json()["id"]
    before = event_count(services)
    for fields in (
        {"siret": SIRET},
        {"siren": SIRET[:9]},
        {"siret": SIRET[:9] + "00017"},
        {"rna": RNA},
    ):
        problem = assert_problem(
            register(client, recorder, name="Autre", **fields), 409, "Scierie du Roannais", holder
        )
        assert problem["code"] == "IdentifierTakenError"
    assert event_count(services) == before


def test_identifiers_corrected_later_stay_in_the_history_and_free_the_old_ones(
    client, recorder, reader, services
):
    first = register(client, recorder, siret=SIRET).headers["location"]
    other = register(client, recorder, name="Menuiserie").headers["location"]

    corrected = client.post(
        f"{first}/identifiers",
        json={"siret": OTHER_SIRET, "effective_on": "2020-01-01"},
        headers=recorder,
    )
    assert corrected.status_code == 200, corrected.text
    read = client.get(first, headers=reader).json()
    assert (read["siren"], read["siret"], read["version"]) == (OTHER_SIRET[:9], OTHER_SIRET, 3)
    # The SIRET it no longer has is free for another organisation.
    taken = client.post(f"{other}/identifiers", json={"siret": SIRET}, headers=recorder)
    assert taken.status_code == 200, taken.text
    # ... and the one it now holds is not.
    before = event_count(services)
    refused = client.post(f"{other}/identifiers", json={"siret": OTHER_SIRET}, headers=recorder)
    assert_problem(refused, 409, "Scierie")
    assert_problem(client.post(f"{other}/identifiers", json={}, headers=recorder), 422)
    assert event_count(services) == before
