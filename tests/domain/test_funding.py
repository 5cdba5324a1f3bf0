"""Funding lines: disbursed never exceeds granted, an unknown amount pays nothing."""

from datetime import date
from decimal import Decimal

import pytest

from domain.errors import (
    AmountUnknownError,
    ChronologyError,
    DisbursementExceedsGrantError,
    FundingCancelledError,
    ProjectClosedError,
)
from domain.filiere import Filiere
from domain.funding import Funding
from domain.organisation import Organisation
from domain.project import Project, ProjectStatus
from tests.domain.given import assert_refused, decided, event_types

GRANTED_ON = date(2012, 1, 10)


def a_project() -> Project:
    partner = Organisation(name="Partner A", kind="partner", effective_on=date(2009, 1, 15))
    filiere = Filiere.launch("Déconstruction", "filiere", partner, decided(date(2009, 3, 1)))
    return Project.propose(filiere, "Centre de compétences", date(2011, 6, 1))


def the_state() -> Organisation:
    return Organisation(name="État", kind="public_body", effective_on=date(2009, 1, 15))


def granted(amount: str | None = "1000.00") -> Funding:
    funding = Funding.grant(
        a_project(),
        the_state(),
        "grant",
        decided(GRANTED_ON),
        None if amount is None else Decimal(amount),
    )
    funding.collect_events()
    return funding


def test_a_grant_with_its_amount_unknown_is_recorded() -> None:
    funding = Funding.grant(a_project(), the_state(), "grant", decided(GRANTED_ON))
    assert event_types(funding) == ["Granted"]
    assert funding.amount is None
    assert funding.currency == "EUR"


def test_nothing_is_disbursed_while_the_amount_is_unknown() -> None:
    funding = granted(amount=None)
    assert_refused(
        funding,
        AmountUnknownError,
        "amount of this funding is not known yet",
        lambda: funding.record_disbursement(Decimal("10.00"), date(2012, 2, 1)),
    )


def test_once_revised_the_amount_can_be_disbursed() -> None:
    funding = granted(amount=None)
    funding.revise_amount(Decimal("500.00"), decided(date(2012, 2, 1)))
    funding.record_disbursement(Decimal("500.00"), date(2012, 3, 1))
    assert event_types(funding) == ["AmountRevised", "DisbursementRecorded"]
    assert funding.disbursed == funding.amount == Decimal("500.00")


def test_disbursed_never_exceeds_granted() -> None:
    funding = granted("1000.00")
    funding.record_disbursement(Decimal("999.99"), date(2012, 2, 1))
    assert event_types(funding) == ["DisbursementRecorded"]
    assert_refused(
        funding,
        DisbursementExceedsGrantError,
        "disbursing 0.02 EUR brings the total disbursed to 1 000.01 EUR, above the"
        " 1 000.00 EUR granted",
        lambda: funding.record_disbursement(Decimal("0.02"), date(2012, 3, 1)),
    )
    assert funding.disbursed == Decimal("999.99")


def test_a_revision_below_what_was_disbursed_is_refused() -> None:
    funding = granted("1000.00")
    funding.record_disbursement(Decimal("600.00"), date(2012, 2, 1))
    funding.collect_events()
    assert_refused(
        funding,
        DisbursementExceedsGrantError,
        "600.00 EUR has already been disbursed; the amount cannot be revised to 599.99 EUR",
        lambda: funding.revise_amount(Decimal("599.99"), decided(date(2012, 3, 1))),
    )
    funding.revise_amount(Decimal("600.00"), decided(date(2012, 3, 1)))
    assert event_types(funding) == ["AmountRevised"]


def test_a_payment_before_the_grant_is_refused() -> None:
    funding = granted()
    assert_refused(
        funding,
        ChronologyError,
        "a payment on 2011-12-31 precedes the grant",
        lambda: funding.record_disbursement(Decimal("1.00"), date(2011, 12, 31)),
    )


def test_a_cancelled_funding_takes_nothing_more() -> None:
    funding = granted()
    funding.cancel(decided(date(2012, 6, 1)))
    assert event_types(funding) == ["Cancelled"]
    assert_refused(
        funding,
        FundingCancelledError,
        "cancelled on 2012-06-01 and cannot be paid",
        lambda: funding.record_disbursement(Decimal("1.00"), date(2012, 7, 1)),
    )
    assert_refused(
        funding,
        FundingCancelledError,
        "cancelled on 2012-06-01 and cannot be revised",
        lambda: funding.revise_amount(Decimal("2000.00"), decided(date(2012, 7, 1))),
    )
    assert_refused(
        funding,
        FundingCancelledError,
        "cannot be cancelled again",
        lambda: funding.cancel(decided(date(2012, 7, 1))),
    )


@pytest.mark.parametrize("closing", [ProjectStatus.COMPLETED, ProjectStatus.ABANDONED])
def test_a_completed_or_abandoned_project_takes_no_new_funding(closing: ProjectStatus) -> None:
    project = a_project()
    if closing == ProjectStatus.COMPLETED:
        project.change_status(ProjectStatus.APPROVED, date(2011, 7, 1), decided(date(2011, 7, 1)))
        project.change_status(ProjectStatus.IN_PROGRESS, date(2011, 8, 1))
        project.change_status(ProjectStatus.COMPLETED, date(2011, 12, 1))
    else:
        project.change_status(ProjectStatus.ABANDONED, date(2011, 7, 1), decided(date(2011, 7, 1)))
    with pytest.raises(ProjectClosedError, match=f"'Centre de compétences' is {closing}"):
        Funding.grant(project, the_state(), "grant", decided(GRANTED_ON), Decimal("10.00"))
