"""What the reports share: their formats and date options."""

from enum import StrEnum
from typing import Annotated, Any

import typer

NONE = "—"


class ReportFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    MD = "md"
    JSON = "json"


Format = Annotated[
    ReportFormat,
    typer.Option("--format", help="table (for reading), csv, md (Markdown) or json (as the API)."),
]


def date_option(name: str, help_text: str) -> Any:
    return typer.Option(name, formats=["%Y-%m-%d"], help=help_text, show_default=False)
