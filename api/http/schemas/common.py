"""Pieces every request and answer shares: days and instants in queries, command answers.

Request bodies are the application's payloads (`application/*_commands.py`).
"""

import re
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, BeforeValidator

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


Moment = Annotated[AwareDatetime, BeforeValidator(_instant_as_text)]
"""An instant in a query parameter: ISO 8601 text with its offset, never a timestamp."""


class CommandAnswer(BaseModel):
    """Where the command landed: the aggregate, its new version, the log position."""

    id: UUID
    version: int
    position: int
    candidacy_id: UUID | None = None
    """Set when the command submitted a candidacy."""
    sitting_id: UUID | None = None
    """Set when the command recorded a sitting."""
    deliberation_number: int | None = None
    """Set when the command recorded a decision taken in a sitting (its délibération n°)."""
