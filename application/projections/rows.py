"""The one port every view reads and writes its rows through, whatever database holds them.

Handlers change rows by primary key (`Rows`); reads query them (`Reader`)
with a small vocabulary: comparisons, membership, a correlated "exists in
another table", ordering, a limit and a keyset `after`. The infrastructure
implements both once for every view.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, Literal, Protocol

from application.projections.tables import Key, R, Table

Operator = Literal["=", "<", "<=", ">", ">="]


@dataclass(frozen=True)
class Compare:
    column: str
    operator: Operator
    value: object


@dataclass(frozen=True)
class Among:
    column: str
    values: tuple[object, ...]


@dataclass(frozen=True)
class Exists:
    """A row of `table` matching `where`, whose `matching` columns equal the outer row's."""

    table: Table[Mapping[str, object]]
    where: tuple["Condition", ...]
    matching: tuple[tuple[str, str], ...]
    """(column of `table`, column of the table queried) pairs."""


Condition = Compare | Among | Exists


def eq(column: str, value: object) -> Compare:
    return Compare(column, "=", value)


def at_least(column: str, value: object) -> Compare:
    return Compare(column, ">=", value)


def at_most(column: str, value: object) -> Compare:
    return Compare(column, "<=", value)


def among(column: str, values: Iterable[object]) -> Among:
    return Among(column, tuple(values))


@dataclass(frozen=True)
class Query(Generic[R]):
    """Rows of `table` matching every condition of `where`, in `order_by` order (ascending).

    `after`, with `order_by`: only the rows that come after these values of
    the `order_by` columns (a keyset page); `limit`: at most that many rows.
    """

    table: Table[R]
    where: tuple[Condition, ...] = ()
    order_by: tuple[str, ...] = ()
    after: tuple[object, ...] | None = None
    limit: int | None = None


class Rows(Protocol):
    """A view's rows as a handler changes them, by primary key, within one transaction."""

    def get(self, table: Table[R], key: Key) -> R | None:
        """The row as the events so far left it (later changes leave it as it is); None when
        there is none. Change rows through `update`, never through what `get` returned."""

    def insert(self, table: Table[R], row: R) -> None:
        """A new row; IntegrityError if its key is taken."""

    def update(self, table: Table[R], key: Key, values: Mapping[str, object]) -> bool:
        """Set these columns of the row; False (and nothing changed) when there is no such row."""

    def delete(self, table: Table[R], key: Key) -> bool:
        """False when there is no such row."""


class Reader(Protocol):
    """A view's rows as they stand, for its reads; all queries of one read see one state."""

    def select(self, query: Query[R]) -> list[R]: ...

    def count(
        self, table: Table[R], by: str, where: tuple[Condition, ...] = ()
    ) -> dict[object, int]:
        """How many rows matching `where` hold each value of the column `by`."""
