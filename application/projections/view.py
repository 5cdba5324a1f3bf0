"""What a projection needs from its view, whatever stores it.

A view is a tracking recorder: every update commits in one transaction with
the log position it comes from, so an event is applied exactly once even when
a process dies between the two, or when two processes follow the same log.
"""

from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from typing import ClassVar

from eventsourcing.persistence import TrackingRecorder


class ViewBatch(ABC):
    """Several events applied in one transaction, the view's position written once at the end."""

    position: int
    """The view's position when the batch began, read under a lock."""

    @abstractmethod
    def advance_to(self, position: int) -> None:
        """Record that the view has considered every event up to `position`."""


class View(TrackingRecorder, ABC):
    """A materialised view kept by one projection."""

    name: ClassVar[str]
    version: ClassVar[int]
    """Bumped by code that changes the view's tables or meaning; a bump rebuilds it at start."""

    @abstractmethod
    def batch(self, application_name: str) -> AbstractContextManager[ViewBatch]:
        """Apply the events processed inside the block in one transaction."""

    @abstractmethod
    def stored_version(self) -> int | None:
        """The version the stored tables were built with, None when they were never built."""

    @abstractmethod
    def record_version(self) -> None:
        """Mark tables created empty just now as built at the code's version (no drop)."""

    @abstractmethod
    def reset(self) -> None:
        """Drop the view's tables and position, create them empty at the code's version."""

    @abstractmethod
    def table_contents(self) -> dict[str, list[tuple[object, ...]]]:
        """Every table of the view with its rows in a stable order (to compare two builds)."""
