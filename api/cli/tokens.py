"""`filieres token issue | list | revoke`: API tokens, kept in the store as digests only.

A token is listed and revoked by its public id (`tok_…`), never by its
secret: a command line is visible to every user of the machine.
"""

import json
from typing import Annotated

import typer
from rich.console import Console

from api.bootstrap import build
from api.cli.failures import CannotCheck
from api.cli.options import DatabaseUrl, ListingFormat, TableOrJson
from api.cli.read_side import refuse_api
from api.cli.remote import StoreOnlyApiUrl
from api.cli.tables import fitted_table
from infrastructure.auth_store import Role, TokenRecord

token_app = typer.Typer(help="API tokens (stored as digests).", no_args_is_help=True)
out = Console()
err = Console(stderr=True)
HEADER = ("id", "actor", "role", "created", "last used", "revoked")


@token_app.command("issue")
def issue(
    actor: Annotated[str, typer.Option(help="Who the token acts for; becomes recorded_by.")],
    role: Annotated[Role, typer.Option(help="reader, recorder, auditor or admin.")],
    database_url: DatabaseUrl = None,
) -> None:
    """Print a new token, alone, on stdout (its id on stderr); only its digest is stored."""
    services = build(database_url=database_url, follow_in_process=False)
    try:
        issued = services.tokens.issue_token(actor, role)
    except ValueError as error:
        raise CannotCheck(f"invalid --actor: {error}") from None
    finally:
        services.close()
    typer.echo(issued.secret)
    err.print(f"Token {issued.token_id} issued to {actor.strip()} ({role}).", highlight=False)


@token_app.command("list")
def list_tokens(
    output: ListingFormat = TableOrJson.TABLE,
    database_url: DatabaseUrl = None,
    api: StoreOnlyApiUrl = None,
) -> None:
    """Every token: its id, actor, role, the day it was created and last used; never a secret."""
    refuse_api(api, "token list")
    services = build(database_url=database_url, follow_in_process=False, existing_store=True)
    try:
        records = services.tokens.records()
    finally:
        services.close()
    if output is TableOrJson.JSON:
        typer.echo(json.dumps([_as_json(r) for r in records], indent=2, ensure_ascii=False))
        return
    rows = [_cells(record) for record in records]
    out.print(fitted_table(out, f"API tokens — {len(rows)}", HEADER, rows))


@token_app.command("revoke")
def revoke(
    token_id: Annotated[
        str, typer.Argument(metavar="ID", help="The token's id, as `filieres token list` shows it.")
    ],
    database_url: DatabaseUrl = None,
) -> None:
    """Revoke a token by its id; it is refused from the next request on."""
    if token_id.startswith("flt_"):
        # The secret itself: refused, and not repeated back.
        raise CannotCheck(
            "that is a token's secret, not its id: revoke by the id `filieres token list`"
            " shows (tok_…), and consider this secret exposed"
        )
    services = build(database_url=database_url, follow_in_process=False, existing_store=True)
    try:
        record = services.tokens.revoke(token_id)
    finally:
        services.close()
    out.print(f"Token {record.token_id} ({record.actor}, {record.role}) revoked.", highlight=False)


@token_app.command("upgrade")
def upgrade(database_url: DatabaseUrl = None) -> None:
    """Once, after upgrading Filières: key the digests of tokens stored as plain SHA-256.

    Until then those tokens are refused. Filières never writes such a row again: one that
    appears later was not issued by it; revoke it rather than run this again.
    """
    services = build(database_url=database_url, follow_in_process=False, existing_store=True)
    try:
        upgraded = services.tokens.upgrade_legacy()
    finally:
        services.close()
    for record in upgraded:
        out.print(
            f"Token {record.token_id} ({record.actor}, {record.role}, issued"
            f" {record.issued_at.date()}) upgraded.",
            highlight=False,
        )
    out.print(f"{len(upgraded)} token(s) upgraded to keyed digests.", highlight=False)


def _cells(record: TokenRecord) -> tuple[str, ...]:
    return (
        record.token_id,
        record.actor,
        record.role.value,
        record.issued_at.date().isoformat(),
        record.last_used_on.isoformat() if record.last_used_on else "never",
        record.revoked_at.date().isoformat() if record.revoked_at else "—",
    )


def _as_json(record: TokenRecord) -> dict[str, str | None]:
    return {
        "id": record.token_id,
        "actor": record.actor,
        "role": record.role.value,
        "created_at": record.issued_at.isoformat().replace("+00:00", "Z"),
        "last_used_on": record.last_used_on.isoformat() if record.last_used_on else None,
        "revoked_at": record.revoked_at.isoformat().replace("+00:00", "Z")
        if record.revoked_at
        else None,
    }
