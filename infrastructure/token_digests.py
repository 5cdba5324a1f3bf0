"""What the store keeps of a token: a digest keyed by the deployment's secret.

A plain SHA-256 of the token let anyone who can write the database mint a token: insert
the hash of a string of their choosing. The keyed digest is HMAC-SHA-256, keyed by the
secret held outside the database (`infrastructure/secret_key.py`), of the token's SHA-256,
so that a row from before (a plain SHA-256) can be brought to it without its token, once,
by `filieres token upgrade`; until then, and if one appears afterwards, such a row is
never accepted.
"""

import hashlib
import hmac

KEYED = "hmac-sha256"
"""`digest_kind` of a keyed digest; a row without one holds a plain SHA-256 (legacy)."""


def token_digest(token: str, secret: bytes) -> str:
    """The keyed digest of a token, hex; the one place that computes it."""
    return keyed_from_legacy(hashlib.sha256(token.encode()).hexdigest(), secret)


def keyed_from_legacy(legacy_digest: str, secret: bytes) -> str:
    """The keyed digest of the token whose plain SHA-256 (hex) a row from before holds."""
    return hmac.new(secret, bytes.fromhex(legacy_digest), hashlib.sha256).hexdigest()
