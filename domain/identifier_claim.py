"""Who holds an identifier (SIREN, SIRET, RNA): one organisation at most at a time.

Its id is derived from the identifier itself, so two organisations claiming
the same identifier write the same aggregate: the second is refused, even when
both commands run at once (the store keeps one version 1 per id).
"""

from datetime import date
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import Aggregate

_NAMESPACE = uuid5(NAMESPACE_URL, "https://filieres.invalid/identifier-claims")


class IdentifierScheme(StrEnum):
    SIREN = "siren"
    SIRET = "siret"
    RNA = "rna"


class IdentifierClaim(Aggregate):
    """One identifier and the organisation holding it, if any."""

    # Events
    class Claimed(Aggregate.Created):
        scheme: IdentifierScheme
        value: str
        organisation_id: UUID

    class HolderChanged(Aggregate.Event):
        """Released (no holder) when corrected away, or claimed again afterwards."""

        organisation_id: UUID | None

    @staticmethod
    def create_id(scheme: IdentifierScheme, value: str) -> UUID:
        return uuid5(_NAMESPACE, f"{scheme}:{value}")

    @event(Claimed)
    def __init__(
        self, scheme: IdentifierScheme, value: str, organisation_id: UUID, effective_on: date
    ) -> None:
        self.scheme = scheme
        self.value = value
        self.holder_id: UUID | None = organisation_id

    def hold(self, organisation_id: UUID | None, effective_on: date) -> None:
        if organisation_id != self.holder_id:
            self._holder_changed(organisation_id=organisation_id, effective_on=effective_on)

    @event(HolderChanged)
    def _holder_changed(self, organisation_id: UUID | None, effective_on: date) -> None:
        self.holder_id = organisation_id
