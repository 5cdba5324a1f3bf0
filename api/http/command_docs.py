"""Each command endpoint's OpenAPI summary, description and refusals, read off its command.

What a command records is its class's docstring; who may decide it, its
`deciders`; what it can be refused for, `application.command_rules.refusals_of`.
Written from those, the document cannot drift from the commands: a client
working from /openapi.json learns the rules before meeting them as 409s.
"""

import re
from typing import Any

from api.http.problems import PROBLEM_JSON, problem_responses
from api.http.routers.responses import COMMAND
from application.command import Command
from application.command_rules import first_line, refusals_of

_WORD_START = re.compile(r"(?<!^)(?=[A-Z])")
ROLES = "a token of role `recorder` or `admin` (401 without a valid token, 403 for another role)"


def summary(command: type[Command]) -> str:
    """`LaunchCall` → `Launch call`."""
    words = _WORD_START.sub(" ", command.__name__).lower()
    return words[:1].upper() + words[1:]


def description(command: type[Command], note: str | None = None) -> str:
    """What the command records, who may ask and decide it, and what it can be refused for."""
    parts = [first_line(command)]
    if note:
        parts.append(note)
    parts.append(f"**Who may ask:** {ROLES}.")
    if command.deciders:
        parts.append(
            f"**Who may decide it:** {command.deciders}. The `decision` names voting members of"
            " that body on `decided_on` (`decided_by`), none of whom declared a conflict of"
            " interest with an organisation concerned."
        )
    refusals = refusals_of(command)
    if refusals:
        lines = "\n".join(f"- `{e.__name__}`: {first_line(e)}" for e in refusals)
        parts.append(f"**409, refused by a rule** (the problem's `code`):\n\n{lines}")
    else:
        parts.append("**409:** no rule of the programme refuses it.")
    parts.append(
        "**404** when an id in the path or the body names nothing; **422** when the body is"
        " malformed (a field missing, of the wrong type or unknown; an amount not a decimal"
        " string with at most 2 places) or an Idempotency-Key is reused"
        " with another body. Nothing is written when it is refused."
    )
    return "\n\n".join(parts)


def responses(command: type[Command]) -> dict[int | str, dict[str, Any]]:
    """The refusals the command's endpoint documents; its 409 lists the codes it can answer."""
    documented = {status: dict(entry) for status, entry in COMMAND.items()}
    refusals = refusals_of(command)
    if not refusals:
        documented.pop(409, None)
        return documented
    conflict = problem_responses(409)[409]
    codes = ", ".join(f"`{e.__name__}`" for e in refusals)
    conflict["description"] = f"Refused by a rule of the programme; `code` is one of: {codes}."
    conflict["content"] = {
        PROBLEM_JSON: {
            "schema": {"$ref": "#/components/schemas/Problem"},
            "examples": {
                e.__name__: {
                    "summary": first_line(e),
                    "value": {
                        "type": "/problems/conflict",
                        "title": "Conflict",
                        "status": 409,
                        "detail": first_line(e),
                        "code": e.__name__,
                    },
                }
                for e in refusals
            },
        }
    }
    documented[409] = conflict
    return documented
