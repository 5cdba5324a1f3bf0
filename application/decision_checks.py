"""Checks on a decision that span aggregates: who may decide, and who must recuse."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from domain.decision import Decision
from domain.errors import (
    BodyCannotDecideError,
    DecidedByError,
    DecisionRefusedError,
    NotAVotingMemberError,
    QuorumNotReachedError,
    RecusalError,
    ReversalError,
    SittingError,
    UndeclaredInterestError,
    VoteError,
    WrongBodyError,
)
from domain.governing_body import BodyKind, GoverningBody
from domain.naming import ids
from domain.sitting import Interest, InterestKind, Sitting


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
    interested_organisation_ids: frozenset[UUID] = field(default_factory=frozenset)
    """Organisations with a stake in it (the candidate, the project's partners, the
    beneficiary): a voting member seated for one of them must be recused."""


def check_decision(
    body: GoverningBody,
    decision: Decision,
    subject: DecisionSubject,
    name_of: Callable[[UUID], str] = str,
) -> Decision:
    """Refuse a decision the programme's governance does not allow; return it as recorded.

    A decision taken in a sitting comes back with the sitting's voting members less
    the recused as `decided_by`, its attendance count and its délibération number.
    """
    _check_body_may_decide(body, decision, subject, name_of)
    if body.kind == BodyKind.EXTERNAL and decision.sitting_id is not None:
        raise SittingError(
            f"{body.name} ({body.id}) is an external body: its sittings are not recorded here,"
            " its decisions name none (sitting_id)"
        )
    if body.kind == BodyKind.EXTERNAL or decision.sitting_not_published:
        for person in decision.decided_by:
            _check_voting_member(body, person, decision, subject)
        _check_interests(body, decision, subject, name_of, decision.decided_by)
        return decision
    sitting = _sitting_of(body, decision)
    voters = _check_vote(body, sitting, decision)
    if decision.decided_by and set(decision.decided_by) != set(voters):
        raise DecidedByError(
            f"decided_by must be the voting members present or represented at the sitting of"
            f" {body.name} on {sitting.held_on} less the recused: {', '.join(voters)}"
        )
    _check_interests(body, decision, subject, name_of, voters)
    return decision.model_copy(
        update={
            "decided_by": voters,
            "deliberation_number": len(body.deliberations) + 1,
            "present_or_represented": sitting.present_or_represented,
        }
    )


def _check_voting_member(
    body: GoverningBody, person: str, decision: Decision, subject: DecisionSubject
) -> None:
    if not body.is_voting_member(person, decision.decided_on):
        seat = body.current_seat(person, decision.decided_on)
        where = f"sits as {seat.role}" if seat else "does not sit"
        raise NotAVotingMemberError(
            f"{person} {where} in {body.name} on {decision.decided_on}; only its voting"
            f" members decide ({subject.description}){ids(body)}"
        )


def _sitting_of(body: GoverningBody, decision: Decision) -> Sitting:
    if decision.sitting_id is None:
        raise SittingError(
            f"a decision of {body.name} ({body.id}) names the sitting that took it (sitting_id),"
            " or says that sitting was never published (sitting_not_published)"
        )
    sitting = next((s for s in body.sittings if s.sitting_id == decision.sitting_id), None)
    if sitting is None:
        raise SittingError(f"{body.name} ({body.id}) has no sitting {decision.sitting_id}")
    if sitting.held_on != decision.decided_on:
        raise SittingError(
            f"the sitting {sitting.sitting_id} of {body.name} was held on {sitting.held_on},"
            f" not on {decision.decided_on}"
        )
    if not sitting.quorum_reached:
        raise QuorumNotReachedError(
            f"the sitting of {body.name} on {sitting.held_on} had"
            f" {sitting.present_or_represented} of its {sitting.voting_members} voting members"
            f" present or represented; {sitting.quorum_required} are needed to deliberate"
        )
    return sitting


def _check_vote(body: GoverningBody, sitting: Sitting, decision: Decision) -> tuple[str, ...]:
    """The members who could vote: present or represented, less the recused."""
    strangers = [p for p in decision.recused if p not in sitting.taking_part]
    if strangers:
        raise SittingError(
            f"{', '.join(strangers)} did not take part in the sitting of {body.name} on"
            f" {sitting.held_on}: only its voting members present or represented are recused"
        )
    voters = tuple(p for p in sitting.taking_part if p not in decision.recused)
    vote = decision.vote
    if vote is None:
        raise VoteError(f"a decision taken in a sitting of {body.name} gives its vote")
    if vote.total > len(voters):
        raise VoteError(
            f"{vote.total} votes for {len(voters)} voting members present or represented"
            f" less the recused at the sitting of {body.name} on {sitting.held_on}"
        )
    if vote.for_ <= vote.against:
        raise VoteError(
            f"{vote.for_} for and {vote.against} against: a decision needs more votes for"
            " than against"
        )
    return voters


def interests_in(
    body: GoverningBody, subject: DecisionSubject, people: tuple[str, ...], on: date
) -> tuple[Interest, ...]:
    """The interests of `people` in the subject: their seat's organisation has a stake in it,
    or they declared a conflict of interest with an organisation it concerns."""
    found: list[Interest] = []
    for person in people:
        seat = body.current_seat(person, on)
        if seat is not None and seat.organisation_id in subject.interested_organisation_ids:
            found.append(
                Interest(
                    person=person,
                    organisation_id=seat.organisation_id,
                    kind=InterestKind.STRUCTURAL,
                )
            )
        conflict = body.conflict_of(person, set(subject.concerned_organisation_ids), on)
        if conflict is not None:
            found.append(
                Interest(
                    person=person,
                    organisation_id=conflict.organisation_id,
                    kind=InterestKind.DECLARED,
                    reason=conflict.reason,
                )
            )
    return tuple(found)


def _check_interests(
    body: GoverningBody,
    decision: Decision,
    subject: DecisionSubject,
    name_of: Callable[[UUID], str],
    taking_part: tuple[str, ...],
) -> None:
    """A member with an interest in the subject is recused; else the decision is refused."""
    on = decision.decided_on
    for interest in interests_in(body, subject, taking_part, on):
        person, organisation = interest.person, name_of(interest.organisation_id)
        if interest.kind == InterestKind.STRUCTURAL:
            raise UndeclaredInterestError(
                f"{person} sits in {body.name} for {organisation}, which has a stake in"
                f" {subject.description}: {person} must be recused{ids(body)}"
            )
        conflict = body.conflict_of(person, {interest.organisation_id}, on)
        assert conflict is not None
        refusal = (
            f"{person} declared on {conflict.declared_on} a conflict of interest with"
            f" {organisation} ({conflict.reason}; declaration in {body.name}, version"
            f" {conflict.version}) and cannot decide {subject.description} unless recused"
            f"{ids(body)}"
        )
        if decision.sitting_id is None:
            raise RecusalError(refusal)  # no sitting to be recused from: the author is refused
        raise UndeclaredInterestError(refusal)


def _check_body_may_decide(
    body: GoverningBody,
    decision: Decision,
    subject: DecisionSubject,
    name_of: Callable[[UUID], str] = str,
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
# by voting members of the body on its day, none of whom has an interest in it unrecused.
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
    SittingError,
    QuorumNotReachedError,
    VoteError,
    DecidedByError,
    UndeclaredInterestError,
)
"""What `check_decision` and the reversal it names can refuse, for every command with a decision."""
