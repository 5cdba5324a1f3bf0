"""/audit/verify and /audit/events.jsonl: the integrity chain, checked here or offline.

Both read the events themselves, page by page, and need no view. A broken
chain is an answer (200 with `ok: false`), not an error.
"""

from collections.abc import Iterable, Iterator

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from api.http.deps import AuditLog, Auditor
from api.http.problems import problem_responses
from application.audit.chain_verification import ChainVerification
from application.audit.event_record import AuditEvent

router = APIRouter(prefix="/audit", tags=["audit"])

REFUSED = problem_responses(401, 403, 503)
STREAM_REFUSED = {
    status: {key: value for key, value in response.items() if key != "model"}
    for status, response in REFUSED.items()
}
"""The same refusals, described as problem+json only (a `model` would add the stream's type)."""
AUDIT_EVENT_REF = "#/components/schemas/AuditEvent"
"""Each line's schema (the component the event log's pages define too)."""
CHUNK_BYTES = 64 * 1024
"""Lines go out in chunks: a chunk per event would cost a thread hop per event."""


class JSONLinesResponse(StreamingResponse):
    media_type = "application/x-ndjson"


@router.get("/verify", response_model=ChainVerification, responses=REFUSED)
def verify(store: AuditLog, _: Auditor) -> ChainVerification:
    """Re-derive every event's content hash and chain hash; name the first break.

    `head_hash` is the chain hash of the last event checked: kept elsewhere and
    compared later, it also reveals events appended with recomputed hashes.
    """
    return store.verify()


@router.get(
    "/events.jsonl",
    response_class=JSONLinesResponse,
    responses={
        200: {
            "description": "One AuditEvent per line, in position order, with its hashes.",
            "content": {JSONLinesResponse.media_type: {"itemSchema": {"$ref": AUDIT_EVENT_REF}}},
        },
        **STREAM_REFUSED,
    },
)
def export_events(store: AuditLog, _: Auditor) -> JSONLinesResponse:
    """The whole log as JSON Lines, streamed: an auditor can re-derive every hash offline.

    `content_hash` is the SHA-256 of the sorted, compact JSON (UTF-8, unescaped)
    of the line's `aggregate_id`, `version`, `topic`, `effective_on`,
    `recorded_at`, `metadata` and `data`; `hash` is the SHA-256 of
    `previous_hash + content_hash`, the first `previous_hash` being 64 zeros.
    """
    return JSONLinesResponse(json_line_chunks(store.audit_events()))


def json_line_chunks(events: Iterable[AuditEvent]) -> Iterator[bytes]:
    """The events as JSON Lines, gathered into chunks of about `CHUNK_BYTES`."""
    chunk: list[bytes] = []
    size = 0
    for event in events:
        line = event.model_dump_json().encode() + b"\n"
        chunk.append(line)
        size += len(line)
        if size >= CHUNK_BYTES:
            yield b"".join(chunk)
            chunk, size = [], 0
    if chunk:
        yield b"".join(chunk)
