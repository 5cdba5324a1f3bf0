"""Money is Decimal with two places, positive, in EUR: no float anywhere."""

from datetime import date
from decimal import Decimal
from uuid import uuid4

import pytest
from pydantic import ValidationError

from domain.call import Call
from domain.errors import InvalidValueError
from domain.filiere import Filiere
from domain.funding import Funding
from domain.money import format_eur, to_amount
from domain.organisation import Organisation
from tests.domain.given import an_open_call, decided


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("1200", "1200.00"),
        ("1200.5", "1200.50"),
        (" 0.01 ", "0.01"),
        (12, "12.00"),
        (Decimal("18000000.00"), "18000000.00"),
        ("12.340", "12.34"),
    ],
)
def test_decimal_strings_and_integers_become_two_place_amounts(
    given: object, expected: str
) -> None:
    amount = to_amount(given)
    assert amount == Decimal(expected)
    assert amount.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("given", "match"),
    [
        (1200.0, "is a float; give a decimal string"),
        (0.1, "is a float"),
        ("12.345", "12.345 has more than two decimal places"),
        (Decimal("0.001"), "more than two decimal places"),
        ("0", "amount 0 must be positive"),
        ("0.00", "must be positive"),
        ("-5.00", "amount -5.00 must be positive"),
        (-1, "must be positive"),
        ("douze", "'douze' is not a decimal number"),
        ("", "is not a decimal number"),
        ("NaN", "'NaN' is not a decimal number"),
        ("Infinity", "'Infinity' is not a decimal number"),
        (Decimal("NaN"), "is not a decimal number"),
        ("1e6", "'1e6' is not a decimal number"),
        ("1_000.00", "is not a decimal number"),
        (True, "True is not a decimal number"),
        ("1" * 5000, "is not a decimal number"),
        ("1000000000000.00", "above the maximum of 999 999 999 999.99 EUR"),
        (None, "None is not a decimal number"),
    ],
)
def test_malformed_amounts_are_refused(given: object, match: str) -> None:
    with pytest.raises(InvalidValueError, match=match):
        to_amount(given)


def a_funding_event(**changes: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "project_id": uuid4(),
        "funder_id": uuid4(),
        "kind": "grant",
        "amount": Decimal("10.00"),
        "currency": "EUR",
        "decision": decided(date(2012, 1, 10)),
        "effective_on": date(2012, 1, 10),
    }
    return fields | changes


@pytest.mark.parametrize(
    ("amount", "match"),
    [
        (10.0, "is a float"),
        ("12.345", "more than two decimal places"),
        (Decimal("0.00"), "must be positive"),
        (Decimal("-3.00"), "must be positive"),
    ],
)
def test_granted_events_refuse_malformed_amounts(amount: object, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        Funding(**a_funding_event(amount=amount))  # type: ignore[arg-type]


def test_the_granted_event_keeps_a_decimal_and_serialises_it_as_a_string() -> None:
    funding = Funding(**a_funding_event(amount="1200.5"))  # type: ignore[arg-type]
    (event,) = funding.collect_events()
    assert funding.amount == Decimal("1200.50")
    assert event.model_dump(mode="json")["amount"] == "1200.50"  # type: ignore[attr-defined]


@pytest.mark.parametrize("currency", ["USD", "eur", "FRF"])
def test_only_eur_is_accepted(currency: str) -> None:
    with pytest.raises(ValidationError, match="currency"):
        Funding(**a_funding_event(currency=currency))  # type: ignore[arg-type]


def test_disbursements_refuse_floats_and_extra_places() -> None:
    project_id, funder = (
        uuid4(),
        Organisation(name="État", kind="public_body", effective_on=date(2009, 1, 1)),
    )
    funding = Funding(
        **a_funding_event(project_id=project_id, funder_id=funder.id, amount=Decimal("100.00"))
    )  # type: ignore[arg-type]
    funding.collect_events()
    for amount, match in (
        (1.5, "is a float"),
        ("1.005", "more than two decimal places"),
        ("-1.00", "must be positive"),
    ):
        with pytest.raises(InvalidValueError, match=match):
            funding.record_disbursement(amount, date(2012, 2, 1))  # type: ignore[arg-type]
        with pytest.raises(InvalidValueError, match=match):
            funding.revise_amount(amount, decided(date(2012, 2, 1)))  # type: ignore[arg-type]
    assert funding.collect_events() == []
    assert funding.version == 1


def test_call_envelopes_and_requested_amounts_refuse_floats() -> None:
    partner = Organisation(name="Partner A", kind="partner", effective_on=date(2009, 1, 15))
    filiere = Filiere.launch("Viandes", "filiere", partner, decided(date(2009, 3, 1)))
    with pytest.raises(ValidationError, match=r"(?s)budget_envelope.*is a float"):
        Call.launch(
            filiere,
            "Appel",
            "call_for_projects",
            uuid4(),
            date(2011, 3, 1),
            date(2011, 6, 30),
            decided(date(2012, 1, 10)),
            budget_envelope=1000.0,
        )  # type: ignore[arg-type]
    call = an_open_call(filiere)
    candidate = Organisation(name="C", kind="company", effective_on=date(2009, 1, 15))
    with pytest.raises(ValidationError, match=r"(?s)requested_amount.*two decimal places"):
        call.submit_candidacy(uuid4(), candidate, "Abattoir", date(2011, 4, 1), Decimal("10.001"))
    assert call.collect_events() == []
    assert call.candidacies == {}


def test_amounts_are_displayed_in_eur_or_as_unknown() -> None:
    assert format_eur(Decimal("18000000.00")) == "18 000 000.00 EUR"
    assert format_eur(None) == "amount unknown"
