"""The views' read queries in SQL: the port's small query vocabulary as SQLAlchemy Core."""

from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import ColumnElement, Connection, and_, exists, func, or_, select
from sqlalchemy import Table as SQLTable

from application.projections.rows import Among, Compare, Condition, Exists, Query, Reader
from application.projections.tables import R, Table

_OPERATORS = {
    "=": lambda column, value: column == value,
    "<": lambda column, value: column < value,
    "<=": lambda column, value: column <= value,
    ">": lambda column, value: column > value,
    ">=": lambda column, value: column >= value,
}


class SQLReader(Reader):
    """Reads on one connection, which the caller holds for the whole read."""

    def __init__(self, connection: Connection, tables: Mapping[Table[Any], SQLTable]) -> None:
        self.connection = connection
        self.tables = tables

    def select(self, query: Query[R]) -> list[R]:
        if any(isinstance(c, Among) and not c.values for c in query.where):
            return []  # among nothing: no row, and no round trip to learn it
        table = self.tables[query.table]
        statement = select(table).where(*(self._condition(table, c) for c in query.where))
        if query.order_by:
            order = [table.c[name] for name in query.order_by]
            statement = statement.order_by(*order)
            if query.after is not None:
                statement = statement.where(_after(order, query.after))
        if query.limit is not None:
            statement = statement.limit(query.limit)
        return [cast(R, dict(row._mapping)) for row in self.connection.execute(statement)]

    def count(
        self, table: Table[R], by: str, where: tuple[Condition, ...] = ()
    ) -> dict[object, int]:
        sql_table = self.tables[table]
        column = sql_table.c[by]
        statement = (
            select(column, func.count())
            .where(*(self._condition(sql_table, c) for c in where))
            .group_by(column)
        )
        return {value: int(n) for value, n in self.connection.execute(statement)}

    def _condition(self, table: SQLTable, condition: Condition) -> ColumnElement[bool]:
        if isinstance(condition, Compare):
            return cast(
                ColumnElement[bool],
                _OPERATORS[condition.operator](table.c[condition.column], condition.value),
            )
        if isinstance(condition, Among):
            return table.c[condition.column].in_(condition.values)
        assert isinstance(condition, Exists)
        inner = self.tables[condition.table]
        return exists().where(
            *(self._condition(inner, c) for c in condition.where),
            *(inner.c[mine] == table.c[theirs] for mine, theirs in condition.matching),
        )


def _after(order: list[Any], values: tuple[object, ...]) -> ColumnElement[bool]:
    """Rows whose `order` columns come after `values`, lexicographically."""
    (first, *rest), (value, *more) = order, values
    if not rest:
        return cast(ColumnElement[bool], first > value)
    return or_(first > value, and_(first == value, _after(rest, tuple(more))))
