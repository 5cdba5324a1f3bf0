"""Pieces every request and answer shares: days and instants in queries, command answers.

Request bodies are the application's payloads (`application/*_commands.py`).
"""

import re
from dataclasses import MISSING, fields
from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, create_model

from application.context import CommandResult
from application.payload import NOT_A_DAY

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day_as_text(value: Any) -> Any:
    """pydantic reads a number (or a numeric string) as a Unix timestamp: 0 became 1970-01-01."""
    if isinstance(value, str) and not _ISO_DAY.fullmatch(value):
        raise ValueError(NOT_A_DAY)
    return value


Day = Annotated[date, BeforeValidator(_day_as_text)]
"""A day in a query parameter: YYYY-MM-DD only."""
_ISO_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ].+")


def _instant_as_text(value: Any) -> Any:
    if isinstance(value, str) and not _ISO_INSTANT.fullmatch(value):
        raise ValueError("an instant is written as text, YYYY-MM-DDTHH:MM:SS with its offset")
    return value


def _in_utc(value: datetime) -> datetime:
    """The instant in UTC; one whose offset carries it out of years 1-9999 is refused (422)."""
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("this instant cannot be written in UTC (years 1 to 9999)") from None


Moment = Annotated[AwareDatetime, BeforeValidator(_instant_as_text), AfterValidator(_in_utc)]
"""An instant in a query parameter: ISO 8601 text with its offset, never a timestamp; given
back in UTC, so no later step meets an instant it cannot convert."""


_RESULT_FIELDS: dict[str, Any] = {
    f.name: (f.type, ... if f.default is MISSING else f.default) for f in fields(CommandResult)
}
CommandAnswer = create_model(
    "CommandAnswer",
    __doc__="Where the command landed: the aggregate, its new version, the log position.",
    __module__=__name__,
    **_RESULT_FIELDS,
)
"""`CommandResult`'s fields as the API answers them: declared once, in the application."""
