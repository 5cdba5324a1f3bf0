"""What the detail views' reads share: rows by one column, and each parent's children.

A detail read selects its main rows (one by id, or a parent's in order), then
each child table's rows for all of them at once, grouped by parent.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from application.projections.rows import Query, Reader, among, eq
from application.projections.tables import R, Table
from application.projections.view import View

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


@dataclass(frozen=True)
class DetailReads(Generic[R, T]):
    """A detail view's two reads: one detail by its id, and a parent's, in `order_by` order.

    `details` builds the details of main rows of `table` (their children read at once).
    """

    view: View
    table: Table[R]
    key: str
    parent: str
    order_by: tuple[str, ...]
    details: Callable[[Reader, list[R]], list[T]]

    def one(self, db: Reader, key: object) -> T | None:
        return first(self.details(db, rows_where(db, self.table, self.key, key)))

    def of_parent(self, db: Reader, parent: object) -> list[T]:
        return self.details(db, rows_where(db, self.table, self.parent, parent, self.order_by))
