"""bench/RESULTS.md: each benchmark's rows go into its own table there."""

from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")


def append_row(section: str, section_text: str, line: str) -> None:
    """Add `line` after the last row of the table under `section`, creating the section if missing.

    A new section goes before the other sections: `bench.command_throughput` appends its rows
    at the end of the file, which must stay its own table. Notes may follow a table.
    """
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n\n"
    if section not in text:
        first = text.find("\n## ")
        at = len(text) if first == -1 else first + 1
        text = text[:at] + section_text + "\n" + text[at:]
    begins = text.index(section)
    following = text.find("\n## ", begins)
    body = text[begins : len(text) if following == -1 else following]
    last_row = body.rindex("\n|") + 1
    row_end = begins + body.index("\n", last_row)
    RESULTS.write_text(text[: row_end + 1] + line + "\n" + text[row_end + 1 :])
