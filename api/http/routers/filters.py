"""Query parameters that several lists filter by, in the same words."""

from typing import Any

from fastapi import Query


def assumed_filter(items: str, held_in: str = "") -> Any:
    """The `assumed` filter of a list of `items` (`held_in` says where their assumptions are)."""
    return Query(
        description=f"true: only the {items} that rest on an assumption of their recorder"
        f"{held_in}; false: only those that rest on none."
    )
