"""The text the ledger accepts: what is refused, and the one form what is kept takes."""

import pytest

from domain.text import stored_form, text_problem

REFUSED = {
    "right-to-left override": "Scierie \u202eedirF",
    "left-to-right mark": "Scierie\u200e",
    "isolate": "\u2067Scierie\u2069",
    "Arabic letter mark": "Scierie\u061c",
    "byte order mark": "\ufeffScierie",
    "non-character U+FFFF": "Scierie\uffff",
    "non-character U+FDD0": "Scierie\ufdd0",
    "plane 16 non-character": "Scierie\U0010ffff",
    "lone surrogate": "Sci\ud800erie",
    "NUL": "Scierie\x00",
    "NEL (U+0085)": "Scierie\x85du Forez",
    "escape": "\x1b[31mScierie",
    "only a zero-width space": "\u200b",
    "only invisible characters and spaces": " \u200c\u200d\u2060\u00ad ",
    "only a Hangul filler": "\u3164",
}
ACCEPTED = {
    "accents": "Scierie du Forez, Génie civil",
    "zero-width joiner inside an emoji": "Ferme 👩🏽‍🌾",
    "a zero-width space between letters": "Sci\u200berie",
    "private use": "Scierie \ue000",
    "lines of a rationale": "Première ligne.\r\nSeconde ligne\tindentée.",
    "combining marks": "e\u0301\u0302",
    "other scripts": "Лесопилка 製材所 منشرة",
}


@pytest.mark.parametrize("case", REFUSED)
def test_text_that_hides_or_reorders_what_it_shows_is_refused(case):
    assert text_problem(REFUSED[case]) is not None


@pytest.mark.parametrize("case", ACCEPTED)
def test_ordinary_text_in_any_script_is_accepted(case):
    assert text_problem(ACCEPTED[case]) is None


def test_accepted_text_is_stored_composed():
    assert stored_form("Scie\u0301rie") == "Sciérie"
    assert stored_form("Sciérie") == "Sciérie"
