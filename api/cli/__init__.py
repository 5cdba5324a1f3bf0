"""The `filieres` command line (Typer)."""
