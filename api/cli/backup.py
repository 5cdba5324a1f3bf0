"""`filieres backup --output FILE`: a consistent copy of a SQLite store, even while it is served.

PostgreSQL has its own tool, `pg_dump`, which reads one consistent snapshot
too: for such a store the command prints the exact command line instead.
"""

import shlex
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.engine import URL, make_url

from api.bootstrap import events_table_name
from api.cli.failures import CannotCheck
from api.cli.options import DatabaseUrl
from api.cli.read_side import refuse_api
from api.cli.remote import StoreOnlyApiUrl
from infrastructure.settings import Settings
from infrastructure.sqlite_backup import BackupTargetExistsError, backup_sqlite, sqlite_store_path
from infrastructure.store_presence import require_store, shown_url

out = Console(soft_wrap=True, highlight=False)


def backup(
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write the copy to.")],
    force: Annotated[bool, typer.Option("--force", help="Replace OUTPUT if it exists.")] = False,
    database_url: DatabaseUrl = None,
    api: StoreOnlyApiUrl = None,
) -> None:
    """Copy a SQLite store, consistent as of the moment the copy starts, while it is served."""
    refuse_api(api, "backup")
    url = database_url or Settings().database_url
    source = sqlite_store_path(url)
    if source is None and make_url(url).get_backend_name() == "sqlite":
        raise CannotCheck(f"{shown_url(url)} is an in-memory store: there is no file to copy")
    if source is None:
        command = pg_dump_command(url, output)
        raise CannotCheck(
            "this store is on PostgreSQL: back it up with pg_dump, which reads one consistent"
            f" snapshot while it is served (the README's Backing up): `{command}`"
        )
    require_store(url, events_table_name())
    try:
        events = backup_sqlite(source, output, events_table_name(), replace=force)
    except BackupTargetExistsError:
        raise CannotCheck(f"{output} exists: choose another --output, or add --force") from None
    out.print(f"Backed up {events} events from {source} to {output}.")


def pg_dump_command(database_url: str, output: Path) -> str:
    """The pg_dump command line for this URL, without its password (PGPASSWORD or ~/.pgpass)."""
    url = make_url(database_url)
    # URL.set(password=None) would keep it: None there means "unchanged".
    plain = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    ).render_as_string(hide_password=False)
    return shlex.join(["pg_dump", "-Fc", "-d", plain, "-f", str(output)])
