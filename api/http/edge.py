"""The HTTP edge under uvicorn: limits a request meets before the application sees it.

uvicorn's httptools protocol buffers a header whole before handing it over (a 48 MB
`Authorization` header grew a worker by as much) and gives a request that is never
finished all the time it wants. This protocol, which `filieres serve` runs, adds:

- **431** when the request line and headers pass `max_header_bytes` (16 KiB): bytes are
  fed to the parser in slices that never take the count past the limit, so no more than
  that is ever buffered; the rest of what the client sends is read and dropped for a
  moment (so that it can read the answer), then the connection is closed;
- **408**, and the connection closed at once, when a request is not fully received
  (headers and body) within `receive_seconds` (10 s) of its first byte, or of the
  connection opening.
  Between requests, uvicorn's keep-alive timeout applies as before.
"""

import asyncio
import json
from functools import cache
from http import HTTPStatus
from typing import Any

from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle
from uvicorn.server import ServerState

from api.http.problems import PROBLEM_JSON, Problem
from infrastructure.settings import Settings

LINGER_SECONDS = 1.0
"""How long the rest of a refused request is read and dropped before closing."""


@cache
def _limits() -> tuple[int, float]:
    # Read once per worker: uvicorn builds a protocol for every connection.
    settings = Settings()
    return settings.max_header_bytes, settings.request_receive_seconds


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.max_header_bytes, self.receive_seconds = _limits()
        self._header_bytes = 0
        self._headers_done = False
        self._refused = False
        self._receive_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()  # a connection that never sends a whole request is not kept either

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return  # the answer is sent; what follows is dropped until the connection closes
        while data and not self._headers_done:
            room = self.max_header_bytes - self._header_bytes
            if room <= 0:
                self._refuse(
                    431, f"the request line and headers pass {self.max_header_bytes} bytes"
                )
                return
            piece, data = data[:room], data[room:]
            self._header_bytes += len(piece)
            super().data_received(piece)
            if self.transport.is_closing():
                return
        if data:
            super().data_received(data)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._receive_deadline is None:
            self._arm()

    def on_headers_complete(self) -> None:
        self._headers_done = True
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._disarm()
        # The next request's headers are counted from its first byte, even pipelined in this
        # data: the slice being fed ends within the limit.
        self._header_bytes = 0
        self._headers_done = False
        super().on_message_complete()

    def _arm(self) -> None:
        self._disarm()
        self._receive_deadline = self.loop.call_later(self.receive_seconds, self._too_slow)

    def _disarm(self) -> None:
        if self._receive_deadline is not None:
            self._receive_deadline.cancel()
            self._receive_deadline = None

    def _too_slow(self) -> None:
        self._receive_deadline = None
        if self.transport.is_closing():
            return
        if self._current_cycle() is not None and self.cycle.response_started:
            self.transport.close()  # the app answers already; it cannot be told more
            return
        self._refuse(408, f"the request was not received in full within {self.receive_seconds} s")

    def _current_cycle(self) -> RequestResponseCycle | None:
        """The request being received, once its headers are in (before, `cycle` is the last)."""
        return self.cycle if self._headers_done else None

    def _refuse(self, status: int, detail: str) -> None:
        self._refused = True
        self._disarm()
        cycle = self._current_cycle()
        if cycle is not None and not cycle.response_complete:
            cycle.disconnected = True  # an app waiting for the body is told it never comes
            cycle.message_event.set()
        earlier = self.cycle if not self._headers_done else None
        if earlier is not None and not earlier.response_complete:
            # A pipelined request before this one is still being answered: no room for ours.
            self.transport.close()
            return
        self.transport.write(_problem(status, detail))
        if status == 431:
            # The client is likely still sending: closing with its data unread would reset the
            # connection, and it might never read the answer.
            self.loop.call_later(LINGER_SECONDS, self.transport.close)
        else:
            self.transport.close()  # after the answer is written; nothing more was coming


def _problem(status: int, detail: str) -> bytes:
    phrase = HTTPStatus(status).phrase
    problem = Problem(
        type="/problems/" + phrase.lower().replace(" ", "-"),
        title=phrase,
        status=status,
        detail=detail,
        code="RequestHeaderFieldsTooLarge" if status == 431 else "RequestTimeout",
    )
    body = json.dumps(problem.model_dump(exclude_none=True)).encode()
    head = (
        f"HTTP/1.1 {status} {phrase}\r\n"
        f"content-type: {PROBLEM_JSON}\r\n"
        f"content-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body
