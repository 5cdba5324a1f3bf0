"""What the detail views' reads share: rows by one column, and each parent's children.

A detail read selects its main rows (one by id, or a parent's in order), then
each child table's rows for all of them at once, grouped by parent.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TypeVar

from application.projections.rows import Query, Reader, among, eq
from application.projections.tables import R, Table

T = TypeVar("T")


def first(found: list[T]) -> T | None:
    return found[0] if found else None


def rows_where(
    db: Reader, table: Table[R], column: str, value: object, order_by: tuple[str, ...] = ()
) -> list[R]:
    """The rows of `table` whose `column` is `value`, in `order_by` order."""
    return db.select(Query(table, where=(eq(column, value),), order_by=order_by))


def children(
    db: Reader,
    table: Table[R],
    parent: str,
    parents: Iterable[object],
    order_by: tuple[str, ...],
    build: Callable[[R], T],
) -> defaultdict[object, list[T]]:
    """The rows of `table` whose `parent` column is one of `parents`, built, by parent."""
    grouped: defaultdict[object, list[T]] = defaultdict(list)
    for row in db.select(Query(table, where=(among(parent, parents),), order_by=order_by)):
        grouped[row[parent]].append(build(row))
    return grouped
