"""Options every `filieres` command shares."""

from typing import Annotated

import typer

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="SQLAlchemy URL of the store; default FILIERES_DATABASE_URL or sqlite:///./filieres.db",
    ),
]
