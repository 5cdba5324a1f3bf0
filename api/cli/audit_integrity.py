"""`filieres audit verify` and `filieres audit export`: the integrity chain on the command line."""

import sys
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from api.bootstrap import build
from api.cli.checkpoints import CheckpointFile, PublicKeyFile, report, verification
from api.cli.options import DatabaseUrl, OutputFile
from api.cli.read_side import remote
from api.cli.remote import ApiToken, ApiUrl
from infrastructure.audit_log_store import AuditLogStore

out = Console(soft_wrap=True)
err = Console(stderr=True)


class ExportFormat(StrEnum):
    JSONL = "jsonl"


def verify(
    database_url: DatabaseUrl = None,
    api: ApiUrl = None,
    token: ApiToken = None,
    checkpoint: CheckpointFile = None,
    public_key: PublicKeyFile = None,
) -> None:
    """Re-derive the integrity chain and the Merkle tree, check each snapshot's seal; exit 1
    naming the first event altered, removed or inserted, or the snapshot forged.

    Keep the head hash it prints somewhere else, or better a signed checkpoint
    (`filieres audit checkpoint`): `--checkpoint FILE` exits 1 unless the log
    still holds that checkpoint's tree, which reveals events removed or rewritten
    with recomputed hashes.
    """
    report(verification(database_url, api, token, checkpoint, public_key))


def export(
    output_format: Annotated[
        ExportFormat, typer.Option("--format", help="jsonl: one event per line.")
    ] = ExportFormat.JSONL,
    output: OutputFile = None,
    database_url: DatabaseUrl = None,
    api: ApiUrl = None,
    token: ApiToken = None,
) -> None:
    """Write the whole log, one event per line in position order, with its hashes.

    The README's "Verifying an export offline" re-derives every hash from it.
    """
    assert output_format is ExportFormat.JSONL  # the only format so far; typer refuses others
    if api:
        with remote(api, token) as server:
            written = _write_remote(server.lines("/audit/events.jsonl"), output)
    else:
        services = build(database_url=database_url, follow_in_process=False, existing_store=True)
        try:
            store = services.audit_log
            if output is None:
                written = _write_lines(store, sys.stdout)
            else:
                with output.open("w", encoding="utf-8", newline="\n") as target:
                    written = _write_with_progress(store, target)
        finally:
            services.close()
    if output is not None:
        err.print(f"Exported {written} events to {output}.")


def _write_remote(lines: Iterator[str], output: Path | None) -> int:
    """The server's export as it streams it, line by line."""
    written = 0
    with (
        output.open("w", encoding="utf-8", newline="\n") if output else nullcontext(sys.stdout)
    ) as target:
        for line in lines:
            if line:
                target.write(line + "\n")
                written += 1
    return written


def _write_with_progress(store: AuditLogStore, target: TextIO) -> int:
    with Progress(
        TextColumn("[bold]exporting the log"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
    ) as progress:
        task = progress.add_task("export", total=store.end_position())
        return _write_lines(
            store, target, lambda position: progress.update(task, completed=position)
        )


def _write_lines(
    store: AuditLogStore, target: TextIO, at: Callable[[int], None] | None = None
) -> int:
    written = 0
    for event in store.audit_events():
        target.write(event.model_dump_json() + "\n")
        written += 1
        if at is not None and written % 1000 == 0:
            at(event.position)
    if at is not None:
        at(store.end_position())
    return written


def register(app: typer.Typer) -> None:
    """Add this module's commands to `app`."""
    app.command()(verify)
    app.command()(export)
