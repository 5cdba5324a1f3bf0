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
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import IntegrityError
from sqlalchemy import Connection, Table, and_, bindparam, delete, insert, select, update
from sqlalchemy.sql.schema import ScalarElementColumnDefault

Key = tuple[Any, ...]
Row = dict[str, Any]


@dataclass
class _Entry:
    stored: Row | None
    """The row as the table holds it (None: no such row)."""
    current: Row | None
    """The row as the batch has left it so far."""


class _TableStatements:
    """The statements one table is read and written with, built once."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.key_names = [c.name for c in table.primary_key.columns]
        self.value_names = [c.name for c in table.columns if c.name not in self.key_names]
        self.defaults: Row = {
            c.name: c.default.arg if isinstance(c.default, ScalarElementColumnDefault) else None
            for c in table.columns
        }
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


_STATEMENTS: dict[Table, _TableStatements] = {}


def _statements(table: Table) -> _TableStatements:
    found = _STATEMENTS.get(table)
    if found is None:
        found = _STATEMENTS[table] = _TableStatements(table)
    return found


class PendingRows:
    """The rows of some tables as changed by the events applied so far, not yet written."""

    def __init__(self, connection: Connection, tables: Sequence[Table]) -> None:
        self.connection = connection
        self._tables = [_statements(table) for table in tables]
        self._entries: dict[Table, dict[Key, _Entry]] = {table: {} for table in tables}

    # Reading
    def get(self, table: Table, key: Key) -> Mapping[str, Any] | None:
        """The row with this primary key as the batch has left it; None when there is none."""
        return self._entry(table, key).current

    def __contains__(self, item: tuple[Table, Key]) -> bool:
        table, key = item
        return self.get(table, key) is not None

    # Writing
    def insert(self, table: Table, values: Mapping[str, Any]) -> None:
        """A new row; columns not given take their default. IntegrityError if the key is taken."""
        statements = _statements(table)
        row = {**statements.defaults, **values}
        key = tuple(row[name] for name in statements.key_names)
        entries = self._entries[table]
        entry = entries.get(key)
        if entry is None:
            entries[key] = _Entry(stored=None, current=row)
        elif entry.current is None:
            entry.current = row
        else:
            raise IntegrityError(f"{table.name} already holds a row with key {key}")

    def update(self, table: Table, key: Key, values: Mapping[str, Any]) -> bool:
        """Set these columns of the row; False (and nothing changed) when there is no such row."""
        entry = self._entry(table, key)
        if entry.current is None:
            return False
        if entry.current is entry.stored:
            entry.current = dict(entry.current)
        entry.current.update(values)
        return True

    def delete(self, table: Table, key: Key) -> bool:
        entry = self._entry(table, key)
        if entry.current is None:
            return False
        entry.current = None
        return True

    def flush(self) -> None:
        """Write every change since the rows were read; afterwards the rows are read again."""
        for statements in self._tables:
            entries = self._entries[statements.table]
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

    def _entry(self, table: Table, key: Key) -> _Entry:
        entries = self._entries[table]
        entry = entries.get(key)
        if entry is None:
            statements = _statements(table)
            found = self.connection.execute(
                statements.select, statements.key_parameters(key)
            ).first()
            stored = None if found is None else dict(found._mapping)
            entry = entries[key] = _Entry(stored=stored, current=stored)
        return entry
