"""Conditional GETs: every JSON or CSV answer to a GET carries an ETag; If-None-Match → 304.

A route may set its own ETag (an aggregate's version, `"N"`, which a command's
If-Match then takes); it must change whenever the body does. Any other answer
gets a strong ETag from a hash of its bytes. When the request's If-None-Match
names the answer's ETag (or is `*`), the answer is a 304 without a body, as
RFC 9110 §13.1.2 says (weak comparison: a `W/` prefix is ignored).

Only `application/json` and `text/csv` answers are buffered to hash them, up
to `MAX_TAGGED_BYTES`: a larger one (the whole register as CSV, at scale) is
streamed on as it comes, in bounded memory, without a computed ETag. Streams of
other types (JSON Lines, HTML) pass through as they come.
"""

import hashlib

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TAGGED_TYPES = ("application/json", "text/csv")
MAX_TAGGED_BYTES = 8 * 1024 * 1024
# Headers a 304 repeats from the 200 it stands for (RFC 9110 §15.4.5).
_KEPT_ON_304 = ("etag", "cache-control", "content-location", "date", "expires", "vary")


def content_etag(body: bytes) -> str:
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def matches(if_none_match: str, etag: str) -> bool:
    """Whether the If-None-Match list names `etag` (weak comparison) or is `*`."""
    if if_none_match.strip() == "*":
        return True
    wanted = _opaque(etag)
    return any(_opaque(tag) == wanted for tag in if_none_match.split(","))


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


class ConditionalGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        if_none_match = Headers(scope=scope).get("if-none-match")
        start: Message | None = None
        body = bytearray()

        async def tagging_send(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if message["status"] == 200 and _tagged(Headers(raw=message["headers"])):
                    start = message  # held until the whole body is known
                    return
                await send(message)
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            body.extend(message.get("body", b""))
            more = message.get("more_body", False)
            if more and len(body) > MAX_TAGGED_BYTES:
                # Too large to hold: on as a stream, with what was held so far.
                await send(start)
                await send({"type": "http.response.body", "body": bytes(body), "more_body": True})
                start = None
                body.clear()
                return
            if more:
                return
            await _finish(send, start, bytes(body), if_none_match)

        await self.app(scope, receive, tagging_send)


def _tagged(headers: Headers) -> bool:
    content_type = headers.get("content-type", "")
    return content_type.split(";")[0].strip().lower() in TAGGED_TYPES


async def _finish(send: Send, start: Message, body: bytes, if_none_match: str | None) -> None:
    headers = MutableHeaders(raw=list(start["headers"]))
    etag = headers.get("etag") or content_etag(body)
    headers["ETag"] = etag
    if if_none_match is not None and matches(if_none_match, etag):
        kept = [(k, v) for k, v in headers.raw if k.decode().lower() in _KEPT_ON_304]
        await send({"type": "http.response.start", "status": 304, "headers": kept})
        await send({"type": "http.response.body", "body": b""})
        return
    headers["Content-Length"] = str(len(body))
    await send({**start, "headers": headers.raw})
    await send({"type": "http.response.body", "body": body})
