"""Markdown tables for minutes and wikis (GitHub-flavoured)."""

from collections.abc import Sequence


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table: header, separator, one line per row."""
    lines = [_markdown_row(header), "|" + "|".join(" --- " for _ in header) + "|"]
    lines.extend(_markdown_row(row) for row in rows)
    return "\n".join(lines)


def _markdown_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(markdown_cell(c) for c in cells) + " |"


def markdown_cell(text: str) -> str:
    """One cell on one line: a `|` or a newline in the text breaks no column, `<` opens no tag.

    `\\` is escaped first so that an escape in the text cannot undo ours.
    """
    escaped = text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
    return "<br>".join(line.strip() for line in escaped.splitlines()) if escaped else ""
