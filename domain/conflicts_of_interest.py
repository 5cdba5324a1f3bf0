"""Declarations of conflicts of interest: who must recuse themself, for which
organisation, from when and until when.

The GoverningBody aggregate records the declarations; this module says which one
applies to a decision and refuses a declaration that ends before it was made.
"""

from datetime import date
from uuid import UUID

from domain.errors import InvalidValueError
from domain.values import ValueObject


class ConflictOfInterest(ValueObject):
    person: str
    organisation_id: UUID
    declared_on: date
    reason: str
    version: int
    ends_on: date | None = None

    def applies(self, person: str, organisation_ids: set[UUID], on: date) -> bool:
        return (
            self.person == person
            and self.organisation_id in organisation_ids
            and self.declared_on <= on
            and (self.ends_on is None or on <= self.ends_on)
        )


def conflict_of(
    conflicts: list[ConflictOfInterest], person: str, organisation_ids: set[UUID], on: date
) -> ConflictOfInterest | None:
    """The declaration that makes `person` recuse themself, if any."""
    return next((c for c in conflicts if c.applies(person, organisation_ids, on)), None)


def check_declaration(person: str, declared_on: date, ends_on: date | None) -> None:
    if ends_on is not None and ends_on < declared_on:
        raise InvalidValueError(
            f"ends_on: a declaration of {person} cannot end on {ends_on}, before it was"
            f" made on {declared_on}"
        )
