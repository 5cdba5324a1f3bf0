"""Options every `filieres` command shares."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="SQLAlchemy URL of the store; default FILIERES_DATABASE_URL or sqlite:///./filieres.db",
    ),
]


class TableOrJson(StrEnum):
    """How a listing prints: a table for people, or JSON for scripts."""

    TABLE = "table"
    JSON = "json"


ListingFormat = Annotated[TableOrJson, typer.Option("--format", help="table, or json for scripts.")]
OutputFile = Annotated[
    Path | None, typer.Option("--output", "-o", help="The file to write; stdout by default.")
]
