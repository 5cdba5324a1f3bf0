"""CSV cells that a spreadsheet would run as a formula are neutralised, however they hide it.

Hidden behind a zero-width space or spaces, written with a full-width or small sign, or
started by a line feed, carriage return or tab: each gets its leading apostrophe.
"""

import pytest

from api.http.csv_cells import neutralised, starts_a_formula
from tests.api.test_reads import decision, ok, read_csv

HIDDEN_FORMULAS = {
    "zero-width space": '\u200b=HYPERLINK("http://example.invalid")',
    "word joiner and spaces": "\u2060  =1+1",
    "no-break space": "\u00a0@SUM(A1)",
    "full-width equals": '\uff1dHYPERLINK("http://example.invalid")',
    "full-width plus": "\uff0b1+1",
    "full-width minus": "\uff0d1+1",
    "full-width at": "\uff20SUM(A1)",
    "small equals": "\ufe66cmd",
    "line feed": "\n=1+1",
    "carriage return": "\r=1+1",
    "tab": "\t=1+1",
}
HARMLESS = ("Bois et forêt", "Élevage — viandes", "1 000 €", "'déjà cité'", "A=B")


@pytest.mark.parametrize("hidden", HIDDEN_FORMULAS)
def test_a_hidden_formula_in_a_name_or_rationale_is_neutralised_in_the_csv(
    client, world, recorder, reader, hidden
):
    text = HIDDEN_FORMULAS[hidden]
    body = {
        "name": "Filière " + hidden if text[0] in "\t\r\n" else text,
        "kind": "filiere",
        "lead_partner_id": str(world.partner_a),
        "launched_on": "2010-01-01",
        "decision": decision(world, "2010-01-01", rationale=text),
    }
    filiere = ok(client.post("/filieres", json=body, headers=recorder))["id"]
    query = {"filiere_id": filiere}
    entry = ok(client.get("/decisions", params=query, headers=reader))["items"][0]

    rows = read_csv(
        client.get("/decisions", params=query, headers={**reader, "Accept": "text/csv"})
    )

    record = dict(zip(rows[0], rows[1], strict=True))
    fields = ("rationale",) if text[0] in "\t\r\n" else ("rationale", "filiere_name")
    for field in fields:
        # Stored as given, or trimmed of its edges: either way still a formula once shown.
        assert starts_a_formula(entry[field]), entry[field]
        assert record[field] == "'" + entry[field]


@pytest.mark.parametrize(
    "text", ["\ufeff=1+1", "\u202e=1+1", "\u200e-1", "\x00=1", "\u3164\u200d+1"]
)
def test_characters_the_text_rule_now_refuses_still_do_not_hide_a_formula(text):
    # Rows written before the rule may hold them; the CSV treats them as invisible.
    assert starts_a_formula(text) and neutralised(text) == "'" + text


@pytest.mark.parametrize("text", ["\n", "\nIl était une fois", "\r\n", "\tcolonne"])
def test_a_cell_starting_a_new_line_or_a_tab_is_neutralised(text):
    assert neutralised(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_text_that_starts_with_no_formula_is_left_as_it_is(text):
    assert neutralised(text) == text
