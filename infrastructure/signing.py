"""The Ed25519 key that signs checkpoints, held in files outside the database.

`filieres keys init --directory DIR` writes `DIR/signing-key.pem` (PKCS #8,
mode 0600) and `DIR/signing-key.pub.pem` (SubjectPublicKeyInfo);
`FILIERES_SIGNING_KEY_FILE` names the private key the server and the CLI use.
Someone with the database alone cannot sign: a log rewritten in the database
no longer matches the checkpoints signed before.
"""

import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from application.audit.checkpoint import (
    Checkpoint,
    Signature,
    key_id,
    open_checkpoint,
    signed_note,
)

PRIVATE_KEY_NAME = "signing-key.pem"
PUBLIC_KEY_NAME = "signing-key.pub.pem"


class SigningKeyError(Exception):
    """A key file that is missing, unreadable or not an Ed25519 key."""


@dataclass(frozen=True)
class KeyFiles:
    private: Path
    public: Path
    public_pem: str


def create_key_files(directory: Path) -> KeyFiles:
    """A new key pair in `directory`; refuses to replace an existing key."""
    directory.mkdir(parents=True, exist_ok=True)
    private_path, public_path = directory / PRIVATE_KEY_NAME, directory / PUBLIC_KEY_NAME
    for path in (private_path, public_path):
        if path.exists():
            raise SigningKeyError(f"{path} exists: a signing key is never replaced silently")
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as private_file:
        private_file.write(private_pem)
    public_pem = public_key_pem(key.public_key())
    public_path.write_text(public_pem, encoding="ascii")
    return KeyFiles(private_path, public_path, public_pem)


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except OSError as error:
        raise SigningKeyError(f"cannot read the signing key {path}: {error.strerror}") from None
    except (ValueError, TypeError):
        raise SigningKeyError(f"{path} is not an unencrypted PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{path} is not an Ed25519 key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """A public key from its PEM file, or the public half of a private key's PEM file."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SigningKeyError(f"cannot read the public key {path}: {error.strerror}") from None
    if b"PRIVATE KEY" in data:
        return load_private_key(path).public_key()
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        raise SigningKeyError(f"{path} is not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError(f"{path} is not an Ed25519 key")
    return key


def public_key_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def raw_public_key(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def raw_private_key(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )


class CheckpointSigner:
    """Signs checkpoints with the key, under the checkpoint's origin as the key's name."""

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self.key = key
        self.public_key = key.public_key()

    @classmethod
    def from_file(cls, path: Path) -> "CheckpointSigner":
        return cls(load_private_key(path))

    def sign(self, checkpoint: Checkpoint) -> str:
        body = checkpoint.body()
        signature = Signature(
            checkpoint.origin,
            key_id(checkpoint.origin, raw_public_key(self.public_key)),
            self.key.sign(body.encode()),
        )
        return signed_note(body, [signature])


def open_signed_checkpoint(text: str, public_key: Ed25519PublicKey) -> Checkpoint:
    """The checkpoint `text` holds, if signed by `public_key`; CheckpointError otherwise."""

    def verify(signature: bytes, message: bytes) -> bool:
        try:
            public_key.verify(signature, message)
        except InvalidSignature:
            return False
        return True

    return open_checkpoint(text, raw_public_key(public_key), verify)
