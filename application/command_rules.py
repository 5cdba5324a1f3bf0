"""What each command can refuse, and who decides it: read off the command classes.

A command class declares the rules its own act can break (`refusals`) and, if
it records a decision, which bodies may take it (`deciders`). What every
command of a kind can break is added here once: a command on an existing
aggregate refuses a stale expected version, or a race it kept losing; a command
carrying a decision refuses one governance does not allow.
"""

import re
from typing import get_args

from application.command import Command
from application.decision_checks import DECISION_REFUSALS
from application.payload import DecisionPayload
from domain.errors import ConcurrencyError, InvariantViolationError, StaleVersionError


def records_a_decision(command: type[Command]) -> bool:
    """Whether the command's payload carries a decision (required or not)."""
    return any(
        field.annotation is DecisionPayload or DecisionPayload in get_args(field.annotation)
        for field in command.model_fields.values()
    )


def refusals_of(command: type[Command]) -> list[type[InvariantViolationError]]:
    """Every rule (HTTP 409) `command` can be refused for, its own first, each once."""
    found: list[type[InvariantViolationError]] = list(command.refusals)
    if records_a_decision(command):
        found += DECISION_REFUSALS
    if "expected_version" in command.model_fields:
        # A new aggregate has a new id: only an existing one can be stale or raced for.
        found += (StaleVersionError, ConcurrencyError)
    return list(dict.fromkeys(found))


def first_line(klass: type) -> str:
    """The first paragraph of a class's docstring (what it is or says), without the HTTP
    status an error's docstring may note."""
    text = (klass.__doc__ or klass.__name__).strip().split("\n\n")[0]
    return re.sub(r"\s*\(HTTP \d{3}\)", "", " ".join(text.split()))
