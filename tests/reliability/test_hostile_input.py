"""Hostile input changes nothing it should not: each is refused (never with a 5xx), or stored
literally and read back as sent, and the log holds exactly the events intended.

Oversized bodies (declared or streamed), deep JSON, unicode edge cases, SQL metacharacters,
path tricks and header injection, through the real app on SQLite and PostgreSQL; the
transport-level tricks (chunked bodies, raw `../` paths, CRLF and huge headers) also through
a real uvicorn on 127.0.0.1, where they arrive as a client would send them.
"""

import contextlib
import json
import socket
import unicodedata
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.bootstrap import Services, build
from api.http.main import create_app
from infrastructure.auth_store import Role
from infrastructure.settings import Settings
from tests.api.http import assert_problem, bearer, event_count
from tests.api.http import served as serving
from tests.world import PRESIDENTS, World

# Over a minute with both backends: `make reliability`, not `make test`.
pytestmark = pytest.mark.reliability

MIB = 1024 * 1024
ORGANISATION = {"name": "Scierie du Forez", "kind": "partner"}
JSON = {"content-type": "application/json"}


@pytest.fixture
def auditor(tokens: dict[Role, str]) -> dict[str, str]:
    return bearer(tokens[Role.AUDITOR])


def assert_clean_headers(response: httpx.Response) -> None:
    """No header the client did not expect: nothing sent was reflected into the headers."""
    for name, value in response.headers.raw:
        assert b"\r" not in name + value and b"\n" not in name + value, (name, value)
        assert name.lower() not in (b"set-cookie", b"x-injected"), (name, value)


def filiere_body(world: World, name: str, lead_partner: str | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "kind": "filiere",
        "lead_partner_id": lead_partner or str(world.partner_b),
        "launched_on": "2012-02-15",
        "decision": {
            "body_id": str(world.bureau),
            "decided_on": "2012-02-15",
            "decided_by": list(PRESIDENTS),
            "sitting_not_published": True,
            "rationale": "Le bureau approuve.",
        },
    }


# --- Oversized bodies ---------------------------------------------------------------------


def padded_organisation(size: int) -> bytes:
    """A valid organisation, padded with JSON whitespace to exactly `size` bytes."""
    body = json.dumps(ORGANISATION).encode()
    return body[:-1] + b" " * (size - len(body)) + b"}"


def test_a_body_of_exactly_the_limit_is_read(services, client, recorder):
    before = event_count(services)
    response = client.post(
        "/organisations", content=padded_organisation(MIB), headers={**recorder, **JSON}
    )
    assert response.status_code == 201, response.text
    assert event_count(services) == before + 1


def test_a_body_over_the_limit_is_refused_with_413(services, client, recorder):
    before = event_count(services)
    response = client.post(
        "/organisations", content=padded_organisation(MIB + 1), headers={**recorder, **JSON}
    )
    problem = assert_problem(response, 413, "larger than the limit", str(MIB))
    assert set(problem) >= {"type", "title", "status", "detail"}
    assert event_count(services) == before


def test_a_declared_length_over_the_limit_is_refused_before_reading(services, client, recorder):
    """Content-Length alone decides: the app is not even asked (no 401 for a missing token)."""
    before = event_count(services)
    response = client.post("/organisations", content=b"{" + b" " * (2 * MIB) + b"}", headers=JSON)
    assert_problem(response, 413)
    assert event_count(services) == before


def test_a_chunked_body_over_the_limit_is_refused_with_413(services, client, recorder):
    """No Content-Length: the bytes are counted as they come."""

    def chunks() -> Iterator[bytes]:
        yield b'{"name": "Scierie", "kind": "partner", "territory": "'
        for _ in range(20):
            yield b"x" * 64 * 1024
        yield b'"}'

    before = event_count(services)
    response = client.post("/organisations", content=chunks(), headers={**recorder, **JSON})
    assert "content-length" not in response.request.headers
    assert_problem(response, 413)
    assert event_count(services) == before


def test_the_limit_is_a_setting(database_url, monkeypatch):
    monkeypatch.setenv("FILIERES_MAX_BODY_BYTES", "100")
    assert Settings().max_body_bytes == 100
    services = build(database_url=database_url)
    try:
        token = services.tokens.issue("Recorder", Role.RECORDER)
        with TestClient(create_app(services), raise_server_exceptions=False) as client:
            before = event_count(services)
            small = client.post("/organisations", json=ORGANISATION, headers=bearer(token))
            assert small.status_code == 201, small.text
            large = client.post(
                "/organisations", content=padded_organisation(101), headers=bearer(token, **JSON)
            )
            assert_problem(large, 413, "100 bytes")
            assert event_count(services) == before + 1
    finally:
        services.close()


# --- Deeply nested JSON -------------------------------------------------------------------

DEEP = {
    "arrays 100 000 deep": b"[" * 100_000 + b"]" * 100_000,
    "objects 100 000 deep": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "arrays 100 000 deep in a name": b'{"name": '
    + b"[" * 100_000
    + b"]" * 100_000
    + b', "kind": "partner"}',
    "unclosed arrays 500 000 deep": b"[" * 500_000,
    "arrays 1000 deep in a name": b'{"name": ' + b"[" * 1000 + b"]" * 1000 + b', "kind": "x"}',
}


@pytest.mark.parametrize("name", DEEP)
def test_deeply_nested_json_is_refused_with_422(name, services, client, recorder):
    before = event_count(services)
    response = client.post("/organisations", content=DEEP[name], headers={**recorder, **JSON})
    # Malformed input like any other (docs/api.md): a 422 naming the body, not the parser's 400.
    problem = assert_problem(response, 422, "nested too deep")
    assert ["body"] in [error["loc"] for error in problem["errors"]]
    assert event_count(services) == before
    assert client.get("/health").status_code == 200


def test_a_body_that_is_not_utf8_is_refused_with_422(services, client, recorder):
    before = event_count(services)
    response = client.post(
        "/organisations",
        content=b'{"name": "Scierie \xff\xfe", "kind": "partner"}',
        headers={**recorder, **JSON},
    )
    assert_problem(response, 422, "not valid JSON text")
    assert event_count(services) == before


# --- Unicode in names ---------------------------------------------------------------------

UNICODE_NAMES = {
    "NUL": "Scierie\x00du Forez",
    "escape (ESC)": "Scierie \x1b[31mrouge",
    "DEL": "Scierie\x7f",
    "RTL override": "Scierie \u202eedirF",
    "zero-width space and joiner": "Sci\u200berie\u200d\u2060",
    "byte order mark inside": "Sci\ufefferie",
    "combining accents": "Scie\u0301rie e\u0300\u0302\u0303\u0304",
    "combining characters only": "\u0301\u0302\u0303",
    "300 combining characters on one letter": "e" + "\u0301" * 299,
    "emoji with joiners, flags and skin tones": "Ferme 👩🏽‍🌾 🇫🇷 🏳️‍🌈",
    "300 emoji (1200 UTF-8 bytes)": "🐄" * 300,
    "301 emoji": "🐄" * 301,
    "10 000 characters": "x" * 10_000,
    "10 000 emoji": "🐄" * 10_000,
    "line and paragraph separators": "Scierie\u2028du\u2029Forez",
    "CR LF inside": "Scierie\r\nSet-Cookie: x=1",
    "non-characters and private use": "Scierie \ufffe\uffff\ue000\U0010ffff",
    "replacement character": "Scierie \ufffd",
    "mixed scripts": "Ščíérïè Лесопилка 製材所 منشرة",
    "NFKC look-alikes": "Ｓｃｉｅｒｉｅ ﬁ ℌ",
}
# JSON escapes that no Python string sent by `json=` can produce.
RAW_NAMES = {
    "lone high surrogate": "Sci\\ud800erie",
    "lone low surrogate": "Sci\\udc00erie",
    "reversed surrogate pair": "Sci\\udc00\\ud800erie",
    "escaped NUL": "Sci\\u0000erie",
    "valid surrogate pair": "Sci\\ud83d\\udc04erie",
}


def register(client: TestClient, recorder: dict[str, str], content: bytes) -> httpx.Response:
    return client.post("/organisations", content=content, headers={**recorder, **JSON})


def assert_stored_as_sent_or_refused(
    services: Services, client: TestClient, recorder: dict[str, str], content: bytes, sent: str
) -> None:
    before = event_count(services)
    response = register(client, recorder, content)
    if response.status_code == 422:
        assert_problem(response, 422)
        assert event_count(services) == before
        return
    assert response.status_code == 201, response.text
    assert event_count(services) == before + 1
    read = client.get(response.headers["Location"], headers=recorder)
    assert read.status_code == 200, read.text
    # Stored as sent, in Unicode's composed form (NFC).
    assert read.json()["name"].encode("utf-8") == unicodedata.normalize("NFC", sent).encode()


@pytest.mark.parametrize("case", UNICODE_NAMES)
def test_a_unicode_name_is_stored_as_sent_or_refused(case, services, client, recorder):
    name = UNICODE_NAMES[case]
    content = json.dumps({**ORGANISATION, "name": name}, ensure_ascii=False).encode()
    assert_stored_as_sent_or_refused(services, client, recorder, content, name)


@pytest.mark.parametrize("case", RAW_NAMES)
def test_a_raw_json_escape_in_a_name_is_stored_as_sent_or_refused(case, services, client, recorder):
    escaped = RAW_NAMES[case]
    content = ('{"name": "' + escaped + '", "kind": "partner"}').encode()
    sent = json.loads('"' + escaped + '"')
    if any(0xD800 <= ord(c) <= 0xDFFF for c in sent):
        # Not text: it cannot be stored as sent, so it must be refused.
        before = event_count(services)
        assert_problem(register(client, recorder, content), 422)
        assert event_count(services) == before
    else:
        assert_stored_as_sent_or_refused(services, client, recorder, content, sent)


def test_the_documented_unicode_outcomes(services, client, recorder):
    """Controls, bidirectional controls, a BOM and non-characters are refused; the rest is kept,
    in NFC."""
    expected = {
        "NUL": 422,
        "escape (ESC)": 422,
        "DEL": 422,
        "RTL override": 422,
        "byte order mark inside": 422,
        "non-characters and private use": 422,
        "10 000 characters": 422,
        "10 000 emoji": 422,
        "301 emoji": 422,
    }
    for case, name in UNICODE_NAMES.items():
        response = client.post(
            "/organisations", json={**ORGANISATION, "name": name}, headers=recorder
        )
        assert response.status_code == expected.get(case, 201), f"{case}: {response.text}"


def test_unicode_names_survive_the_views(services, client, recorder, world):
    """Names land in SQL view tables too (the filière overview): read back unchanged."""
    organisation = "Ferme 👩🏽‍🌾 edirF e\u0301 " + "🐄" * 250
    filiere = "Filière 🇫🇷 \u200b\u0301 " + "🌾" * 280
    created = client.post(
        "/organisations", json={**ORGANISATION, "name": organisation}, headers=recorder
    )
    assert created.status_code == 201, created.text
    lead = created.json()["id"]
    launched = client.post("/filieres", json=filiere_body(world, filiere, lead), headers=recorder)
    assert launched.status_code == 201, launched.text

    overview = client.get(f"/filieres/{launched.json()['id']}", headers=recorder)
    assert overview.status_code == 200, overview.text
    assert overview.json()["name"] == unicodedata.normalize("NFC", filiere)
    assert overview.json()["lead_partner"]["name"] == unicodedata.normalize("NFC", organisation)
    listed = client.get("/filieres", headers=recorder).json()["items"]
    assert unicodedata.normalize("NFC", filiere) in [item["name"] for item in listed]


# --- SQL metacharacters -------------------------------------------------------------------

SQL_NAMES = [
    "'; DROP TABLE stored_events; --",
    "Robert'); DROP TABLE organisations;--",
    "a' OR '1'='1",
    '" OR ""="',
    "100% _bois_ %",
    "%",
    "_",
    "\\",
    "\\'; SELECT pg_sleep(10); --",
    "$1 $$ :name ?",
    "/* */ UNION SELECT * FROM tokens --",
]


@pytest.mark.parametrize("name", SQL_NAMES)
def test_sql_metacharacters_in_names_are_stored_literally(name, services, client, recorder, world):
    before = event_count(services)
    created = client.post("/organisations", json={**ORGANISATION, "name": name}, headers=recorder)
    assert created.status_code == 201, created.text
    assert event_count(services) == before + 1
    read = client.get(created.headers["Location"], headers=recorder)
    assert read.json()["name"] == name

    baseline = event_count(services)
    launched = client.post(
        "/filieres", json=filiere_body(world, name, created.json()["id"]), headers=recorder
    )
    assert launched.status_code == 201, launched.text
    overview = client.get(f"/filieres/{launched.json()['id']}", headers=recorder).json()
    assert (overview["name"], overview["lead_partner"]["name"]) == (name, name)
    launch_events = event_count(services) - baseline

    # The tables are intact: the world and everything since reads back, and writes still work.
    listed = client.get("/filieres", headers=recorder).json()["items"]
    assert {item["name"] for item in listed} == {"Viandes", name}
    assert client.get(f"/organisations/{world.association}", headers=recorder).status_code == 200
    again = client.post("/organisations", json=ORGANISATION, headers=recorder)
    assert again.status_code == 201
    assert event_count(services) == before + 1 + launch_events + 1


def test_sql_metacharacters_in_filters_match_literally(services, client, recorder, auditor, world):
    decided = client.get("/decisions", params={"person": PRESIDENTS[0]}, headers=recorder)
    assert decided.status_code == 200 and decided.json()["items"], decided.text
    before = event_count(services)
    for person in ("%", "_", "Présidente _", "Présidente %", "%A", "' OR '1'='1", "\\", "*"):
        response = client.get("/decisions", params={"person": person}, headers=recorder)
        assert response.status_code == 200, f"{person!r}: {response.text}"
        assert response.json()["items"] == [], person
    for actor in ("%", "_etup", "setu_", "' OR ''='", "setup' --"):
        response = client.get("/audit/events", params={"actor": actor}, headers=auditor)
        assert response.status_code == 200, f"{actor!r}: {response.text}"
        assert response.json()["items"] == [], actor
    exact = client.get("/audit/events", params={"actor": "setup"}, headers=auditor)
    assert exact.json()["items"]
    assert event_count(services) == before


# --- Path tricks in ids -------------------------------------------------------------------

PATH_TRICKS = [
    "%2e%2e",
    "%2e%2e%2fhealth",
    "..%2f..%2fhealth",
    "%252e%252e",
    "%00",
    "00000000-0000-0000-0000-000000000000%00",
    "%ff%fe",
    "%c0%ae%c0%ae",
    "not-a-uuid",
    "0" * 10_000,
    "a" * 60_000,  # near httpx's own URL limit (64 KiB)
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "{00000000-0000-0000-0000-000000000000}",
    "' OR '1'='1",
    "%20",
]


@pytest.mark.parametrize("trick", PATH_TRICKS, ids=lambda t: t[:40])
def test_path_tricks_in_ids_are_not_found_or_refused(trick, services, client, recorder, auditor):
    before = event_count(services)
    for method, path, headers in (
        ("GET", f"/organisations/{trick}", recorder),
        ("GET", f"/filieres/{trick}", recorder),
        ("GET", f"/audit/streams/{trick}", auditor),
        ("POST", f"/organisations/{trick}/rename", recorder),
        ("POST", f"/filieres/{trick}/lead-partner", recorder),
    ):
        body = {"name": "X", "effective_on": "2012-01-01"} if method == "POST" else None
        response = client.request(method, path, json=body, headers=headers)
        assert response.status_code in (404, 405, 422), f"{method} {path[:80]}: {response.text}"
        assert_problem(response, response.status_code)
    assert event_count(services) == before


def test_a_path_trick_cannot_reach_another_aggregate(services, client, recorder, world):
    """`../<id>` after an id names no route: the neighbour is not renamed."""
    before = event_count(services)
    response = client.post(
        f"/organisations/{world.company}%2f..%2f{world.partner_a}/rename",
        json={"name": "Pirate", "effective_on": "2012-01-01"},
        headers=recorder,
    )
    assert response.status_code in (404, 422), response.text
    assert client.get(f"/organisations/{world.partner_a}", headers=recorder).json()["name"] == (
        "Partner A"
    )
    assert event_count(services) == before


# --- Header injection ---------------------------------------------------------------------

CRLF = "\r\nSet-Cookie: session=stolen\r\nX-Injected: yes"


def test_crlf_in_idempotency_key_is_not_reflected(services, client, recorder):
    """An odd but well-sized key is just a key: used once, replayed, never echoed."""
    headers = {**recorder, "Idempotency-Key": "key" + CRLF}
    before = event_count(services)
    first = client.post("/organisations", json=ORGANISATION, headers=headers)
    replay = client.post("/organisations", json=ORGANISATION, headers=headers)
    assert first.status_code == 201, first.text
    assert (replay.status_code, replay.json()) == (201, first.json())
    assert replay.headers["Idempotent-Replayed"] == "true"
    for response in (first, replay):
        assert_clean_headers(response)
    assert event_count(services) == before + 1


@pytest.mark.parametrize(
    "header", ["X-Correlation-ID", "If-Match", "Idempotency-Key", "Authorization"]
)
def test_crlf_or_huge_headers_are_refused_and_not_reflected(
    header, services, client, recorder, world
):
    path = f"/organisations/{world.company}/rename"
    body = {"name": "Renamed", "effective_on": "2012-01-01"}
    before = event_count(services)
    values = [
        '"1"' + CRLF if header == "If-Match" else "1" + CRLF,
        "Bearer x" + CRLF if header == "Authorization" else "x" * 100_000,
    ]
    for value in values:
        response = client.post(path, json=body, headers={**recorder, header: value})
        if header == "Idempotency-Key" and len(value) <= 200:
            assert response.status_code == 200, response.text  # a key, as above
            before += 1
        else:
            assert response.status_code in (401, 422), f"{header}: {response.text}"
            assert_problem(response, response.status_code)
        assert_clean_headers(response)
        assert event_count(services) == before


def test_a_huge_unknown_header_changes_nothing(services, client, recorder):
    before = event_count(services)
    response = client.post(
        "/organisations", json=ORGANISATION, headers={**recorder, "X-Filler": "a" * 1_000_000}
    )
    assert response.status_code == 201, response.text
    assert_clean_headers(response)
    assert event_count(services) == before + 1


# --- Through a real server ----------------------------------------------------------------


@pytest.fixture
def served(services: Services) -> Iterator[str]:
    """The app on uvicorn on a free port of 127.0.0.1, stopped after the test."""
    with serving(services) as url:
        yield url


def raw_request(base: str, request: bytes) -> bytes:
    """Send bytes as they are (no client normalises them) and read the answer to the end."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        # The server may answer and close before reading everything.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


def test_served_a_streamed_chunked_body_is_cut_at_the_limit(services, served, recorder):
    sent = 0

    def chunks() -> Iterator[bytes]:
        nonlocal sent
        yield b'{"name": "Scierie", "kind": "partner", "territory": "'
        for _ in range(64):  # 4 MiB, 4 times the limit
            sent += 64 * 1024
            yield b"x" * 64 * 1024
        yield b'"}'

    before = event_count(services)
    response = httpx.post(
        f"{served}/organisations", content=chunks(), headers={**recorder, **JSON}, timeout=60
    )
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert_problem(response, 413)
    assert event_count(services) == before
    assert httpx.get(f"{served}/health").status_code == 200


def test_served_raw_path_and_header_tricks(services, served, recorder, world):
    before = event_count(services)
    token = recorder["Authorization"]
    for target in (
        f"/organisations/../organisations/{world.company}",
        f"/organisations/{world.company}/../../health",
        "/organisations/%2e%2e/%2e%2e/health",
        "/../../../etc/passwd",
        "/organisations/%00",
    ):
        answer = raw_request(
            served,
            f"GET {target} HTTP/1.1\r\nHost: x\r\nAuthorization: {token}\r\n"
            "Connection: close\r\n\r\n".encode(),
        )
        status = int(answer.split(b" ", 2)[1])
        assert status in (200, 400, 404, 422), f"{target}: {answer[:300]!r}"
        assert b"root:" not in answer

    # A bare LF or CR inside a header value is refused by the server itself, not passed on.
    body = json.dumps(ORGANISATION).encode()
    for injected in (b"Idempotency-Key: a\rSet-Cookie: x=1", b"X-Correlation-ID: a\n b"):
        answer = raw_request(
            served,
            b"POST /organisations HTTP/1.1\r\nHost: x\r\nAuthorization: "
            + token.encode()
            + b"\r\nContent-Type: application/json\r\n"
            + injected
            + b"\r\nContent-Length: "
            + str(len(body)).encode()
            + b"\r\nConnection: close\r\n\r\n"
            + body,
        )
        head = answer.split(b"\r\n\r\n", 1)[0]
        assert int(head.split(b" ", 2)[1]) in (400, 422), answer[:300]
        assert b"set-cookie" not in head.lower()

    huge = httpx.get(f"{served}/health", headers={"X-Filler": "a" * 200_000}, timeout=30)
    assert huge.status_code in (200, 400, 413, 431)
    assert event_count(services) == before
    assert httpx.get(f"{served}/health").status_code == 200
