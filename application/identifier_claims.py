"""Each SIREN, SIRET and RNA number held by one organisation at most, through IdentifierClaim."""

from datetime import date

from application.base import FilieresApplicationBase
from domain.errors import IdentifierTakenError, NotFoundError
from domain.identifier_claim import IdentifierClaim, IdentifierScheme
from domain.organisation import Organisation

Identifiers = dict[IdentifierScheme, str | None]


def identifiers_of(organisation: Organisation) -> Identifiers:
    return {
        IdentifierScheme.SIREN: organisation.siren,
        IdentifierScheme.SIRET: organisation.siret,
        IdentifierScheme.RNA: organisation.rna,
    }


class IdentifierClaims(FilieresApplicationBase):
    def claims(
        self, organisation: Organisation, before: Identifiers, effective_on: date
    ) -> list[IdentifierClaim]:
        """The claims to save with `organisation`, whose identifiers were `before`.

        A new identifier is claimed for it, refused if another organisation holds
        it; one it no longer has is released for others.
        """
        changed: list[IdentifierClaim] = []
        for scheme, value in identifiers_of(organisation).items():
            old = before[scheme]
            if value == old:
                continue
            if value is not None:
                changed.append(self._claim(scheme, value, organisation, effective_on))
            if old is not None:
                released = self._claim_of(scheme, old)
                if released is not None and released.holder_id == organisation.id:
                    released.hold(None, effective_on)
                    changed.append(released)
        return changed

    def _claim(
        self, scheme: IdentifierScheme, value: str, organisation: Organisation, on: date
    ) -> IdentifierClaim:
        claim = self._claim_of(scheme, value)
        if claim is None:
            return IdentifierClaim(
                scheme=scheme, value=value, organisation_id=organisation.id, effective_on=on
            )
        if claim.holder_id not in (None, organisation.id):
            assert claim.holder_id is not None
            raise IdentifierTakenError(
                f"{scheme.upper()} {value} is already held by"
                f" {self._organisation_name(claim.holder_id)}; {organisation.name!r} cannot"
                " take it"
            )
        claim.hold(organisation.id, on)
        return claim

    def _claim_of(self, scheme: IdentifierScheme, value: str) -> IdentifierClaim | None:
        try:
            return self.load(IdentifierClaim, IdentifierClaim.create_id(scheme, value))
        except NotFoundError:
            return None
