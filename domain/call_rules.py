"""What a call refuses, and why: the rules each of its commands checks before recording.

A candidacy is submitted between the call's opening and closing dates and
before its submissions are closed. Selection and rejection come only after the
closing; each candidacy is decided once (a later decision may reverse it by
naming it); the selected never outnumber `max_selected` and their requested
amounts never exceed the `budget_envelope`. A concluded call takes nothing more.
"""

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from domain.call_state import CallStatus
from domain.candidacy import Candidacy, CandidacyStatus
from domain.decision import Decision
from domain.errors import (
    AlreadyRecordedError,
    BudgetEnvelopeExceededError,
    CallConcludedError,
    CallNotOpenError,
    ChronologyError,
    MaxSelectedExceededError,
    SubmissionsStillOpenError,
)
from domain.money import format_eur
from domain.organisation import Organisation

if TYPE_CHECKING:  # the aggregate calls these rules: only its type is needed here
    from domain.call import Call


def require_not_concluded(call: "Call") -> None:
    if call.status == CallStatus.CONCLUDED:
        raise CallConcludedError(f"call {call.title!r} is concluded and takes nothing more")


def live_candidacy(call: "Call", candidacy_id: UUID) -> Candidacy:
    """The candidacy, of a call not concluded: where every rule on one candidacy starts."""
    require_not_concluded(call)
    return call.candidacy(candidacy_id)


def check_submission(
    call: "Call", candidacy_id: UUID, candidate: Organisation, submitted_on: date
) -> None:
    require_not_concluded(call)
    candidate.require_not_archived()
    if call.status != CallStatus.OPEN:
        raise CallNotOpenError(
            f"call {call.title!r}: submissions were closed on {call.closed_on};"
            f" no candidacy can be submitted on {submitted_on}"
        )
    if not call.opens_on <= submitted_on <= call.closes_on:
        raise CallNotOpenError(
            f"call {call.title!r} takes candidacies from {call.opens_on} to"
            f" {call.closes_on}, not on {submitted_on}"
        )
    if candidacy_id in call.candidacies:
        raise AlreadyRecordedError(f"candidacy {candidacy_id} already exists in this call")


def undecided(call: "Call", candidacy_id: UUID, action: str) -> Candidacy:
    """The candidacy, still neither withdrawn nor decided: it may be `action` (reviewed…)."""
    candidacy = live_candidacy(call, candidacy_id)
    candidacy.require_undecided(action)
    return candidacy


def check_withdrawal(call: "Call", candidacy_id: UUID, withdrawn_on: date) -> None:
    candidacy = undecided(call, candidacy_id, "withdrawn")
    if withdrawn_on < candidacy.submitted_on:
        raise ChronologyError(
            f"a candidacy submitted on {candidacy.submitted_on} cannot be withdrawn"
            f" on {withdrawn_on}"
        )


def check_closing(call: "Call", closed_on: date) -> None:
    require_not_concluded(call)
    if call.status != CallStatus.OPEN:
        raise CallNotOpenError(
            f"call {call.title!r}: submissions already closed on {call.closed_on}"
        )
    if closed_on < call.opens_on:
        raise ChronologyError(
            f"call {call.title!r} opens on {call.opens_on} and cannot close on {closed_on}"
        )


def decidable(
    call: "Call", candidacy_id: UUID, decision: Decision, reverses_version: int | None
) -> Candidacy:
    """The candidacy, if `decision` may select or reject it now."""
    candidacy = live_candidacy(call, candidacy_id)
    if call.status != CallStatus.SUBMISSIONS_CLOSED or call.closed_on is None:
        raise SubmissionsStillOpenError(
            f"call {call.title!r}: no candidacy is selected or rejected before its"
            " submissions are closed"
        )
    if decision.decided_on < call.closed_on:
        raise SubmissionsStillOpenError(
            f"call {call.title!r} closed its submissions on {call.closed_on}; a decision"
            f" dated {decision.decided_on} comes before that"
        )
    candidacy.require_decidable(reverses_version, f"call {call.title!r}")
    return candidacy


def check_selection(
    call: "Call", candidacy_id: UUID, decision: Decision, reverses_version: int | None
) -> None:
    """Decidable, and within the call's limits once selected."""
    candidacy = decidable(call, candidacy_id, decision, reverses_version)
    already_selected = candidacy.status == CandidacyStatus.SELECTED
    selected = call.with_status(CandidacyStatus.SELECTED)
    if call.max_selected is not None and len(selected) + 1 - already_selected > call.max_selected:
        raise MaxSelectedExceededError(
            f"call {call.title!r} selects at most {call.max_selected} candidacies;"
            f" {len(selected)} already are"
        )
    if call.budget_envelope is not None and candidacy.requested_amount is not None:
        total = call.selected_amount + candidacy.requested_amount * (1 - already_selected)
        if total > call.budget_envelope:
            raise BudgetEnvelopeExceededError(
                f"selecting {candidacy.project_title!r}"
                f" ({format_eur(candidacy.requested_amount)})"
                f" brings the selected total to {format_eur(total)}, above the call's"
                f" envelope of {format_eur(call.budget_envelope)}"
            )


def check_selection_withdrawal(
    call: "Call", candidacy_id: UUID, decision: Decision, reverses_version: int | None
) -> None:
    candidacy = live_candidacy(call, candidacy_id)
    candidacy.require_selected(decision.decided_on, reverses_version, f"call {call.title!r}")


def check_conclusion(call: "Call") -> None:
    require_not_concluded(call)
    if call.status != CallStatus.SUBMISSIONS_CLOSED:
        raise SubmissionsStillOpenError(
            f"call {call.title!r} cannot be concluded while its submissions are open"
        )
    pending = call.with_status(CandidacyStatus.SUBMITTED)
    if pending:
        titles = ", ".join(repr(c.project_title) for c in pending)
        raise SubmissionsStillOpenError(
            f"call {call.title!r} cannot be concluded: {len(pending)} candidacies are"
            f" not decided ({titles})"
        )
