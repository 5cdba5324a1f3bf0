"""A CSV cell a spreadsheet will not run as a formula (CSV injection, OWASP).

A cell whose first character a spreadsheet reads as the start of a formula gets a
leading apostrophe. "First" is judged as a spreadsheet does, or worse: after any
leading invisible characters (zero-width space, byte order mark, bidirectional
controls, spaces), and with full-width and small forms folded (＝ is =); a cell that
starts with a tab, a carriage return or a line feed is neutralised too.
"""

import unicodedata

from domain.text import is_visible

_FORMULA_STARTS = ("=", "+", "-", "@")
_LINE_STARTS = ("\t", "\r", "\n")


def neutralised(text: str) -> str:
    return "'" + text if starts_a_formula(text) else text


def starts_a_formula(text: str) -> bool:
    if text.startswith(_LINE_STARTS):
        return True
    for character in text:
        if is_visible(character) and unicodedata.category(character) != "Cc":
            # NFKC folds the full-width (U+FF1D) and small (U+FE66) forms to ASCII.
            return unicodedata.normalize("NFKC", character).startswith(_FORMULA_STARTS)
    return False
