"""Where a read-only CLI command reads: the store's views, or a server asked with a token."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol
from uuid import UUID

import typer

from api.bootstrap import build
from api.cli.failures import CannotCheck
from api.cli.remote import RemoteFilieres
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
    """The server at `api`, closed on leaving; its refusals reach the CLI's failure handling."""
    server = RemoteFilieres(api, token)
    try:
        yield server
    finally:
        server.close()


def refuse_api(api: str | None, command: str) -> None:
    """For a command that only the store answers: never read a local store when a server
    was named (by --api or FILIERES_API_URL)."""
    if api:
        raise CannotCheck(
            f"`filieres {command}` reads the store itself, and no server answers it: drop"
            " --api (or unset FILIERES_API_URL) and name the store with --database-url"
        )


@contextmanager
def read_side(database_url: str | None, api: str | None, token: str | None) -> Iterator[ReadSide]:
    """The server at `api` when given (with `token`), else the store at `database_url`."""
    if api:
        with remote(api, token) as server:
            yield server
        return
    # FILIERES_SEPARATE_PROJECTION_RUNNER=true (a read replica): wait for the views, write nothing.
    services = build(database_url=database_url, existing_store=True)
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
