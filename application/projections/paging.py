"""Pages of the read models: limits, and opaque cursors that name the last item of a page."""

import base64
import binascii
import re
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from application.projections.records import Page
from domain.errors import InvalidValueError

R = TypeVar("R")
MAX_PAGE = 1000
DEFAULT_PAGE = 50
MAX_POSITION_DIGITS = 18  # below 2**63, what a 64-bit SQL integer holds
# What `paged` keys look like: a date, then an id.
_LIST_KEY = re.compile(r"\d{4}-\d{2}-\d{2}\|[0-9a-f-]{36}")


def paged(items: list[R], key: Callable[[R], str], limit: int, cursor: str | None) -> Page[R]:
    """One page of a short list the views return whole; the cursor is the last item's key."""
    check_limit(limit)
    after = _decode_key(cursor) if cursor else None
    ordered = sorted(items, key=key)
    if after is not None:
        ordered = [item for item in ordered if key(item) > after]
    page = ordered[:limit]
    more = len(ordered) > limit
    next_cursor = _encode_key(key(page[-1])) if more else None
    return Page[R](items=page, next_cursor=next_cursor)


def every_item(page_after: Callable[[str | None], Page[R]]) -> list[R]:
    """Every item of a paged list: the first page, then each `next_cursor`'s, to the end."""
    found: list[R] = []
    cursor: str | None = None
    while True:
        page = page_after(cursor)
        found.extend(page.items)
        if page.next_cursor is None:
            return found
        cursor = page.next_cursor


def check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidValueError(f"limit: {limit} is not between 1 and {MAX_PAGE}")


def _encode_key(key: str) -> str:
    return base64.urlsafe_b64encode(key.encode()).decode()


def _decode_key(cursor: str) -> str:
    key = _unbase64(cursor)
    if not _LIST_KEY.fullmatch(key):
        raise _not_a_cursor(cursor)
    return key


def _unbase64(cursor: str) -> str:
    """Strict: characters outside the alphabet are refused, not skipped."""
    try:
        return base64.b64decode(cursor.encode(), altchars=b"-_", validate=True).decode()
    except (ValueError, binascii.Error, UnicodeError):
        raise _not_a_cursor(cursor) from None


def _not_a_cursor(cursor: str) -> InvalidValueError:
    return InvalidValueError(f"cursor: {cursor[:40]!r} is not a cursor this API gave")


def encode_cursor(decided_on: date, position: int) -> str:
    return _encode_key(f"{decided_on.isoformat()}|{position}")


def decode_cursor(cursor: str) -> tuple[date, int]:
    try:
        decided_on, position = _unbase64(cursor).split("|")
        if not position.isdigit() or len(position) > MAX_POSITION_DIGITS:
            raise ValueError(position)
        return date.fromisoformat(decided_on), int(position)
    except ValueError:
        raise _not_a_cursor(cursor) from None
