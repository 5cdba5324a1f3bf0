"""How a refusal names organisations and bodies: by name in its sentence, and each with its
id at the end (`… does not sit in Bureau on 2011-09-15 [Bureau: 3f2c…]`), so that a person
reads who it is and a client finds it."""

from typing import Protocol
from uuid import UUID


class Named(Protocol):
    @property
    def id(self) -> UUID: ...

    @property
    def name(self) -> str: ...


def ids(*entities: Named) -> str:
    """The ids of the organisations and bodies a refusal names, to end its message with."""
    return " [" + "; ".join(f"{e.name}: {e.id}" for e in entities) + "]"
