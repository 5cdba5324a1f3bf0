"""What the reports on governing bodies share: the bodies asked for, and organisation names."""

from collections.abc import Iterator
from uuid import UUID

from application.queries import ProgrammeQueries
from domain.errors import NotFoundError
from domain.governing_body import GoverningBody
from domain.organisation import Organisation


def bodies_asked(app: ProgrammeQueries, body_id: UUID | None) -> Iterator[GoverningBody]:
    """The body named, or every body in constitution order; an unknown id raises NotFoundError."""
    for each in [body_id] if body_id is not None else list(app.ids_of(GoverningBody)):
        try:
            yield app.load(GoverningBody, each)
        except NotFoundError:
            raise NotFoundError(f"no governing body with id {each}") from None


class OrganisationNames:
    """Loads each organisation once: the same partners sit in several bodies."""

    def __init__(self, app: ProgrammeQueries) -> None:
        self.app = app
        self.known: dict[UUID, str] = {}

    def __call__(self, organisation_id: UUID) -> str:
        if organisation_id not in self.known:
            self.known[organisation_id] = self.app.load(Organisation, organisation_id).name
        return self.known[organisation_id]
