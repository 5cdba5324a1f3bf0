"""Refuses a request body over a size limit with 413, before the app holds more than the limit.

A pure ASGI middleware: a declared Content-Length over the limit is refused before the app
runs; a body without one (chunked) is counted as it streams in, and refused as soon as the
count passes the limit, so the app never buffers more than the limit.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.http.problems import problem_response

DEFAULT_MAX_BODY_BYTES = 1024 * 1024


class _BodyTooLarge(Exception):
    """Raised into the app from `receive` once the refusal has been sent."""


class RequestBodyLimit:
    def __init__(self, app: ASGIApp, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        if max_body_bytes < 0:
            raise ValueError("max_body_bytes must not be negative")
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body_bytes:
            await self._refuse(scope, receive, send)
            return

        received = 0
        started = False
        refused = False

        async def counting_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    if not started and not refused:
                        refused = True
                        await self._refuse(scope, receive, send)
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 is the answer; whatever the app says after it is dropped
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLarge:
            # The app let the refusal through instead of answering; the 413 is already sent
            # (or, if the app had started its own answer, nothing more can be said).
            pass
        except Exception:
            if not refused:
                raise

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(
            413,
            f"the request body is larger than the limit of {self.max_body_bytes} bytes",
            code="RequestBodyTooLarge",
            # The unread rest of the body makes the connection unusable for another request.
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    """The declared length; None when absent or unreadable (the body is then counted)."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
