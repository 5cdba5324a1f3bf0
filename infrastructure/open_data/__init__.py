"""The open-data standards the exports follow, copied into the package with their origin."""

from pathlib import Path

SCDL_SUBVENTIONS_SCHEMA = Path(__file__).with_name("scdl_subventions_2.1.1.schema.json")
"""SCDL « Subventions » 2.1.1, OpenDataFrance's Table Schema (see README.md beside it)."""
