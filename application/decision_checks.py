"""Checks on a decision that span aggregates: who may decide, and who must recuse."""

from collections.abc import Callable
from dataclasses import dataclass, field
from uuid import UUID

from domain.decision import Decision
from domain.errors import (
    BodyCannotDecideError,
    DecisionRefusedError,
    NotAVotingMemberError,
    RecusalError,
    ReversalError,
    WrongBodyError,
)
from domain.governing_body import BodyKind, GoverningBody
from domain.naming import ids


@dataclass(frozen=True)
class DecisionSubject:
    """What a decision is about.

    `acting_organisation_id` is the organisation whose act it is (the funder of
    a funding, the issuer of a call), None for the association's own affairs
    (filières, projects). `must_belong` says the body must belong to that
    organisation (money is only granted by a body of its funder).
    """

    description: str
    acting_organisation_id: UUID | None = None
    must_belong: bool = False
    concerned_organisation_ids: frozenset[UUID] = field(default_factory=frozenset)


def check_decision(
    body: GoverningBody,
    decision: Decision,
    subject: DecisionSubject,
    name_of: Callable[[UUID], str] = str,
) -> None:
    """Refuse a decision the programme's governance does not allow."""
    _check_body_may_decide(body, subject, name_of)
    if body.kind != BodyKind.EXTERNAL and not decision.decided_by:
        raise NotAVotingMemberError(
            f"a decision of {body.name} names the voting members who took it (decided_by)"
            f"{ids(body)}"
        )
    for person in decision.decided_by:
        if not body.is_voting_member(person, decision.decided_on):
            seat = body.current_seat(person, decision.decided_on)
            where = f"sits as {seat.role}" if seat else "does not sit"
            raise NotAVotingMemberError(
                f"{person} {where} in {body.name} on {decision.decided_on}; only its voting"
                f" members decide ({subject.description})"
                f"{ids(body)}"
            )
        conflict = body.conflict_of(
            person, set(subject.concerned_organisation_ids), decision.decided_on
        )
        if conflict is not None:
            raise RecusalError(
                f"{person} declared on {conflict.declared_on} a conflict of interest with"
                f" {name_of(conflict.organisation_id)} ({conflict.reason}; declaration in"
                f" {body.name}, version {conflict.version}) and cannot decide"
                f" {subject.description}{ids(body)}"
            )


def _check_body_may_decide(
    body: GoverningBody, subject: DecisionSubject, name_of: Callable[[UUID], str]
) -> None:
    if not body.may_decide:
        raise BodyCannotDecideError(
            f"{body.name} is a {body.kind}: it prepares or advises, it does not decide;"
            " only the bureau and external bodies decide"
            f"{ids(body)}"
        )
    acting = subject.acting_organisation_id
    if body.kind == BodyKind.EXTERNAL and acting is None:
        raise WrongBodyError(
            f"{body.name} is an external body: it decides only the calls and funding of its"
            f" own organisation, not {subject.description}"
            f"{ids(body)}"
        )
    # A body without an organisation acts for the association, except over money:
    # a funding is decided by a body of its funder.
    belongs_elsewhere = body.organisation_id is not None or subject.must_belong
    if acting is not None and body.organisation_id != acting and belongs_elsewhere:
        owner = body.organisation_id
        for_whom = name_of(owner) if owner is not None else "the association"
        raise WrongBodyError(
            f"{subject.description} is decided by a body of {name_of(acting)};"
            f" {body.name} acts for {for_whom}{ids(body)}"
        )


# Who may take a decision, as `check_decision` enforces it for each kind of subject, in the
# words a command's documentation gives (`Command.deciders`). Every decision is also taken
# by voting members of the body on its day, none of whom declared an interest in it.
ASSOCIATION_DECIDES = (
    "a bureau (the association's own affairs: never an external body, a directoire or an"
    " advisory council)"
)
ISSUER_DECIDES = (
    "the association's bureau, or a bureau or external body of the call's issuer (never a"
    " directoire or an advisory council)"
)
FUNDER_DECIDES = "a bureau or external body of the funder itself (money is granted by its funder)"

DECISION_REFUSALS: tuple[type[DecisionRefusedError], ...] = (
    BodyCannotDecideError,
    WrongBodyError,
    NotAVotingMemberError,
    RecusalError,
    ReversalError,
)
"""What `check_decision` and the reversal it names can refuse, for every command with a decision."""
