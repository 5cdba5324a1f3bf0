"""Organisations: the four founding partners, companies, clusters, schools, funders."""

from datetime import date
from enum import StrEnum
from typing import Annotated

from eventsourcing.domain import event
from pydantic import StringConstraints

from domain.base import Aggregate
from domain.errors import InvalidValueError, OrganisationArchivedError
from domain.naming import ids
from domain.text import Name, Statement, Topic
from domain.values import ValueObject


class OrganisationFact(ValueObject):
    """A fact about an organisation that is no decision: its perimeter, a figure, a milestone
    of its history, as of a day."""

    topic: Topic
    statement: Statement
    stated_on: date


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

    class IdentifiersSet(Aggregate.Event):
        """Its SIREN, SIRET and RNA numbers from then on (each None when it has none)."""

        siren: Annotated[str, StringConstraints(pattern=r"^\d{9}$")] | None
        siret: Annotated[str, StringConstraints(pattern=r"^\d{14}$")] | None
        rna: Annotated[str, StringConstraints(pattern=r"^W\d{9}$")] | None

    class FactStated(Aggregate.Event):
        """A fact about the organisation, true as of `effective_on`."""

        topic: Topic
        statement: Statement

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
        self.siret: str | None = None
        self.rna: str | None = None
        self.territory = territory
        self.registered_on = effective_on
        self.archived_on: date | None = None
        self.facts: tuple[OrganisationFact, ...] = ()

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

    def set_identifiers(
        self, siren: str | None, siret: str | None, rna: str | None, effective_on: date
    ) -> None:
        """Set or correct its identifiers; a SIRET's first nine digits are its SIREN."""
        if siret is not None:
            if siren is not None and siret[:9] != siren:
                raise InvalidValueError(
                    f"siret: {siret} does not begin with the SIREN {siren} of {self.name!r}"
                )
            siren = siret[:9]
        if (siren, siret, rna) != (self.siren, self.siret, self.rna):
            self._identifiers_set(siren=siren, siret=siret, rna=rna, effective_on=effective_on)

    @event(IdentifiersSet)
    def _identifiers_set(
        self, siren: str | None, siret: str | None, rna: str | None, effective_on: date
    ) -> None:
        self.siren, self.siret, self.rna = siren, siret, rna

    def state_fact(self, topic: str, statement: str, effective_on: date) -> None:
        """Record a fact about it; each fact stays, a later one on the same topic adds to it."""
        self._fact_stated(topic=topic, statement=statement, effective_on=effective_on)

    @event(FactStated)
    def _fact_stated(self, topic: str, statement: str, effective_on: date) -> None:
        fact = OrganisationFact(topic=topic, statement=statement, stated_on=effective_on)
        self.facts = (*self.facts, fact)

    def require_not_archived(self, named: str = "") -> None:
        """Refuse to take it on (as a member, partner, candidate, funder) once archived;
        `named` comes before its name in the refusal ("the beneficiary ")."""
        if self.is_archived:
            raise OrganisationArchivedError(
                f"{named}{self.name!r} was archived on {self.archived_on}{ids(self)}"
            )

    def _refuse_if_archived(self, action: str) -> None:
        if self.archived_on is not None:
            raise OrganisationArchivedError(
                f"organisation {self.name!r} was archived on {self.archived_on}"
                f" and cannot be {action}"
                f"{ids(self)}"
            )
