"""Checkpoints: the C2SP tlog-checkpoint body in a C2SP signed note, as text.

```
filieres.example/3f0c…            origin: the log's identity (see `origin_of`)
135                               tree size: leaves (events) in the tree
Zm9v…=                            base64 of the RFC 9162 root at that size

— filieres.example/3f0c… AbCd…    em dash, key name, base64(4-byte key id ‖ signature)
```

The signature covers the body (its three lines with their newlines) and
nothing else; the key id of an Ed25519 key is the first 4 bytes of
SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ 32-byte public key). Signing and checking a
signature are the caller's (`infrastructure/signing.py`): this module only
lays out and reads the text.
"""

import base64
import binascii
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

ORIGIN_PREFIX = "filieres.example/"
"""`.example` is reserved (RFC 2606): a name, not a reachable address."""
ED25519_TYPE = b"\x01"
SIGNATURE_DASH = "— "
MAX_NOTE_BYTES = 16 * 1024


class CheckpointError(ValueError):
    """A checkpoint that cannot be read, or whose signature does not hold."""


def origin_of(store_id: str) -> str:
    """The origin line of a store's checkpoints, also the signing key's name in them.

    The store id is drawn once per store, so that a checkpoint of one store
    (a copy, a test store signed with the same key) is never taken for
    another's.
    """
    return ORIGIN_PREFIX + store_id


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes

    def body(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"


@dataclass(frozen=True)
class Signature:
    name: str
    key_id: bytes
    signature: bytes


def key_id(name: str, public_key: bytes) -> bytes:
    """The signed-note key id of an Ed25519 key under `name`."""
    return hashlib.sha256(name.encode() + b"\n" + ED25519_TYPE + public_key).digest()[:4]


def signed_note(body: str, signatures: list[Signature]) -> str:
    lines = "".join(
        f"{SIGNATURE_DASH}{s.name} {base64.b64encode(s.key_id + s.signature).decode()}\n"
        for s in signatures
    )
    return f"{body}\n{lines}"


def split_note(text: str) -> tuple[str, list[Signature]]:
    """The signed body and the signature lines of a note (C2SP signed-note)."""
    if len(text.encode()) > MAX_NOTE_BYTES:
        raise CheckpointError("the note is larger than a checkpoint can be")
    if any(ord(c) < 0x20 and c != "\n" for c in text):
        raise CheckpointError("the note holds control characters")
    body, separator, lines = text.rpartition("\n\n")
    if not separator or not lines.endswith("\n"):
        raise CheckpointError("the note has no blank line followed by signature lines")
    signatures = []
    for line in lines[:-1].split("\n"):
        name, _, encoded = line.removeprefix(SIGNATURE_DASH).partition(" ")
        if not line.startswith(SIGNATURE_DASH) or not name or not encoded:
            raise CheckpointError(f"not a signature line: {line[:80]!r}")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise CheckpointError(f"the signature of {name} is not base64") from None
        if len(raw) < 5:
            raise CheckpointError(f"the signature of {name} is too short")
        signatures.append(Signature(name, raw[:4], raw[4:]))
    return body + "\n", signatures


def parse_body(body: str) -> Checkpoint:
    """The origin, size and root of a checkpoint's body (extension lines are refused)."""
    lines = body.split("\n")
    if len(lines) != 4 or lines[3] != "":
        raise CheckpointError("a checkpoint body is three lines: origin, tree size, root hash")
    origin, size, root = lines[:3]
    if not origin or not size.isascii() or not size.isdigit() or size != str(int(size)):
        raise CheckpointError("the checkpoint's origin or tree size is malformed")
    try:
        decoded = base64.b64decode(root, validate=True)
    except binascii.Error:
        decoded = b""
    if len(decoded) != 32:
        raise CheckpointError("the checkpoint's root hash is not the base64 of 32 bytes")
    return Checkpoint(origin, int(size), decoded)


Verify = Callable[[bytes, bytes], bool]
"""(signature, message) → whether the trusted public key made it."""


def open_checkpoint(text: str, public_key: bytes, verify: Verify) -> Checkpoint:
    """The checkpoint a note holds, once a signature by the trusted key is found valid.

    The key is known by its name (the origin, as the log signs) and key id;
    signatures by other keys are ignored, as the signed-note spec requires.
    """
    body, signatures = split_note(text)
    checkpoint = parse_body(body)
    expected = key_id(checkpoint.origin, public_key)
    ours = [s for s in signatures if s.name == checkpoint.origin and s.key_id == expected]
    if not ours:
        raise CheckpointError(
            f"no signature by the trusted key (name {checkpoint.origin}, key id"
            f" {expected.hex()}): signed by another key, or for another log"
        )
    if not all(verify(s.signature, body.encode()) for s in ours):
        raise CheckpointError("the signature does not match the checkpoint: it was altered")
    return checkpoint
