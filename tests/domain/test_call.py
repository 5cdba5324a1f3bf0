"""Calls and candidacies: given a call, when a command, then events or a refusal."""

from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from domain.call import Call, CallStatus
from domain.candidacy import CandidacyStatus
from domain.errors import (
    BudgetEnvelopeExceededError,
    CallConcludedError,
    CallNotOpenError,
    CandidacyAlreadyDecidedError,
    CandidacyWithdrawnError,
    FiliereClosedError,
    InvalidValueError,
    MaxSelectedExceededError,
    NotFoundError,
    OrganisationArchivedError,
    ReversalError,
    SubmissionsStillOpenError,
)
from domain.filiere import Filiere
from domain.organisation import Organisation
from tests.domain.given import CLOSES, OPENS, an_open_call, assert_refused, decided, event_types

CLOSED_ON, DECIDED_ON = date(2011, 7, 1), date(2011, 9, 15)


def partner() -> Organisation:
    return Organisation(name="Partner A", kind="partner", effective_on=date(2009, 1, 15))


def company(name: str = "Company C") -> Organisation:
    return Organisation(name=name, kind="company", effective_on=date(2009, 1, 15))


def launched_call(**limits: object) -> Call:
    filiere = Filiere.launch("Viandes", "filiere", partner(), decided(date(2009, 3, 1)))
    return an_open_call(filiere, "Appel Viandes", **limits)


def submit(call: Call, title: str, amount: str | None = None, on: date = OPENS) -> UUID:
    candidacy_id = uuid4()
    call.submit_candidacy(
        candidacy_id, company(title), title, on, None if amount is None else Decimal(amount)
    )
    call.collect_events()
    return candidacy_id


def closed_call_with(
    *titles_and_amounts: tuple[str, str | None], **limits: object
) -> tuple[Call, list[UUID]]:
    call = launched_call(**limits)
    ids = [submit(call, title, amount) for title, amount in titles_and_amounts]
    call.close_submissions(CLOSED_ON)
    call.collect_events()
    return call, ids


def test_launching_a_call_records_launched_with_its_decision() -> None:
    filiere = Filiere.launch("Viandes", "filiere", partner(), decided(date(2009, 3, 1)))
    call = Call.launch(
        filiere,
        "Appel",
        "call_for_projects",
        uuid4(),
        OPENS,
        CLOSES,
        decided(date(2011, 2, 1)),
        budget_envelope=Decimal("1000.00"),
    )
    events = call.collect_events()
    assert [type(e).__name__ for e in events] == ["Launched"]
    assert events[0].decision.decided_on == date(2011, 2, 1)  # type: ignore[attr-defined]
    assert call.status == CallStatus.OPEN


def test_a_call_cannot_close_before_it_opens() -> None:
    filiere = Filiere.launch("Viandes", "filiere", partner(), decided(date(2009, 3, 1)))
    with pytest.raises(InvalidValueError, match=r"cannot close .* before it opens"):
        Call.launch(
            filiere, "Appel", "call_for_projects", uuid4(), CLOSES, OPENS, decided(DECIDED_ON)
        )


def test_a_closed_filiere_takes_no_new_call() -> None:
    filiere = Filiere.launch("Viandes", "filiere", partner(), decided(date(2009, 3, 1)))
    filiere.close(decided(date(2010, 1, 1)))
    with pytest.raises(FiliereClosedError, match="'Viandes' was closed on 2010-01-01"):
        Call.launch(
            filiere, "Appel", "call_for_projects", uuid4(), OPENS, CLOSES, decided(DECIDED_ON)
        )


@pytest.mark.parametrize("on", [OPENS, date(2011, 5, 1), CLOSES])
def test_a_candidacy_within_the_window_is_submitted(on: date) -> None:
    call = launched_call()
    call.submit_candidacy(uuid4(), company(), "Abattoir mobile", on, Decimal("5000.00"))
    assert event_types(call) == ["CandidacySubmitted"]
    assert [c.status for c in call.candidacies.values()] == [CandidacyStatus.SUBMITTED]


@pytest.mark.parametrize(
    "on", [date(2011, 2, 28), date(2011, 7, 1)], ids=["before opens_on", "after closes_on"]
)
def test_a_candidacy_outside_the_window_is_refused(on: date) -> None:
    call = launched_call()
    assert_refused(
        call,
        CallNotOpenError,
        f"takes candidacies from 2011-03-01 to 2011-06-30, not on {on}",
        lambda: call.submit_candidacy(uuid4(), company(), "Abattoir mobile", on),
    )


def test_no_candidacy_after_submissions_are_closed_even_within_the_dates() -> None:
    call = launched_call()
    call.close_submissions(date(2011, 5, 1))
    assert event_types(call) == ["SubmissionsClosed"]
    assert_refused(
        call,
        CallNotOpenError,
        "submissions were closed on 2011-05-01",
        lambda: call.submit_candidacy(uuid4(), company(), "Late", date(2011, 5, 2)),
    )


def test_an_archived_organisation_cannot_apply() -> None:
    call = launched_call()
    candidate = company()
    candidate.archive(date(2010, 1, 1))
    assert_refused(
        call,
        OrganisationArchivedError,
        "'Company C' was archived on 2010-01-01",
        lambda: call.submit_candidacy(uuid4(), candidate, "Abattoir", OPENS),
    )


def test_no_selection_before_submissions_are_closed() -> None:
    call = launched_call()
    candidacy_id = submit(call, "Abattoir mobile")
    assert_refused(
        call,
        SubmissionsStillOpenError,
        "no candidacy is selected or rejected before",
        lambda: call.select_candidacy(candidacy_id, decided(DECIDED_ON)),
    )
    assert_refused(
        call,
        SubmissionsStillOpenError,
        "no candidacy is selected or rejected before",
        lambda: call.reject_candidacy(candidacy_id, decided(DECIDED_ON)),
    )


def test_a_decision_dated_before_the_closing_is_refused() -> None:
    call, (candidacy_id,) = closed_call_with(("Abattoir mobile", None))
    assert_refused(
        call,
        SubmissionsStillOpenError,
        "closed its submissions on 2011-07-01; a decision dated 2011-06-30 comes before",
        lambda: call.select_candidacy(candidacy_id, decided(date(2011, 6, 30))),
    )


def test_selection_and_rejection_after_closing_are_recorded() -> None:
    call, (first, second) = closed_call_with(("Abattoir", None), ("Salaisons", None))
    call.select_candidacy(first, decided(DECIDED_ON))
    call.reject_candidacy(second, decided(DECIDED_ON))
    assert event_types(call) == ["CandidacySelected", "CandidacyRejected"]
    assert call.candidacy(first).status == CandidacyStatus.SELECTED
    assert call.candidacy(second).status == CandidacyStatus.REJECTED
    assert call.candidacy(first).decided_on == DECIDED_ON


def test_each_candidacy_is_decided_once() -> None:
    call, (candidacy_id,) = closed_call_with(("Abattoir mobile", None))
    call.reject_candidacy(candidacy_id, decided(DECIDED_ON))
    call.collect_events()
    assert_refused(
        call,
        CandidacyAlreadyDecidedError,
        "'Abattoir mobile' was already rejected on 2011-09-15; .* must name that one",
        lambda: call.select_candidacy(candidacy_id, decided(date(2011, 10, 1))),
    )
    assert_refused(
        call,
        CandidacyAlreadyDecidedError,
        "already rejected",
        lambda: call.reject_candidacy(candidacy_id, decided(date(2011, 10, 1))),
    )


def test_a_reversal_naming_the_earlier_decision_is_recorded() -> None:
    call, (candidacy_id,) = closed_call_with(("Abattoir mobile", None))
    call.reject_candidacy(candidacy_id, decided(DECIDED_ON))
    call.collect_events()
    rejection_version = call.version
    assert call.candidacy(candidacy_id).decision_version == rejection_version

    call.select_candidacy(
        candidacy_id, decided(date(2011, 12, 1)), reverses_version=rejection_version
    )

    assert event_types(call) == ["CandidacySelected"]
    assert call.candidacy(candidacy_id).status == CandidacyStatus.SELECTED
    assert call.candidacy(candidacy_id).decision_version == rejection_version + 1


def test_a_reversal_naming_another_version_is_refused() -> None:
    call, (candidacy_id,) = closed_call_with(("Abattoir mobile", None))
    call.reject_candidacy(candidacy_id, decided(DECIDED_ON))
    call.collect_events()
    assert_refused(
        call,
        ReversalError,
        f"version {call.version - 1} of call 'Appel Viandes'\\) is not the decision on"
        " candidacy 'Abattoir mobile'",
        lambda: call.select_candidacy(
            candidacy_id, decided(DECIDED_ON), reverses_version=call.version - 1
        ),
    )


def test_an_undecided_candidacy_has_no_decision_to_reverse() -> None:
    call, (first, second) = closed_call_with(("Abattoir", None), ("Salaisons", None))
    call.reject_candidacy(first, decided(DECIDED_ON))
    call.collect_events()
    assert_refused(
        call,
        ReversalError,
        "is not the decision on candidacy 'Salaisons'",
        lambda: call.select_candidacy(second, decided(DECIDED_ON), reverses_version=call.version),
    )


def test_a_withdrawn_candidacy_cannot_be_decided_nor_reviewed() -> None:
    call = launched_call()
    candidacy_id = submit(call, "Abattoir mobile")
    call.withdraw_candidacy(candidacy_id, date(2011, 4, 1))
    call.close_submissions(CLOSED_ON)
    assert event_types(call) == ["CandidacyWithdrawn", "SubmissionsClosed"]
    for command in (call.select_candidacy, call.reject_candidacy):
        assert_refused(
            call,
            CandidacyWithdrawnError,
            "'Abattoir mobile' was withdrawn and cannot be decided",
            lambda command=command: command(candidacy_id, decided(DECIDED_ON)),
        )
    assert_refused(
        call,
        CandidacyWithdrawnError,
        "withdrawn and cannot be reviewed",
        lambda: call.review_candidacy(candidacy_id, "Expert", "good", date(2011, 7, 2)),
    )


def test_max_selected_is_never_exceeded() -> None:
    call, ids = closed_call_with(("A", None), ("B", None), ("C", None), max_selected=2)
    call.select_candidacy(ids[0], decided(DECIDED_ON))
    call.select_candidacy(ids[1], decided(DECIDED_ON))
    assert event_types(call) == ["CandidacySelected", "CandidacySelected"]
    assert_refused(
        call,
        MaxSelectedExceededError,
        "selects at most 2 candidacies; 2 already are",
        lambda: call.select_candidacy(ids[2], decided(DECIDED_ON)),
    )
    call.reject_candidacy(ids[2], decided(DECIDED_ON))
    assert event_types(call) == ["CandidacyRejected"]


def test_the_budget_envelope_is_never_exceeded() -> None:
    call, ids = closed_call_with(
        ("A", "600.00"), ("B", "400.00"), ("C", "0.01"), budget_envelope=Decimal("1000.00")
    )
    call.select_candidacy(ids[0], decided(DECIDED_ON))
    call.select_candidacy(ids[1], decided(DECIDED_ON))
    assert call.selected_amount == Decimal("1000.00")
    call.collect_events()
    assert_refused(
        call,
        BudgetEnvelopeExceededError,
        "selecting 'C' \\(0.01 EUR\\) brings the selected total to 1 000.01 EUR, above the"
        " call's envelope of 1 000.00 EUR",
        lambda: call.select_candidacy(ids[2], decided(DECIDED_ON)),
    )


def test_a_call_with_undecided_candidacies_cannot_be_concluded() -> None:
    call, (first, _) = closed_call_with(("Abattoir", None), ("Salaisons", None))
    call.select_candidacy(first, decided(DECIDED_ON))
    call.collect_events()
    assert_refused(
        call,
        SubmissionsStillOpenError,
        "1 candidacies are not decided \\('Salaisons'\\)",
        lambda: call.conclude(decided(DECIDED_ON)),
    )


def test_a_call_cannot_be_concluded_while_submissions_are_open() -> None:
    call = launched_call()
    assert_refused(
        call,
        SubmissionsStillOpenError,
        "cannot be concluded while its submissions are open",
        lambda: call.conclude(decided(DECIDED_ON)),
    )


def test_a_concluded_call_takes_nothing_more() -> None:
    call, (first,) = closed_call_with(("Abattoir", None))
    call.select_candidacy(first, decided(DECIDED_ON))
    call.conclude(decided(date(2011, 12, 1)))
    assert event_types(call) == ["CandidacySelected", "Concluded"]
    assert_refused(
        call,
        CallConcludedError,
        "'Appel Viandes' is concluded and takes nothing more",
        lambda: call.reject_candidacy(first, decided(date(2012, 1, 1)), reverses_version=4),
    )


def test_an_unknown_candidacy_is_not_found() -> None:
    call, _ = closed_call_with()
    unknown = uuid4()
    assert_refused(
        call,
        NotFoundError,
        f"has no candidacy {unknown}",
        lambda: call.select_candidacy(unknown, decided(DECIDED_ON)),
    )
