"""Pydantic events to JSON bytes and back, with upcasting and the metadata envelope.

The library documents this mapper and transcoder but does not ship them.
"""

from collections.abc import Callable
from typing import Any, cast

import orjson
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, ProgrammingError, StoredEvent, Transcoder, Transcoding
from eventsourcing.utils import get_topic, resolve_topic
from pydantic import BaseModel

from domain.base import EventMetadata

MetadataProvider = Callable[[], EventMetadata | None]


class OrjsonTranscoder(Transcoder):
    def encode(self, obj: Any) -> bytes:
        return orjson.dumps(obj)

    def decode(self, data: bytes) -> Any:
        return orjson.loads(data)

    def register(self, transcoding: Transcoding) -> None:
        raise ProgrammingError("pydantic models define their own encoding")


class PydanticMapper(Mapper[Any]):
    """Stores an event's JSON dump; stamps the metadata of the command being saved."""

    metadata_provider: MetadataProvider = staticmethod(lambda: None)  # type: ignore[assignment]

    def to_stored_event(self, domain_event: DomainEventProtocol[Any]) -> StoredEvent:
        model = cast(BaseModel, domain_event)
        state = model.model_dump(mode="json", by_alias=True)
        del state["originator_id"], state["originator_version"]
        if state.get("meta") is None:
            metadata = self.metadata_provider()
            state["meta"] = metadata.model_dump(mode="json") if metadata else None
        class_version = getattr(type(domain_event), "class_version", 1)
        if class_version > 1:
            state["class_version"] = class_version
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=get_topic(type(domain_event)),
            state=self.transcoder.encode(state),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[Any]:
        cls = resolve_topic(stored_event.topic)
        state = self.decode_state(stored_event)
        state["originator_id"] = stored_event.originator_id
        state["originator_version"] = stored_event.originator_version
        return cast(DomainEventProtocol[Any], cls.model_validate(state))

    def decode_state(self, stored_event: StoredEvent) -> dict[str, Any]:
        """The event's fields, upcast to the current version of its class."""
        cls = resolve_topic(stored_event.topic)
        state: dict[str, Any] = self.transcoder.decode(stored_event.state)
        version = state.pop("class_version", 1)
        while version < getattr(cls, "class_version", 1):
            getattr(cls, f"upcast_v{version}_v{version + 1}")(state)
            version += 1
        return state
