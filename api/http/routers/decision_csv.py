"""The decision register as CSV, one row per decision, safe to open in a spreadsheet."""

import csv
import io
from collections.abc import Callable, Iterator
from datetime import datetime

from pydantic import TypeAdapter

from api.http.csv_cells import neutralised
from application.projections.records import DecisionEntry, Page

_INSTANT = TypeAdapter(datetime)

COLUMNS = (
    "position",
    "decided_on",
    "filiere_id",
    "filiere_name",
    "body_id",
    "body_name",
    "decided_by",
    "subject",
    "event",
    "aggregate_type",
    "aggregate_id",
    "candidacy_id",
    "vote_for",
    "vote_against",
    "vote_abstain",
    "rationale",
    "reference",
    "amount",
    "reverses",
    "reversed_by",
    "recorded_by",
    "recorded_at",
    "correlation_id",
    "source_document",
    "source_locator",
    "assumptions",
    "sitting_id",
    "deliberation_number",
    "present_or_represented",
    "recused",
    "verified",
)


def csv_rows(
    first_page: Page[DecisionEntry], next_page: Callable[[str], Page[DecisionEntry]]
) -> Iterator[str]:
    """Header, then every entry from `first_page` on, fetching pages as it goes."""
    yield csv_line(COLUMNS)
    page = first_page
    while True:
        for entry in page.items:
            yield csv_line(_cells(entry))
        if page.next_cursor is None:
            return
        page = next_page(page.next_cursor)


def _cells(entry: DecisionEntry) -> tuple[object, ...]:
    vote = entry.vote
    return (
        entry.position,
        entry.decided_on,
        entry.filiere_id,
        entry.filiere_name,
        entry.body_id,
        entry.body_name,
        "; ".join(entry.decided_by),
        entry.subject,
        entry.event,
        entry.aggregate_type,
        entry.aggregate_id,
        entry.candidacy_id,
        vote.for_ if vote else None,
        vote.against if vote else None,
        vote.abstain if vote else None,
        entry.rationale,
        entry.reference,
        f"{entry.amount:.2f}" if entry.amount is not None else None,
        entry.reverses,
        entry.reversed_by,
        entry.recorded_by,
        _instant(entry.recorded_at),
        entry.correlation_id,
        entry.source.document if entry.source else None,
        entry.source.locator if entry.source else None,
        " | ".join(entry.assumptions),
        entry.sitting_id,
        entry.deliberation_number,
        entry.present_or_represented,
        "; ".join(entry.recused),
        entry.verified,
    )


def _instant(moment: datetime) -> str:
    """Written as the JSON answers write it (UTC with `Z`), so both say the same instant alike."""
    return str(_INSTANT.dump_python(moment, mode="json"))


def csv_line(cells: tuple[object, ...]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([_cell(c) for c in cells])
    return out.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    # A name starting with = would run as a formula in a spreadsheet.
    return neutralised(str(value))
