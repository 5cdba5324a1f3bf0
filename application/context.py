"""What every command carries in (who, which request, on what source) and hands back."""

from dataclasses import dataclass, field, replace
from uuid import UUID, uuid4

from domain.base import EventMetadata, EventRef, Source


@dataclass(frozen=True)
class CommandContext:
    """The authenticated actor and the request the command belongs to.

    `source` and `assumptions` come from the command itself (see `Command`):
    the application stamps them, with the actor, on every event it stores.
    """

    actor: str
    correlation_id: UUID = field(default_factory=uuid4)
    causation: EventRef | None = None
    source: Source | None = None
    assumptions: tuple[str, ...] = ()

    def caused_by(self, cause: EventRef | None) -> "CommandContext":
        return replace(self, causation=cause)

    def citing(self, source: Source | None, assumptions: tuple[str, ...]) -> "CommandContext":
        """This context for a command that cites `source` and rests on `assumptions`."""
        return replace(self, source=source, assumptions=assumptions)

    def metadata(self) -> EventMetadata:
        return EventMetadata(
            recorded_by=self.actor,
            correlation_id=self.correlation_id,
            causation=self.causation,
            source=self.source,
            assumptions=self.assumptions,
        )


@dataclass(frozen=True)
class CommandResult:
    """The aggregate's id and new version, and the log position of its last event."""

    id: UUID
    version: int
    position: int
    candidacy_id: UUID | None = None
    """Set when the command submitted a candidacy."""
    sitting_id: UUID | None = None
    """Set when the command recorded a sitting."""
    deliberation_number: int | None = None
    """Set when the command recorded a decision taken in a sitting (its délibération n°)."""
