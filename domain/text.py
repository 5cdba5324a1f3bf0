"""What text the ledger accepts from a caller, and the one form it is stored in.

A name or a rationale is kept for ever and shown to people: characters that
reorder what is displayed (bidirectional controls), that are not characters at
all (non-characters, lone surrogates, a byte order mark), or that control a
terminal are refused, as is text that shows nothing once its invisible
characters are removed. What is accepted is stored in Unicode's composed form
(NFC), so that "é" typed either way is one name.
"""

import unicodedata
from typing import Annotated

from pydantic import StringConstraints

_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_ALLOWED_CONTROLS = frozenset("\t\n\r")
# Shown as nothing: format characters (zero-width space and joiners, word joiner, soft
# hyphen...) are category Cf; these are not, yet draw no glyph either.
_BLANK_FILLERS = frozenset("\u034f\u115f\u1160\u3164\uffa0\u180e")


def _is_noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def _is_variation_selector(code: int) -> bool:
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def text_problem(text: str) -> str | None:
    """Why `text` is refused, or None when it is acceptable."""
    for character in text:
        code = ord(character)
        if character in _BIDI_CONTROLS:
            return f"bidirectional control U+{code:04X} is not accepted in text"
        if character == "\ufeff":
            return "a byte order mark (U+FEFF) is not accepted in text"
        if 0xD800 <= code <= 0xDFFF:
            return f"lone surrogate U+{code:04X} is not text"
        if _is_noncharacter(code):
            return f"non-character U+{code:04X} is not accepted in text"
        if unicodedata.category(character) == "Cc" and character not in _ALLOWED_CONTROLS:
            return f"control characters (such as U+{code:04X}) are not accepted in text"
    if text and not any(is_visible(character) for character in text):
        return "text made only of invisible characters or spaces is not accepted"
    return None


def is_visible(character: str) -> bool:
    """Whether the character draws something: not a space, a format character or a filler."""
    code = ord(character)
    return not (
        character.isspace()
        or unicodedata.category(character) == "Cf"
        or character in _BLANK_FILLERS
        or _is_variation_selector(code)
    )


def stored_form(text: str) -> str:
    """The form accepted text is stored in: NFC."""
    return unicodedata.normalize("NFC", text)


# The kinds of text a field takes: stripped, never empty, at most so many characters.
def _up_to(max_length: int) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)


PersonName = Annotated[str, _up_to(200)]
"""A person, as minutes and attendance lists name them."""
Role = Annotated[str, _up_to(200)]
Topic = Annotated[str, _up_to(100)]
Name = Annotated[str, _up_to(300)]
"""The name of an organisation, a governing body or a filière."""
Title = Annotated[str, _up_to(500)]
Label = Annotated[str, _up_to(500)]
Citation = Annotated[str, _up_to(500)]
"""A document a fact is written in, or the place in it."""
Assumption = Annotated[str, _up_to(1000)]
"""What the recorder supposed because the source is silent, in a sentence."""
Reason = Annotated[str, _up_to(2000)]
Objective = Annotated[str, _up_to(2000)]
Statement = Annotated[str, _up_to(2000)]
Text = Annotated[str, _up_to(4000)]
Opinion = Annotated[str, _up_to(4000)]
