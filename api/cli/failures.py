"""Exit codes, and the one place where an expected failure becomes one line and its code.

Commands raise; they do not print errors or choose codes themselves. The
root group below catches what a command raised, prints one line on stderr
saying what went wrong and how to fix it, and exits with the code that says
which kind of failure it was. `--debug` (or FILIERES_DEBUG=1) adds the
traceback.
"""

import traceback
from typing import Any

import httpx
import typer
from rich.console import Console
from rich.text import Text
from sqlalchemy.exc import ArgumentError
from typer import _click  # Typer's own copy of click, whose Context its groups take

from api.cli.remote import RemoteRefusal
from domain.errors import DomainError, InvalidValueError, NotFoundError
from infrastructure.auth_store import TokenRevocationError, UnknownTokenError
from infrastructure.database_unavailable import database_unavailable
from infrastructure.store_presence import StoreNotFoundError, StoreUnreachableError

EXIT_DONE = 0
"""Done; or checked, and intact."""
EXIT_NO = 1
"""The answer is no: the chain is broken, or what was asked was refused by a rule."""
EXIT_CANNOT_CHECK = 2
"""Could not do it: no store, database or server unreachable, bad arguments."""
EXIT_INTERNAL_ERROR = 70
"""A bug in Filières (EX_SOFTWARE of sysexits.h): neither a no nor a could-not-check."""

err = Console(stderr=True, soft_wrap=True)


class CannotCheck(Exception):
    """A command could not do what was asked (exit 2); the message says how to fix it."""


def explain(error: BaseException) -> tuple[str, int] | None:
    """The line to print and the exit code for an expected failure; None for a bug."""
    match error:
        case CannotCheck() | StoreNotFoundError() | StoreUnreachableError():
            return str(error), EXIT_CANNOT_CHECK
        case NotFoundError() | UnknownTokenError():
            return f"not found: {error}", EXIT_CANNOT_CHECK
        case InvalidValueError():
            return f"invalid value: {error}", EXIT_CANNOT_CHECK
        case DomainError() | TokenRevocationError():  # a rule of the programme refused it
            return str(error), EXIT_NO
        case RemoteRefusal():
            return f"refused by the server: {error}", EXIT_CANNOT_CHECK
        case httpx.TransportError():
            return _server_unreachable(error), EXIT_CANNOT_CHECK
        case ArgumentError() if "URL" in str(error):
            return (
                f"not a database URL: {error}. Give one such as sqlite:///./filieres.db or"
                " postgresql://user@host/database, with --database-url or FILIERES_DATABASE_URL",
                EXIT_CANNOT_CHECK,
            )
        case OSError(filename=str() as filename):  # a file given that cannot be read or written
            return f"{error.strerror or error}: {filename}", EXIT_CANNOT_CHECK
    if database_unavailable(error):
        return _database_unreachable(error), EXIT_CANNOT_CHECK
    return None


class FailureReportingGroup(typer.core.TyperGroup):
    """The root command: runs the subcommand, and turns what it raised into one line and a code."""

    def invoke(self, ctx: _click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException, BrokenPipeError):
            raise  # Typer's own: usage errors (exit 2), explicit exits; `| head` closing early
        except Exception as error:
            raise typer.Exit(report(error, debug=bool(ctx.params.get("debug")))) from None


def report(error: Exception, debug: bool) -> int:
    """Print `error` as one line (after its traceback with `debug`); its exit code."""
    if debug:
        traceback.print_exception(error)
    explained = explain(error)
    if explained is not None:
        message, code = explained
        label = "Refused" if code == EXIT_NO else "Error"
        err.print(Text(f"{label}: ", style="bold red") + Text(_sentence(message)))
        return code
    hint = "" if debug else " Run again with --debug for the traceback, and report it."
    err.print(
        Text("Internal error: ", style="bold red")
        + Text(f"{type(error).__name__}: {_first_line(str(error))}. This is a bug.{hint}")
    )
    return EXIT_INTERNAL_ERROR


def _server_unreachable(error: httpx.TransportError) -> str:
    try:
        where = str(error.request.url.copy_with(path="/", query=None))
    except RuntimeError:  # no request attached
        where = "the server"
    return (
        f"cannot reach the server at {where}: {_first_line(str(error)) or type(error).__name__}."
        " Is it running? Check --api / FILIERES_API_URL"
    )


def _database_unreachable(error: BaseException) -> str:
    cause: BaseException | None = error
    while cause is not None and cause.__cause__ is not None:
        cause = cause.__cause__
    reason = _first_line(str(cause or error)).removeprefix("connection failed: ")
    return (
        f"cannot reach the database: {reason}. Start the database server, or check"
        " --database-url / FILIERES_DATABASE_URL"
    )


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0].strip() if text.strip() else ""


def _sentence(message: str) -> str:
    message = message.strip()
    return message if message.endswith((".", "?", "!")) else message + "."
