"""What a leaf of the Merkle tree commits to: the event's content, names of people salted.

The linear chain's `content_hash` covers the event exactly as stored, names
included. The tree's leaf covers the **tree content hash** instead: the
SHA-256 of the same canonical JSON (the export line's `CONTENT_FIELDS`) in
which every personal value is replaced by `{"salted_sha256": HEX}`, HEX being
SHA-256(salt ‖ the value's canonical JSON), one random 16-byte salt per value,
kept beside the leaf (not in the event). A personal value is found by its key
(`PERSONAL_KEYS`, at any depth of `data` and `metadata`) or, for an
organisation, its `name` (a candidate may be an individual).

Erasing a value later (GDPR) keeps its commitment and forgets the value and
its salt: the leaf, and so every proof and checkpoint, stays valid, and what
remains cannot be tested against guessed names. Which values were salted is
recorded with the salts (`/`-separated JSON Pointers, RFC 6901), so the rule
may grow without changing any existing leaf.
"""

import hashlib
import os
from collections.abc import Callable, Mapping
from typing import Any

import orjson

from application.audit.event_record import canonical_json

PERSONAL_KEYS = frozenset(
    {"person", "persons", "decided_by", "recused", "represented_by", "reviewer", "attendees"}
    | {"recorded_by"}
)
"""Keys whose values name people: seats, deciders, attendance, reviews, and who recorded."""
ORGANISATION_TOPIC = "domain.organisation:"
"""An organisation's `name` is salted too: a candidate may be a person."""
COMMITMENT_KEY = "salted_sha256"
SALT_BYTES = 16

Salts = dict[str, str]
"""JSON Pointer of a personal value → its salt, hex."""


Place = tuple[Any, Any, tuple[Any, ...]]
"""A personal value's container, its key there, and its path from the content's root."""


def personal_pointers(content: Mapping[str, Any]) -> list[str]:
    """Where the personal values of an event's content fields are, in document order."""
    return [_pointer(path) for _, _, path in _personal_places(content)]


def _personal_places(content: Mapping[str, Any]) -> list[Place]:
    places: list[Place] = []

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in PERSONAL_KEYS:
                    mark(node, key, value, (*path, key))
                elif isinstance(value, dict | list):
                    walk(value, (*path, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                if isinstance(value, dict | list):
                    walk(value, (*path, index))

    def mark(container: Any, key: Any, value: Any, path: tuple[Any, ...]) -> None:
        if value is None:
            return
        if isinstance(value, dict):
            walk(value, path)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                mark(value, index, item, (*path, index))
        else:
            places.append((container, key, path))

    for part in ("metadata", "data"):
        if isinstance(content.get(part), dict | list):
            walk(content[part], (part,))
    data = content.get("data")
    organisation = str(content.get("topic", "")).startswith(ORGANISATION_TOPIC)
    if organisation and isinstance(data, dict) and isinstance(data.get("name"), str):
        places.append((data, "name", ("data", "name")))
    return places


def _pointer(path: tuple[Any, ...]) -> str:
    return "".join(f"/{_escape(str(token))}" for token in path)


def commitment(salt: bytes, value: Any) -> str:
    """SHA-256(salt ‖ canonical JSON of the value), hex."""
    # A name is a string, whose JSON orjson writes as the standard library does.
    encoded = orjson.dumps(value) if isinstance(value, str) else canonical_json(value)
    return hashlib.sha256(salt + encoded).hexdigest()


def salt_personal_values(
    content: dict[str, Any], new_salt: Callable[[int], bytes] = os.urandom
) -> tuple[Salts, str]:
    """Fresh salts for the personal values of `content`, and its tree content hash.

    Replaces those values in `content`, which the caller must own.
    """
    places = _personal_places(content)
    drawn = new_salt(SALT_BYTES * len(places))  # one draw for all: a system call each
    salts: Salts = {}
    for number, (container, key, path) in enumerate(places):
        salt = drawn[number * SALT_BYTES : (number + 1) * SALT_BYTES]
        salts[_pointer(path)] = salt.hex()
        container[key] = {COMMITMENT_KEY: commitment(salt, container[key])}
    return salts, hashlib.sha256(canonical_json(content)).hexdigest()


def tree_content_hash(
    content: dict[str, Any], salts: Mapping[str, str], erased: Mapping[str, str] | None = None
) -> str:
    """The tree content hash of `content` (which it changes) given its salts.

    `erased` holds, for a value erased later, its commitment instead of a salt.
    A pointer that leads nowhere raises ValueError: the salts are not this event's.
    """
    for pointer, salt in salts.items():
        container, key = _locate(content, pointer)
        container[key] = {COMMITMENT_KEY: commitment(bytes.fromhex(salt), container[key])}
    for pointer, committed in (erased or {}).items():
        container, key = _locate(content, pointer)
        container[key] = {COMMITMENT_KEY: committed}
    return hashlib.sha256(canonical_json(content)).hexdigest()


def _locate(document: Any, pointer: str) -> tuple[Any, Any]:
    """The container and key a JSON Pointer names (RFC 6901)."""
    tokens = [_unescape(token) for token in pointer.split("/")[1:]]
    if not tokens:
        raise ValueError("the whole document is not a personal value")
    node = document
    last: Any = tokens[-1]
    try:
        for token in tokens[:-1]:
            node = node[int(token)] if isinstance(node, list) else node[token]
        if isinstance(node, list):
            last = int(last)
        node[last]
    except (KeyError, IndexError, TypeError, ValueError):
        raise ValueError(f"no value at {pointer}") from None
    return node, last


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~") if "~" in token else token
