"""A view's rows as a batch of events changes them: read once, changed in memory, written together.

Writing each event's changes as it comes cost several statements per event,
each a round trip to PostgreSQL. Here a row is read (by its primary key) the
first time an event needs it, every later change of the batch happens in
memory, and `flush` writes what differs from what was read: one INSERT,
UPDATE and DELETE per table, each with many parameter sets. Everything stays
in the batch's transaction; the memory held is that of the rows one batch
touches.

A row inserted without having been read is assumed absent from the table:
if it is there, the flush fails on the primary key as the INSERT would have.

This is the infrastructure's side of the views' `Rows` port, for every view.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from eventsourcing.persistence import IntegrityError
from sqlalchemy import Connection, and_, bindparam, delete, insert, select, update
from sqlalchemy import Table as SQLTable

from application.projections.rows import Rows
from application.projections.tables import Key, R, Table

Row = dict[str, Any]


@dataclass
class _Entry:
    stored: Row | None
    """The row as the table holds it (None: no such row)."""
    current: Row | None
    """The row as the batch has left it so far."""


class TableStatements:
    """The statements one table is read and written with, built once."""

    def __init__(self, table: SQLTable) -> None:
        self.table = table
        self.key_names = [c.name for c in table.primary_key.columns]
        self.value_names = [c.name for c in table.columns if c.name not in self.key_names]
        self.names = frozenset(c.name for c in table.columns)
        is_key = and_(*(table.c[name] == bindparam(f"k_{name}") for name in self.key_names))
        self.select = select(table).where(is_key)
        self.insert = insert(table)
        self.update = (
            update(table)
            .where(is_key)
            .values({name: bindparam(f"v_{name}") for name in self.value_names})
        )
        self.delete = delete(table).where(is_key)

    def key_parameters(self, key: Key) -> Row:
        return {f"k_{name}": value for name, value in zip(self.key_names, key, strict=True)}


@cache
def table_statements(table: SQLTable) -> TableStatements:
    """Built once per table, for every store of its view (time travel builds one per read)."""
    return TableStatements(table)


class PendingRows(Rows):
    """The rows of some tables as changed by the events applied so far, not yet written."""

    def __init__(
        self, connection: Connection, statements: Mapping[Table[Any], TableStatements]
    ) -> None:
        self.connection = connection
        self._statements = statements
        self._entries: dict[Table[Any], dict[Key, _Entry]] = {table: {} for table in statements}

    # Reading
    def get(self, table: Table[R], key: Key) -> R | None:
        """The row with this primary key as the batch has left it; None when there is none."""
        return cast(R | None, self._entry(table, key).current)

    # Writing
    def insert(self, table: Table[R], row: R) -> None:
        """A new row, every column given. IntegrityError if the key is taken."""
        values = dict(row)
        key = tuple(values[name] for name in self._statements[table].key_names)
        entries = self._entries[table]
        entry = entries.get(key)
        if entry is None:
            entries[key] = _Entry(stored=None, current=values)
        elif entry.current is None:
            entry.current = values
        else:
            raise IntegrityError(f"{table.name} already holds a row with key {key}")

    def update(self, table: Table[R], key: Key, values: Mapping[str, object]) -> bool:
        """Set these columns of the row; False (and nothing changed) when there is no such row."""
        if not self._statements[table].names.issuperset(values):
            unknown = set(values) - self._statements[table].names
            raise KeyError(f"{table.name} has no column {', '.join(sorted(unknown))}")
        entry = self._entry(table, key)
        if entry.current is None:
            return False
        # A new dict, not changed in place: a row `get` returned earlier stays as it was read.
        entry.current = {**entry.current, **values}
        return True

    def delete(self, table: Table[R], key: Key) -> bool:
        entry = self._entry(table, key)
        if entry.current is None:
            return False
        entry.current = None
        return True

    def flush(self) -> None:
        """Write every change since the rows were read; afterwards the rows are read again."""
        for table, statements in self._statements.items():
            entries = self._entries[table]
            deleted, inserted, updated = [], [], []
            for key, entry in entries.items():
                if entry.current is None:
                    if entry.stored is not None:
                        deleted.append(statements.key_parameters(key))
                elif entry.stored is None:
                    inserted.append(entry.current)
                elif entry.current is not entry.stored and entry.current != entry.stored:
                    updated.append(
                        {
                            **statements.key_parameters(key),
                            **{f"v_{name}": entry.current[name] for name in statements.value_names},
                        }
                    )
            if deleted:
                self.connection.execute(statements.delete, deleted)
            if updated:
                self.connection.execute(statements.update, updated)
            if inserted:
                self.connection.execute(statements.insert, inserted)
            entries.clear()

    def _entry(self, table: Table[Any], key: Key) -> _Entry:
        entries = self._entries[table]
        entry = entries.get(key)
        if entry is None:
            statements = self._statements[table]
            found = self.connection.execute(
                statements.select, statements.key_parameters(key)
            ).first()
            stored = None if found is None else dict(found._mapping)
            entry = entries[key] = _Entry(stored=stored, current=stored)
        return entry
