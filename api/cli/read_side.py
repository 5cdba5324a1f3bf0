"""Where a read-only CLI command reads: the store's views, or a server asked with a token."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol
from uuid import UUID

import typer
from rich.console import Console

from api.bootstrap import build
from api.cli.remote import RemoteFilieres, RemoteRefusal
from application.projections.records import DecisionEntry, FiliereOverview, Page, RegisterFilter
from application.projections.time_travel import Cutoff


class ReadSide(Protocol):
    """What both the store's read models and a remote server answer."""

    def filiere_overviews(self) -> list[FiliereOverview]: ...

    def decisions(
        self, where: RegisterFilter, limit: int = ..., cursor: str | None = None
    ) -> Page[DecisionEntry]: ...

    def filiere_overview(
        self, filiere_id: UUID, cutoff: Cutoff | None = None
    ) -> FiliereOverview: ...


@contextmanager
def remote(api: str, token: str | None) -> Iterator[RemoteFilieres]:
    """The server at `api`; its refusals (401, 403 ...) end the command with exit 1."""
    server = RemoteFilieres(api, token)
    try:
        yield server
    except RemoteRefusal as refusal:
        Console(stderr=True).print(f"[red]Refused by the server:[/red] {refusal}")
        raise typer.Exit(1) from None
    finally:
        server.close()


@contextmanager
def read_side(database_url: str | None, api: str | None, token: str | None) -> Iterator[ReadSide]:
    """The server at `api` when given (with `token`), else the store at `database_url`."""
    if api:
        with remote(api, token) as server:
            yield server
        return
    # FILIERES_SEPARATE_PROJECTION_RUNNER=true (a read replica): wait for the views, write nothing.
    services = build(database_url=database_url)
    try:
        yield services.read_models
    finally:
        services.close()


def filiere_id_of(read: ReadSide, filiere: str) -> UUID:
    """An id as given, or the one filière whose name is, or else contains, `filiere`."""
    try:
        return UUID(filiere)
    except ValueError:
        pass
    wanted = filiere.casefold()
    matches = [f for f in read.filiere_overviews() if wanted in f.name.casefold()]
    exact = [f for f in matches if f.name.casefold() == wanted]
    chosen = exact or matches
    if len(chosen) != 1:
        names = ", ".join(f.name for f in matches) or "none"
        raise typer.BadParameter(f"{filiere!r} names {len(chosen)} filières ({names})")
    return chosen[0].id
