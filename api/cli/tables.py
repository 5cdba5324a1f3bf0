"""Tables that stay readable in any terminal width: columns when they fit, records otherwise.

Rich shrinks a table to the terminal by narrowing its widest columns, and
cuts or folds the words that no longer fit ("Agglomérati/on",
"Call.Candidac…"): the event type, the outcome, the status a reader needs.
So the column widths are chosen here: each column at least as wide as its
longest word, the room left given first to the columns that want least. When
even the longest words cannot stand side by side, the table is printed as
records instead: one block per row, each field on its own line, its value
wrapped at the full width. No word is ever cut.
"""

from collections.abc import Collection, Sequence

from rich.box import HEAVY_HEAD
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

EMPTY = ("", "—")
PADDING = 2
"""Rich's default cell padding: one space each side."""


def fitted_table(
    console: Console,
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Collection[str] = (),
) -> Table:
    """`rows` as columns under `header` if every word fits `console`'s width, else as records.

    In records, a field with no value ("" or "—") is left out, the first never.
    """
    widths = column_widths(header, rows, console.width)
    if widths is None:
        return records_table(title, header, rows)
    return columns_table(title, header, rows, right, widths)


def column_widths(
    header: Sequence[str], rows: Sequence[Sequence[str]], width: int
) -> list[int] | None:
    """Each column's text width in a table `width` wide, no word cut; None if none fits."""
    columns = list(zip(header, *rows, strict=True))
    # Borders: one between columns and one at each edge.
    available = width - len(header) * PADDING - (len(header) + 1)
    shortest = [max(1, *(_longest_word(cell) for cell in column)) for column in columns]
    natural = [max(_longest_line(cell) for cell in column) for column in columns]
    if sum(shortest) > available:
        return None
    if sum(natural) <= available:
        return natural
    # The room left, shared out from the column that wants least: short columns (a date, a
    # name) get all they want, the long ones (a rationale) split what remains.
    widths, spare = list(shortest), available - sum(shortest)
    wants = [n - s for s, n in zip(shortest, natural, strict=True)]
    by_want = sorted(range(len(wants)), key=lambda i: wants[i])
    for rank, index in enumerate(by_want):
        given = min(wants[index], spare // (len(by_want) - rank))
        widths[index] += given
        spare -= given
    return widths


def columns_table(
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Collection[str] = (),
    widths: Sequence[int] | None = None,
) -> Table:
    table = Table(
        title=title,
        box=HEAVY_HEAD,
        show_lines=any("\n" in cell for row in rows for cell in row),
    )
    for index, name in enumerate(header):
        table.add_column(
            name,
            justify="right" if name in right else "left",
            width=widths[index] if widths else None,
            overflow="fold",  # never "…": a word wider than its column wraps
        )
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    return table


def records_table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Table:
    table = Table(title=title, show_header=False)
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("value", overflow="fold")
    for row in rows:
        fields = [
            (name, cell)
            for index, (name, cell) in enumerate(zip(header, row, strict=True))
            if index == 0 or cell not in EMPTY
        ]
        for index, (name, cell) in enumerate(fields):
            table.add_row(Text(name), Text(cell), end_section=index == len(fields) - 1)
    return table


def _longest_word(text: str) -> int:
    return max((cell_len(word) for word in text.split()), default=0)


def _longest_line(text: str) -> int:
    return max((cell_len(line) for line in text.splitlines()), default=0)
