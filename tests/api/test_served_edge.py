"""The edge of a served API (`filieres serve`, real uvicorn, raw sockets): oversized headers
get 431 before they are buffered, and a request not received in full is dropped with 408.

What is tested is uvicorn's protocol (`api/http/edge.py`), the same whatever the store:
these run on SQLite.
"""

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.test_served import _env, _free_port, running

RECEIVE_SECONDS = 3
"""Shortened for the test from the default 10 s (`request_receive_seconds`)."""
MAX_HEADER_BYTES = 16 * 1024
HANG_GUARD_SECONDS = 60
"""A socket that stays open this long means the server never dropped it: the test fails."""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, int]]:
    """A served store with two workers: the port, and the pid of the process that started them."""
    directory: Path = tmp_path_factory.mktemp("edge")
    env = {**_env(), "FILIERES_REQUEST_RECEIVE_SECONDS": str(RECEIVE_SECONDS)}
    port = _free_port()
    url = f"sqlite:///{directory / 'filieres.db'}"
    with running(["serve", "--workers", "2", "--database-url", url], directory, port, env) as (
        process,
        _,
    ):
        yield port, process.pid


def connect(port: int) -> socket.socket:
    connection = socket.create_connection(("127.0.0.1", port))
    connection.settimeout(HANG_GUARD_SECONDS)
    return connection


def read_until_closed(connection: socket.socket) -> bytes:
    received = b""
    with connection:
        while chunk := connection.recv(65536):
            received += chunk
    return received


def head_of(answer: bytes) -> tuple[int, dict]:
    """The status and the problem of a refusal the server sent before closing."""
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    assert b"connection: close" in head.lower()
    assert b"content-type: application/problem+json" in head.lower()
    return status, json.loads(body)


def request_of_size(total: int) -> bytes:
    """A GET /health whose request line and headers are exactly `total` bytes."""
    start = b"GET /health HTTP/1.1\r\nHost: edge\r\nX-Padding: "
    end = b"\r\n\r\n"
    return start + b"p" * (total - len(start) - len(end)) + end


def test_headers_of_16_kib_are_read_and_one_byte_more_gets_431(served):
    port, _ = served
    with connect(port) as connection:
        connection.sendall(request_of_size(MAX_HEADER_BYTES))
        assert connection.recv(64).startswith(b"HTTP/1.1 200 ")

    with connect(port) as connection:
        connection.sendall(request_of_size(MAX_HEADER_BYTES + 1))
        status, problem = head_of(read_until_closed(connection))

    assert status == 431 == problem["status"]
    assert str(MAX_HEADER_BYTES) in problem["detail"]


def test_four_48_mb_authorization_headers_at_once_leave_the_workers_memory_flat(served):
    port, pid = served
    workers = _children(pid)
    assert len(workers) >= 2, workers
    before = {worker: _rss_mib(worker) for worker in workers}
    answers: list[bytes | BaseException] = []

    def attack() -> None:
        header = b"Authorization: Bearer " + b"a" * (48 * 1024 * 1024) + b"\r\n\r\n"
        try:
            with connect(port) as connection:
                connection.sendall(b"GET /filieres HTTP/1.1\r\nHost: edge\r\n" + header)
                answers.append(connection.recv(64))
        except OSError as error:  # reset once refused, before the whole header was sent
            answers.append(error)

    attackers = [threading.Thread(target=attack) for _ in range(4)]
    for attacker in attackers:
        attacker.start()
    for attacker in attackers:
        attacker.join(HANG_GUARD_SECONDS)

    assert len(answers) == 4
    assert all(isinstance(a, OSError) or a.startswith(b"HTTP/1.1 431 ") for a in answers)
    assert any(isinstance(a, bytes) for a in answers), answers
    growth = {worker: _rss_mib(worker) - before[worker] for worker in workers}
    assert all(grown < 50 for grown in growth.values()), growth


@pytest.mark.parametrize(
    "sent",
    [
        b"",
        b"GET /health HTTP/1.1\r\nHost: edge\r\n",
        b"POST /organisations HTTP/1.1\r\nHost: edge\r\nContent-Type: application/json\r\n"
        b'Content-Length: 100\r\n\r\n{"name": ',
    ],
    ids=["nothing", "half the headers", "half the body"],
)
def test_200_half_sent_requests_are_dropped_with_408(served, sent):
    port, _ = served
    connections = [connect(port) for _ in range(200)]
    for connection in connections:
        connection.sendall(sent)

    answers = [read_until_closed(connection) for connection in connections]

    for answer in answers:
        status, problem = head_of(answer)
        assert status == 408 == problem["status"]
        assert f"{RECEIVE_SECONDS}" in problem["detail"]
    with connect(port) as connection:  # and the server still answers
        connection.sendall(request_of_size(200))
        assert connection.recv(64).startswith(b"HTTP/1.1 200 ")


def test_a_request_sent_in_pieces_within_the_limit_is_answered(served):
    port, _ = served
    request = request_of_size(400)
    with connect(port) as connection:
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for start in range(0, len(request), 100):
            connection.sendall(request[start : start + 100])
            time.sleep(0.2)  # pieces, as a slow client sends them (well within the limit)
        assert read_response(connection).startswith(b"HTTP/1.1 200 ")
        # The same connection, kept alive, serves the next request too.
        connection.sendall(request)
        assert read_response(connection).startswith(b"HTTP/1.1 200 ")


def read_response(connection: socket.socket) -> bytes:
    """One whole response (its head and its Content-Length of body), the connection kept."""
    received = b""
    while b"\r\n\r\n" not in received:
        received += connection.recv(65536)
    head, _, body = received.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.lower().split(b"\r\n")
        if line.startswith(b"content-length:")
    )
    while len(body) < length:
        body += connection.recv(65536)
    return head + b"\r\n\r\n" + body


def _children(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines())
        except (OSError, ValueError):
            continue
        if fields.get("PPid", "").strip() == str(pid) and "VmRSS" in fields:
            found.append(int(status.parent.name))
    # The workers, not multiprocessing's helpers: those that hold the API (the largest).
    return sorted(found, key=_rss_mib, reverse=True)[:2]


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for {pid}")
