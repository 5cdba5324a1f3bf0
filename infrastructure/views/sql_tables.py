"""A view's neutral table declarations as SQLAlchemy Core tables, built once per view.

Amounts are whole cents and instants UTC (`column_types`); a log position is
a BIGINT, an INTEGER on SQLite (where an INTEGER primary key is the rowid).
"""

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Uuid,
)
from sqlalchemy import Table as SQLTable
from sqlalchemy.types import TypeEngine

from application.projections.tables import Column as ViewColumn
from application.projections.tables import Kind, Table
from application.projections.view import View
from infrastructure.schema import POSITION
from infrastructure.views.column_types import Cents, UtcDateTime

AnyTable = Table[Mapping[str, object]]

_TYPES: dict[Kind, TypeEngine[Any] | type[TypeEngine[Any]]] = {
    Kind.UUID: Uuid,
    Kind.INT: Integer,
    Kind.POSITION: POSITION,
    Kind.DATE: Date,
    Kind.INSTANT: UtcDateTime,
    Kind.MONEY: Cents,
    Kind.BOOL: Boolean,
    Kind.JSON: JSON,
}


@cache
def sql_tables(view: View) -> dict[AnyTable, SQLTable]:
    """The view's tables, each with its SQLAlchemy table, on one MetaData of the view's own."""
    metadata = MetaData()
    return {table: to_sql(table, metadata) for table in view.tables}


def sql_table(view: View, table: AnyTable) -> SQLTable:
    return sql_tables(view)[table]


def sorted_sql_tables(view: View) -> Sequence[SQLTable]:
    return list(sql_tables(view).values())


def to_sql(table: AnyTable, metadata: MetaData) -> SQLTable:
    return SQLTable(
        table.name,
        metadata,
        *(_sql_column(column) for column in table.columns),
        *(Index(index.name, *index.columns) for index in table.indexes),
    )


def _sql_column(column: ViewColumn) -> Column[Any]:
    sql_type: TypeEngine[Any] | type[TypeEngine[Any]] = (
        String(column.length) if column.kind is Kind.TEXT else _TYPES[column.kind]
    )
    return Column(
        column.name,
        sql_type,
        primary_key=column.key,
        autoincrement=False,
        nullable=column.nullable,
        unique=column.unique or None,
        index=column.indexed or None,
    )
