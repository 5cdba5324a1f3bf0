"""`filieres keys init`: the Ed25519 key that signs checkpoints, made outside the database."""

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from infrastructure.signing import SigningKeyError, create_key_files

keys_app = typer.Typer(help="The key that signs checkpoints of the log.", no_args_is_help=True)
err = Console(stderr=True)


@keys_app.command("init")
def init(
    directory: Annotated[
        Path,
        typer.Option(
            "--directory", help="Where to write signing-key.pem (mode 0600) and its .pub.pem."
        ),
    ],
) -> None:
    """Create the signing key pair and print the public key (PEM) on stdout.

    Keep the private key off the database's machine if you can; give the public
    key to whoever checks checkpoints.
    """
    try:
        files = create_key_files(directory)
    except (SigningKeyError, OSError) as error:
        err.print(f"[red]Refused:[/red] {error}")
        raise typer.Exit(1) from None
    typer.echo(files.public_pem, nl=False)
    err.print(
        f"Wrote {files.private} (private, mode 0600) and {files.public}.\n"
        f"Set FILIERES_SIGNING_KEY_FILE={files.private} for the server and the CLI."
    )
