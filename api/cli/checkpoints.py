"""`filieres audit checkpoint`, and what `audit verify` does with `--checkpoint`.

On the store, `verify --checkpoint FILE` checks the checkpoint's signature,
then re-derives the tree from the events and compares its root at the
checkpoint's size. Against a server (`--api`), where the log cannot be read
whole, it checks the signature of the given checkpoint and of the server's
current one with the trusted public key, and the consistency proof between
them: a truncated or rewritten log fails either way.
"""

from pathlib import Path
from typing import Annotated

import typer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from rich.console import Console
from rich.markup import escape

from api.bootstrap import build
from api.cli.failures import CannotCheck
from api.cli.options import DatabaseUrl, OutputFile
from api.cli.read_side import remote
from api.cli.remote import ApiToken, ApiUrl, RemoteFilieres
from application.audit.chain_verification import ChainVerification
from application.audit.checkpoint import Checkpoint, CheckpointError
from application.audit.merkle import verify_consistency
from application.audit.proofs import ConsistencyProof
from application.audit.verification_results import (
    CheckpointVerification,
    SnapshotVerification,
    ViewSnapshotVerification,
)
from infrastructure.checkpoints import InconsistentLogError, NoSigningKeyError
from infrastructure.settings import Settings
from infrastructure.signing import SigningKeyError, load_public_key, open_signed_checkpoint

out = Console(soft_wrap=True)
err = Console(stderr=True)

CheckpointFile = Annotated[
    Path | None,
    typer.Option(
        "--checkpoint",
        help="A signed checkpoint: exit 1 unless the log still holds its tree.",
    ),
]
PublicKeyFile = Annotated[
    Path | None,
    typer.Option(
        "--public-key",
        help="The PEM public key that signs checkpoints; default: FILIERES_SIGNING_KEY_FILE's.",
    ),
]


def checkpoint(
    output: OutputFile = None,
    database_url: DatabaseUrl = None,
    api: ApiUrl = None,
    token: ApiToken = None,
) -> None:
    """Print the log's signed checkpoint (C2SP tlog-checkpoint), or write it to --output."""
    if api:
        with remote(api, token) as server:
            text = server.text("/audit/checkpoint")
    else:
        services = build(database_url=database_url, follow_in_process=False, existing_store=True)
        try:
            text = services.checkpoints.sign_current()
        except NoSigningKeyError as error:
            raise CannotCheck(str(error)) from None
        except InconsistentLogError as error:
            err.print(f"[red]Refused:[/red] {escape(str(error))}")
            raise typer.Exit(1) from None
        finally:
            services.close()
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        err.print(f"Wrote the checkpoint of {text.splitlines()[1]} events to {output}.")


def verification(
    database_url: str | None,
    api: str | None,
    token: str | None,
    checkpoint_file: Path | None,
    public_key_file: Path | None,
) -> ChainVerification:
    """What `audit verify` reports, the checkpoint's signature checked first when given."""
    signed = _signed_checkpoint(checkpoint_file, public_key_file) if checkpoint_file else None
    if api:
        with remote(api, token) as server:
            result = ChainVerification.model_validate(server.get("/audit/verify"))
            if signed is not None:
                held = _remote_holds(server, *signed)
                result = result.model_copy(update={"ok": result.ok and held.ok, "checkpoint": held})
        return result
    services = build(database_url=database_url, follow_in_process=False, existing_store=True)
    try:
        return services.audit_log.verify(signed[0] if signed else None)
    finally:
        services.close()


def _signed_checkpoint(
    path: Path, public_key_file: Path | None
) -> tuple[Checkpoint, Ed25519PublicKey]:
    key_file = public_key_file or Settings().signing_key_file
    if key_file is None:
        err.print(
            "[red]Refused:[/red] give --public-key FILE, or set FILIERES_SIGNING_KEY_FILE,"
            " to check the checkpoint's signature"
        )
        raise typer.Exit(2)
    try:
        key = load_public_key(key_file)
        text = path.read_text(encoding="utf-8")
        return open_signed_checkpoint(text, key), key
    except SigningKeyError as error:
        err.print(f"[red]Refused:[/red] {escape(str(error))}")
        raise typer.Exit(2) from None
    except (OSError, UnicodeError, CheckpointError) as error:
        out.print(f"CHECKPOINT REFUSED: {escape(str(path))}: {escape(str(error))}")
        raise typer.Exit(1) from None


def _remote_holds(
    server: RemoteFilieres, signed: Checkpoint, key: Ed25519PublicKey
) -> CheckpointVerification:
    """Whether the server's current signed tree extends the checkpoint's."""
    try:
        current = open_signed_checkpoint(server.text("/audit/checkpoint"), key)
    except CheckpointError as error:
        return _held(signed, False, f"the server's own checkpoint does not verify: {error}")
    if current.origin != signed.origin:
        return _held(signed, False, f"the server's log is another one ({current.origin})")
    if current.size < signed.size:
        return _held(
            signed,
            False,
            f"the log holds {current.size} events, the checkpoint signed {signed.size}:"
            " events were removed",
        )
    if current.size == signed.size:
        holds = current.root == signed.root
    else:
        proof = ConsistencyProof.model_validate(
            server.get("/audit/proofs/consistency", {"first": signed.size, "second": current.size})
        )
        path = [bytes.fromhex(h) for h in proof.consistency_path]
        holds = verify_consistency(signed.size, current.size, signed.root, current.root, path)
    if holds:
        return _held(signed, True, f"the log still holds the {signed.size} events it signed")
    return _held(
        signed,
        False,
        f"the log's first {signed.size} events are not those the checkpoint signed: rewritten",
    )


def _held(signed: Checkpoint, ok: bool, detail: str) -> CheckpointVerification:
    return CheckpointVerification(
        ok=ok, origin=signed.origin, size=signed.size, root=signed.root.hex(), detail=detail
    )


def report(result: ChainVerification) -> None:
    """Print each verdict; exit 1 unless every one holds."""
    broken = result.first_broken
    if broken is None:
        out.print(f"OK: {result.events_checked} events checked; head hash {result.head_hash}")
    else:
        out.print(
            f"BROKEN at position {broken.position}: {broken.reason}: {broken.detail}"
            f" ({result.events_checked} events checked before it; last good hash"
            f" {result.head_hash})"
        )
    tree = result.tree
    if tree is not None:
        if tree.first_broken is None:
            out.print(f"Tree OK: {tree.size} leaves; root {tree.root}")
        else:
            fault = tree.first_broken
            out.print(
                f"TREE BROKEN at position {fault.position}: {fault.reason}: {fault.detail}"
                f" ({tree.size} leaves re-derived before it)"
            )
    if result.snapshots is not None:
        _report_snapshots(
            "Snapshots",
            result.snapshots,
            [
                f"snapshot of {bad.aggregate_id} at version {bad.version} ({bad.topic}):"
                f" {bad.reason}"
                for bad in result.snapshots.bad
            ],
        )
    if result.view_snapshots is not None:
        _report_snapshots(
            "Time-travel snapshots",
            result.view_snapshots,
            [
                f"{forged.view} (v{forged.view_version}) of {forged.scope_id} as of"
                f" {forged.day}, position {forged.position}: {forged.reason}"
                for forged in result.view_snapshots.bad
            ],
        )
    held = result.checkpoint
    if held is not None:
        verdict = "Checkpoint OK" if held.ok else "CHECKPOINT BROKEN"
        out.print(f"{verdict}: {held.origin} at {held.size} events: {held.detail}")
    if not result.ok:
        raise typer.Exit(1)


def _report_snapshots(
    kind: str, verdict: SnapshotVerification | ViewSnapshotVerification, bad: list[str]
) -> None:
    if verdict.ok:
        out.print(f"{kind} OK: {verdict.checked} checked, each sealed")
        return
    out.print(
        f"{kind.upper()} BAD: {verdict.bad_count} of {verdict.checked} are not used"
        " (forged or altered in the database):"
    )
    for line in bad:
        out.print(f"  {line}")


def register(app: typer.Typer) -> None:
    app.command()(checkpoint)
