"""Organisations: the four founding partners, companies, clusters, schools, funders."""

from datetime import date
from enum import StrEnum
from typing import Annotated

from eventsourcing.domain import event
from pydantic import StringConstraints

from domain.base import Aggregate
from domain.errors import OrganisationArchivedError
from domain.naming import ids

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class OrganisationKind(StrEnum):
    PARTNER = "partner"
    COMPANY = "company"
    CLUSTER = "cluster"
    SCHOOL = "school"
    FUNDER = "funder"
    PUBLIC_BODY = "public_body"
    ASSOCIATION = "association"
    OTHER = "other"


class Organisation(Aggregate):
    """A legal person the programme deals with; only partners lead filières."""

    # Events
    class Registered(Aggregate.Created):
        name: Name
        kind: OrganisationKind
        siren: Annotated[str, StringConstraints(pattern=r"^\d{9}$")] | None
        territory: Annotated[str, StringConstraints(max_length=300)] | None

    class Renamed(Aggregate.Event):
        name: Name

    class Archived(Aggregate.Event):
        pass

    @event(Registered)
    def __init__(
        self,
        name: str,
        kind: OrganisationKind,
        effective_on: date,
        siren: str | None = None,
        territory: str | None = None,
    ) -> None:
        self.name = name
        self.kind = kind
        self.siren = siren
        self.territory = territory
        self.registered_on = effective_on
        self.archived_on: date | None = None

    @property
    def is_partner(self) -> bool:
        return self.kind == OrganisationKind.PARTNER

    @property
    def is_archived(self) -> bool:
        return self.archived_on is not None

    def rename(self, name: Name, effective_on: date) -> None:
        self._refuse_if_archived("renamed")
        self._renamed(name=name, effective_on=effective_on)

    @event(Renamed)
    def _renamed(self, name: str, effective_on: date) -> None:
        self.name = name

    def archive(self, effective_on: date) -> None:
        self._refuse_if_archived("archived again")
        self._archived(effective_on=effective_on)

    @event(Archived)
    def _archived(self, effective_on: date) -> None:
        self.archived_on = effective_on

    def _refuse_if_archived(self, action: str) -> None:
        if self.archived_on is not None:
            raise OrganisationArchivedError(
                f"organisation {self.name!r} was archived on {self.archived_on}"
                f" and cannot be {action}"
                f"{ids(self)}"
            )
