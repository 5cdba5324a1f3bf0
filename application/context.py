"""What every command carries in (who, which request) and hands back (where it landed)."""

from dataclasses import dataclass, field
from uuid import UUID, uuid4

from domain.base import EventMetadata, EventRef


@dataclass(frozen=True)
class CommandContext:
    """The authenticated actor and the request the command belongs to."""

    actor: str
    correlation_id: UUID = field(default_factory=uuid4)
    causation: EventRef | None = None

    def caused_by(self, cause: EventRef | None) -> "CommandContext":
        return CommandContext(self.actor, self.correlation_id, cause)

    def metadata(self) -> EventMetadata:
        return EventMetadata(
            recorded_by=self.actor, correlation_id=self.correlation_id, causation=self.causation
        )


@dataclass(frozen=True)
class CommandResult:
    """The aggregate's id and new version, and the log position of its last event."""

    id: UUID
    version: int
    position: int
    candidacy_id: UUID | None = None
    sitting_id: UUID | None = None
    deliberation_number: int | None = None
