"""Placeholder: filled by the audit work (issue 5)."""

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to `app`."""
