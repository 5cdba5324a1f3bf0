"""Sittings (séances) of a body: attendance, proxies, quorum; the body's composition rule.

A sitting's attendance is checked against the seats of its body on the day it
was held, so the body and its sittings are one consistency boundary (the
GoverningBody aggregate): a seat cannot change under a sitting being checked.
"""

from collections import Counter
from datetime import date
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

from pydantic import BeforeValidator, Field, PlainSerializer, StringConstraints

from domain.decision import PersonName
from domain.errors import (
    InvalidValueError,
    NotSeatedOnThatDayError,
    ParityError,
    ProxyHolderError,
    SecondProxyError,
)
from domain.values import ValueObject

if TYPE_CHECKING:
    from domain.governing_body import GoverningBody

DEFAULT_QUORUM = Decimal("0.5")


def _share(value: object) -> Decimal:
    """A share of the voting members, given as text (or a Decimal): more than 0, at most 1."""
    if isinstance(value, float | bool):
        raise ValueError('a share is written as a decimal string, e.g. "0.5"')
    try:
        share = Decimal(str(value))
    except ArithmeticError:
        raise ValueError('a share is written as a decimal string, e.g. "0.5"') from None
    if not share.is_finite() or not Decimal(0) < share <= Decimal(1):
        raise ValueError("a quorum is a share of the voting members: more than 0, at most 1")
    return share


Quorum = Annotated[
    Decimal,
    BeforeValidator(_share),
    PlainSerializer(lambda d: str(d), return_type=str, when_used="json"),
]
"""The share of a body's voting members who must be present or represented to deliberate."""

MinutesReference = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


class Composition(StrEnum):
    """What the body's statutes say of its voting seats."""

    FREE = "free"
    PARITY = "parity"
    """The same number of voting seats for each member organisation."""


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    REPRESENTED = "represented"
    EXCUSED = "excused"
    ABSENT = "absent"


class Attendance(ValueObject):
    """One seated member at a sitting; `represented_by` names the proxy holder."""

    person: PersonName
    status: AttendanceStatus
    represented_by: PersonName | None = None


class Sitting(ValueObject):
    """A sitting as recorded, with its quorum figures as they stood when it was recorded."""

    sitting_id: UUID
    held_on: date
    attendance: tuple[Attendance, ...]
    minutes_reference: str | None = None
    voting_members: int = Field(ge=0)
    taking_part: tuple[str, ...]
    """The voting members present or represented, who may vote in it."""
    quorum_required: int = Field(ge=0)

    @property
    def present_or_represented(self) -> int:
        return len(self.taking_part)

    @property
    def quorum_reached(self) -> bool:
        return self.voting_members > 0 and self.present_or_represented >= self.quorum_required


class InterestKind(StrEnum):
    STRUCTURAL = "structural"
    """Seated for the candidate, a partner of the project or the beneficiary."""
    DECLARED = "declared"
    """Declared a conflict of interest with an organisation concerned."""


class Interest(ValueObject):
    """A voting member's interest in a decision: they must be recused from it."""

    person: str
    organisation_id: UUID
    kind: InterestKind
    reason: str | None = None


class Deliberation(ValueObject):
    """A decision taken in a sitting, numbered within its body (délibération n°)."""

    deliberation_number: int = Field(ge=1)
    sitting_id: UUID
    decided_on: date
    subject_id: UUID
    subject: str
    recused: tuple[str, ...] = ()
    interests: tuple[Interest, ...] = ()


def taking_part(attendance: tuple[Attendance, ...], voting: set[str]) -> tuple[str, ...]:
    """The voting members present or represented, in attendance order."""
    counted = (AttendanceStatus.PRESENT, AttendanceStatus.REPRESENTED)
    return tuple(a.person for a in attendance if a.status in counted and a.person in voting)


def quorum_required(voting_members: int, quorum: Decimal) -> int:
    """How many voting members must be present or represented: the share, rounded up, ≥ 1."""
    needed = (Decimal(voting_members) * quorum).to_integral_value(rounding=ROUND_CEILING)
    return max(1, int(needed))


def check_attendance(
    body_name: str,
    held_on: date,
    attendance: tuple[Attendance, ...],
    voting: set[str],
    seated: set[str],
) -> None:
    """Refuse attendance the body's seats on `held_on` do not allow."""
    named = Counter(a.person for a in attendance)
    twice = sorted(p for p, n in named.items() if n > 1)
    if twice:
        raise InvalidValueError(f"attendance names {', '.join(twice)} more than once")
    for line in attendance:
        if line.person not in seated:
            raise NotSeatedOnThatDayError(
                f"{line.person} has no seat in {body_name} on {held_on}: only its members"
                " seated that day attend its sitting"
            )
        represented = line.status == AttendanceStatus.REPRESENTED
        if represented != (line.represented_by is not None):
            raise InvalidValueError(
                f"attendance of {line.person}: represented_by is given for a member"
                " represented, and only then"
            )
    present_voting = {
        a.person for a in attendance if a.status == AttendanceStatus.PRESENT and a.person in voting
    }
    holders: Counter[str] = Counter()
    for line in attendance:
        if line.represented_by is None:
            continue
        if line.person not in voting:
            raise ProxyHolderError(
                f"{line.person} holds no voting seat in {body_name} on {held_on}: only a"
                " voting member is represented"
            )
        if line.represented_by not in present_voting:
            raise ProxyHolderError(
                f"{line.represented_by} cannot hold {line.person}'s proxy in {body_name} on"
                f" {held_on}: a proxy holder is a voting member present at the sitting"
            )
        holders[line.represented_by] += 1
        if holders[line.represented_by] > 1:
            raise SecondProxyError(
                f"{line.represented_by} already holds a proxy at this sitting of {body_name};"
                " a member holds at most one"
            )


def new_sitting(
    body: "GoverningBody",
    sitting_id: UUID,
    held_on: date,
    attendance: tuple[Attendance, ...],
    minutes_reference: str | None,
) -> Sitting:
    """The sitting as it is recorded, its attendance checked against the body's seats of
    the day and its quorum figures taken from them."""
    if body.constituted_on is not None and held_on < body.constituted_on:
        raise InvalidValueError(f"{body.name} cannot sit on {held_on}, before it was constituted")
    if any(s.sitting_id == sitting_id for s in body.sittings):
        raise InvalidValueError(f"{body.name} already has a sitting {sitting_id}")
    voting = set(body.voting_members(held_on))
    seated = {s.person for s in body.seated_on(held_on)}
    check_attendance(body.name, held_on, attendance, voting, seated)
    return Sitting(
        sitting_id=sitting_id,
        held_on=held_on,
        attendance=attendance,
        minutes_reference=minutes_reference,
        voting_members=len(voting),
        taking_part=taking_part(attendance, voting),
        quorum_required=quorum_required(len(voting), body.quorum),
    )


def check_parity(
    body_name: str, organisation: str, on: date, seats_of: Counter[UUID], organisation_id: UUID
) -> None:
    """A new voting seat may not give its organisation more voting seats than another member."""
    after = seats_of[organisation_id] + 1
    fewer = [n for org, n in seats_of.items() if org != organisation_id and n < after]
    if fewer:
        raise ParityError(
            f"{body_name} is composed in equal numbers: {organisation} would hold {after}"
            f" voting seats on {on} while another member organisation holds {min(fewer)}"
        )
