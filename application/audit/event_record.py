"""One stored event as auditors read it, and the hashes of the integrity chain.

The hash covers the event exactly as stored (the JSON the mapper wrote), not
as the current code would decode it: an upcast must not look like tampering.
The canonical form is the standard library's JSON with sorted keys and no
spaces, so that an auditor can re-derive every hash from an export with a
few lines of Python and nothing of this code base.
"""

import hashlib
import json
import re
from typing import Any
from uuid import UUID

import orjson
from pydantic import BaseModel, ConfigDict

GENESIS_HASH = "0" * 64
"""The `previous_hash` of the first event in the log."""

CONTENT_FIELDS = (
    "aggregate_id",
    "version",
    "topic",
    "effective_on",
    "recorded_at",
    "metadata",
    "data",
)
"""The fields of an export line that its `content_hash` covers."""


class AuditEvent(BaseModel):
    """An event of the log: its place, its two times, who recorded it, and its hashes.

    `effective_on`, `recorded_at`, `metadata` and `data` are the stored JSON
    values, unchanged, so that they hash the same everywhere.
    """

    model_config = ConfigDict(frozen=True)

    position: int
    aggregate_id: UUID
    aggregate_type: str
    version: int
    type: str
    topic: str
    effective_on: str
    recorded_at: str
    recorded_by: str | None
    correlation_id: str | None
    causation_id: str | None
    """`AGGREGATE_ID@VERSION` of the event that led to this one, when there is one."""
    metadata: dict[str, Any] | None
    data: dict[str, Any]
    content_hash: str | None = None
    previous_hash: str | None = None
    hash: str | None = None
    """None for an event the chain does not hold (which `verify` reports)."""
    leaf_index: int | None = None
    """The event's leaf in the Merkle tree: its rank in the log, from 0."""
    tree_content_hash: str | None = None
    """What the leaf commits to: the content hash with each personal value salted
    (`application/audit/tree_content.py`); the leaf hash is SHA-256(0x00 ‖ its 32 bytes)."""
    personal_salts: dict[str, str] | None = None
    """The salt of each personal value, by JSON Pointer into the content fields."""


def event_type(topic: str) -> str:
    """`domain.call:Call.CandidacySelected` → `Call.CandidacySelected`."""
    return topic.rpartition(":")[2]


def split_state(state: dict[str, Any]) -> dict[str, Any]:
    """The stored state as the content fields (besides id, version and topic)."""
    data = dict(state)
    effective_on = data.pop("effective_on", None)
    recorded_at = data.pop("timestamp", None)
    metadata = data.pop("meta", None)
    return {
        "effective_on": effective_on,
        "recorded_at": recorded_at,
        "metadata": metadata,
        "data": data,
    }


def decode_state(state: bytes) -> dict[str, Any]:
    decoded: dict[str, Any] = orjson.loads(state)
    return decoded


def content_fields(
    aggregate_id: UUID | str, version: int, topic: str, state: dict[str, Any]
) -> dict[str, Any]:
    """The object the content hash covers: the export line's `CONTENT_FIELDS`."""
    return {
        "aggregate_id": str(aggregate_id),
        "version": version,
        "topic": topic,
        **split_state(state),
    }


def canonical_content(
    aggregate_id: UUID | str, version: int, topic: str, state: dict[str, Any]
) -> bytes:
    return canonical_json(content_fields(aggregate_id, version, topic, state))


def canonical_json(content: Any) -> bytes:
    """The standard library's sorted, compact JSON of `content`, as UTF-8.

    orjson writes the same bytes ten times faster for everything but some
    floats (`1e-05` is `0.00001` to it), so its answer is used unless a number
    outside the strings has a fraction or an exponent.
    """
    try:
        fast = orjson.dumps(content, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # an integer beyond 64 bits, say: the standard library copes
        fast = None
    if fast is not None and not _has_float(fast):
        return fast
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


_FLOAT_MARK = re.compile(rb"[.+E]|[0-9]e")
"""What only a float writes outside strings (`e` alone is in `true` and `false`)."""


def _has_float(encoded: bytes) -> bool:
    # Without escaped backslashes and quotes, every other piece between quotes is outside strings.
    if b"\\" in encoded:
        encoded = encoded.replace(b"\\\\", b"").replace(b'\\"', b"")
    outside = b"".join(encoded.split(b'"')[::2])
    return _FLOAT_MARK.search(outside) is not None


def content_hash(aggregate_id: UUID | str, version: int, topic: str, state: bytes) -> str:
    return hashlib.sha256(
        canonical_content(aggregate_id, version, topic, decode_state(state))
    ).hexdigest()


def chain_hash(previous_hash: str, content_hash: str) -> str:
    return hashlib.sha256((previous_hash + content_hash).encode()).hexdigest()


def audit_event(
    position: int,
    aggregate_id: UUID | str,
    version: int,
    topic: str,
    state: bytes,
    content_hash: str | None = None,
    previous_hash: str | None = None,
    hash: str | None = None,
    leaf_index: int | None = None,
    tree_content_hash: str | None = None,
    personal_salts: dict[str, str] | None = None,
) -> AuditEvent:
    """The auditor's record of one stored event, with its chain row's hashes when given."""
    parts = split_state(decode_state(state))
    metadata = parts["metadata"] or {}
    causation = metadata.get("causation")
    name = event_type(topic)
    return AuditEvent(
        position=position,
        aggregate_id=aggregate_id,
        aggregate_type=name.partition(".")[0],
        version=version,
        type=name,
        topic=topic,
        recorded_by=metadata.get("recorded_by"),
        correlation_id=metadata.get("correlation_id"),
        causation_id=(f"{causation['aggregate_id']}@{causation['version']}" if causation else None),
        content_hash=content_hash,
        previous_hash=previous_hash,
        hash=hash,
        leaf_index=leaf_index,
        tree_content_hash=tree_content_hash,
        personal_salts=personal_salts,
        **parts,
    )
