"""Every aggregate, and the events each declares: for code that handles any event (the index).

Each aggregate declares its events as nested classes; this reads them from
the aggregates, so a new event is known here as soon as it is declared.
"""

from domain.base import Aggregate
from domain.call import Call
from domain.de_minimis import DeMinimisRegister
from domain.filiere import Filiere
from domain.funding import Funding
from domain.governing_body import GoverningBody
from domain.identifier_claim import IdentifierClaim
from domain.organisation import Organisation
from domain.project import Project
from domain.project_financing import ProjectFinancing

AGGREGATES: tuple[type[Aggregate], ...] = (
    Organisation,
    GoverningBody,
    Filiere,
    Call,
    Project,
    Funding,
    IdentifierClaim,
    ProjectFinancing,
    DeMinimisRegister,
)

# The bases the library gives every aggregate; no event is stored under them.
_LIBRARY_BASES = frozenset({"Event", "Created"})


def events_of(aggregate: type[Aggregate]) -> tuple[type[Aggregate.Event], ...]:
    """The event classes `aggregate` declares, in the order it declares them."""
    return tuple(
        value
        for name, value in vars(aggregate).items()
        if isinstance(value, type)
        and issubclass(value, Aggregate.Event)
        and name not in _LIBRARY_BASES
    )


ALL_EVENTS: tuple[type[Aggregate.Event], ...] = tuple(
    event_class for aggregate in AGGREGATES for event_class in events_of(aggregate)
)
"""Every event class of the six aggregates."""
