"""Signing in to the pages with a token: a signed session cookie, and CSRF tokens for forms.

The cookie holds the token's public id (`tok_…`), an expiry and a random nonce,
signed with HMAC-SHA-256 under a key derived from the deployment's secret: never
the token itself, and nothing the database alone could forge. Each page reads the
holder again from the token store, so a revoked token closes its sessions at once.
Sign-out clears the cookie in the browser (a copied cookie stays valid until it
expires or its token is revoked: the pages keep no session table).

Forms that change something (sign-in, sign-out) carry a CSRF token: the HMAC of a
random value the browser holds in its own HttpOnly cookie (double submit, signed).
The JSON API never reads these cookies: it keeps bearer tokens only.
"""

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Annotated
from urllib.parse import parse_qs, quote

from fastapi import Depends, Request, Response

from api.bootstrap import Services
from api.http.deps import AUDITORS, ServicesDep
from infrastructure.auth_store import TokenHolder

SESSION_COOKIE = "filieres_session"
CSRF_COOKIE = "filieres_csrf"
SESSION_SECONDS = 8 * 3600
"""A working day; then sign in again."""
MAX_FORM_BYTES = 4096


class SignInRequired(Exception):
    """No valid session: the visitor is sent to the sign-in form, then back."""

    def __init__(self, back_to: str) -> None:
        self.back_to = back_to


class PageForbidden(Exception):
    """Signed in, with a role that may not open this page."""

    def __init__(self, holder: TokenHolder, what: str) -> None:
        self.holder = holder
        self.what = what


class BadForm(Exception):
    """A form without a valid CSRF token, or malformed."""


def _key(services: Services, purpose: bytes) -> bytes:
    return hmac.new(services.secret, b"filieres pages: " + purpose, hashlib.sha256).digest()


def _sign(key: bytes, payload: bytes) -> str:
    return base64.urlsafe_b64encode(hmac.new(key, payload, hashlib.sha256).digest()).decode()


def session_value(services: Services, token_id: str, now: float | None = None) -> str:
    """The cookie's value for a session of the token `token_id`."""
    body = {
        "t": token_id,
        "e": int((now or time.time()) + SESSION_SECONDS),
        "n": secrets.token_urlsafe(12),
    }
    payload = base64.urlsafe_b64encode(json.dumps(body, separators=(",", ":")).encode())
    return payload.decode() + "." + _sign(_key(services, b"session"), payload)


def session_token_id(services: Services, value: str | None) -> str | None:
    """The token id a cookie value names, if its signature holds and it has not expired."""
    if not value or "." not in value or len(value) > 400:
        return None
    payload, signature = value.rsplit(".", 1)
    expected = _sign(_key(services, b"session"), payload.encode())
    if not hmac.compare_digest(signature, expected):
        return None
    try:
        body = json.loads(base64.urlsafe_b64decode(payload))
        token_id, expires = str(body["t"]), int(body["e"])
    except (ValueError, KeyError, TypeError):
        return None
    return token_id if expires > time.time() else None


def secure(request: Request) -> bool:
    return request.url.scheme == "https"


def set_session(response: Response, request: Request, value: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=SESSION_SECONDS,
        path="/",
        httponly=True,
        samesite="strict",
        secure=secure(request),
    )


def clear_session(response: Response, request: Request) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=secure(request)
    )


def csrf_seed(request: Request) -> tuple[str, bool]:
    """The browser's CSRF seed, and whether it is new (then the response must set it)."""
    seed = request.cookies.get(CSRF_COOKIE)
    if seed and 20 <= len(seed) <= 100:
        return seed, False
    return secrets.token_urlsafe(24), True


def csrf_token(services: Services, seed: str) -> str:
    return _sign(_key(services, b"csrf"), seed.encode())


def keep_csrf_seed(response: Response, request: Request, seed: str) -> None:
    response.set_cookie(
        CSRF_COOKIE, seed, path="/", httponly=True, samesite="strict", secure=secure(request)
    )


async def read_form(request: Request, services: Services) -> dict[str, str]:
    """The posted form's fields, after its CSRF token was checked; BadForm otherwise."""
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise BadForm("le formulaire est trop long")
    try:
        fields = {k: v[0] for k, v in parse_qs(body.decode(), max_num_fields=10).items()}
    except (UnicodeDecodeError, ValueError):
        raise BadForm("le formulaire est illisible") from None
    seed = request.cookies.get(CSRF_COOKIE)
    given = fields.get("csrf", "")
    if not seed or not hmac.compare_digest(given, csrf_token(services, seed)):
        raise BadForm(
            "le jeton anti-falsification (CSRF) du formulaire manque ou ne correspond pas : "
            "rechargez la page et recommencez"
        )
    return fields


def back_to(request: Request) -> str:
    path = request.url.path
    return path + ("?" + request.url.query if request.url.query else "")


def safe_next(target: str | None) -> str:
    """Only a path of this site: never another site's address."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def sign_in_url(target: str) -> str:
    return "/session?suite=" + quote(target, safe="/")


def page_holder(request: Request, services: ServicesDep) -> TokenHolder:
    """The signed-in holder (any role reads); SignInRequired without a valid session."""
    token_id = session_token_id(services, request.cookies.get(SESSION_COOKIE))
    holder = services.tokens.holder_by_id(token_id) if token_id else None
    if holder is None:
        raise SignInRequired(back_to(request))
    return holder


def page_auditor(holder: Annotated[TokenHolder, Depends(page_holder)]) -> TokenHolder:
    if holder.role not in AUDITORS:
        raise PageForbidden(holder, "la page des auditeurs (rôles auditor et admin)")
    return holder


PageReader = Annotated[TokenHolder, Depends(page_holder)]
PageAuditor = Annotated[TokenHolder, Depends(page_auditor)]
