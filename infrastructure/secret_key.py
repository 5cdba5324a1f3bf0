"""The secret held outside the database, which keys what the database must not forge.

It keys the seals of aggregate snapshots (`sealed_snapshots.py`), of
time-travel snapshots (`time_travel/view_snapshots.py`) and of idempotency
answers, and the token digests (`token_digests.py`), all HMAC-SHA-256.
Where it comes from, first match wins:

1. `FILIERES_SECRET_KEY_FILE`: that file (64 hex digits), created with mode
   0600 when missing;
2. `FILIERES_SIGNING_KEY_FILE`: derived from the checkpoint signing key by
   HKDF-SHA-256 (so one key file serves both; rotating that key changes the
   secret: set 1 to keep them apart);
3. a SQLite file store: `<store file>.secret-key` beside it, created on first
   use, so that `make run` needs nothing;
4. an in-memory SQLite store: a secret of the process, gone with the store;
5. otherwise (PostgreSQL with neither setting): refused at start, since
   every process of a deployment must share the secret.
"""

import contextlib
import logging
import os
import secrets
import stat
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy.engine import make_url

from infrastructure.signing import load_private_key, raw_private_key

logger = logging.getLogger(__name__)

SECRET_BYTES = 32
SECRET_FILE_SUFFIX = ".secret-key"
HKDF_INFO = b"filieres secret key v1"
_process_secret = secrets.token_bytes(SECRET_BYTES)


class SecretKeyError(Exception):
    """No secret can be found or made; the message says which setting to give."""


def secret_key(
    secret_key_file: str | Path | None, signing_key_file: str | Path | None, database_url: str
) -> bytes:
    """The deployment's secret, from the first source that applies (see the module)."""
    if secret_key_file:
        return read_or_create(Path(secret_key_file))
    if signing_key_file:
        return derived_from_signing_key(Path(signing_key_file))
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        if database and database != ":memory:" and "mode=memory" not in str(url):
            return read_or_create(Path(database + SECRET_FILE_SUFFIX))
        return _process_secret
    raise SecretKeyError(
        "no secret key: set FILIERES_SECRET_KEY_FILE to a file only the server can read (it is"
        " created if missing), or FILIERES_SIGNING_KEY_FILE to derive it from the signing key"
    )


def derived_from_signing_key(path: Path) -> bytes:
    raw = raw_private_key(load_private_key(path))
    return HKDF(algorithm=hashes.SHA256(), length=SECRET_BYTES, salt=None, info=HKDF_INFO).derive(
        raw
    )


def read_or_create(path: Path) -> bytes:
    """The secret in `path`, written first (mode 0600, atomically) if the file is missing."""
    if not path.exists():
        _create(path)
    try:
        text = path.read_text(encoding="ascii").strip()
        secret = bytes.fromhex(text)
    except OSError as error:
        raise SecretKeyError(f"cannot read the secret key {path}: {error.strerror}") from None
    except ValueError:
        secret = b""
    if len(secret) < SECRET_BYTES:
        raise SecretKeyError(f"{path} must hold at least {SECRET_BYTES} bytes as hex digits")
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        logger.warning("the secret key %s is readable by others than its owner", path)
    return secret


def _create(path: Path) -> None:
    """Write a new secret where none is; another process creating it meanwhile wins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_hex(SECRET_BYTES) + "\n")
        # Atomic, and refuses to replace: the first writer's secret stays.
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
    finally:
        draft.unlink(missing_ok=True)
