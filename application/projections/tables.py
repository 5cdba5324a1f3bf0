"""A view's tables, declared without a database: each a TypedDict of its row, read into columns.

A row type says each column's name and Python type; `Annotated` marks add
what the type cannot say: the primary key, a text's length, a log position,
a unique or indexed column. The infrastructure turns each table into SQL once:

    class FundingLine(TypedDict):
        funding_id: Annotated[UUID, KEY]
        grant_position: Annotated[int, POSITION, UNIQUE]
        project_id: Annotated[UUID, INDEXED]
        kind: Annotated[str, Text(32)]
        amount: Decimal | None  # money, stored as whole cents

    FUNDINGS = Table("funding_ledger", FundingLine)

Types: UUID, str (with its `Text(length)`), int (`POSITION` for a log
position), date, datetime (an instant, stored in UTC), Decimal (an amount),
bool, list[str] (stored as JSON); `| None` makes a column nullable.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from types import NoneType, UnionType
from typing import Annotated, Generic, TypeVar, Union, get_args, get_origin, get_type_hints
from uuid import UUID

R = TypeVar("R", bound=Mapping[str, object])
R_co = TypeVar("R_co", bound=Mapping[str, object], covariant=True)
Key = tuple[object, ...]
"""A row's primary key values, in the order the row type declares the key columns."""


class Mark(Enum):
    KEY = "primary key"
    UNIQUE = "unique"
    INDEXED = "indexed"
    POSITION = "log position"


KEY, UNIQUE, INDEXED, POSITION = Mark.KEY, Mark.UNIQUE, Mark.INDEXED, Mark.POSITION


@dataclass(frozen=True)
class Text:
    length: int


class Kind(Enum):
    """What a column holds; each database stores each kind in one way."""

    UUID = "uuid"
    TEXT = "text"
    INT = "int"
    POSITION = "position"
    DATE = "date"
    INSTANT = "instant"
    MONEY = "money"
    BOOL = "bool"
    JSON = "json"


# Subclasses before their bases: a bool is an int, a datetime a date.
_KINDS: tuple[tuple[type, Kind], ...] = (
    (UUID, Kind.UUID),
    (str, Kind.TEXT),
    (bool, Kind.BOOL),
    (int, Kind.INT),
    (datetime, Kind.INSTANT),
    (date, Kind.DATE),
    (Decimal, Kind.MONEY),
    (list, Kind.JSON),
)


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    nullable: bool
    length: int | None = None
    key: bool = False
    unique: bool = False
    indexed: bool = False


@dataclass(frozen=True)
class Index:
    """An index over several columns, under its own name."""

    name: str
    columns: tuple[str, ...]


@dataclass(eq=False, frozen=True)
class Table(Generic[R_co]):
    """One table of a view; compared and hashed by identity, as a key of the rows it holds."""

    name: str
    row: type[R_co]
    indexes: tuple[Index, ...] = ()
    columns: tuple[Column, ...] = field(init=False)
    key: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        columns = tuple(
            _column(name, hint)
            for name, hint in get_type_hints(self.row, include_extras=True).items()
        )
        object.__setattr__(self, "columns", columns)
        object.__setattr__(self, "key", tuple(c.name for c in columns if c.key))
        if not self.key:
            raise TypeError(f"table {self.name} declares no KEY column")

    @property
    def column_names(self) -> frozenset[str]:
        return frozenset(column.name for column in self.columns)


def _column(name: str, hint: object) -> Column:
    marks: list[object] = []
    nullable = False
    while True:
        if get_origin(hint) is Annotated:
            hint, *more = get_args(hint)
            marks.extend(more)
        elif get_origin(hint) in (Union, UnionType) and NoneType in get_args(hint):
            (hint,) = (arg for arg in get_args(hint) if arg is not NoneType)
            nullable = True
        else:
            break
    python_type = get_origin(hint) or hint
    kind = next(
        (k for t, k in _KINDS if isinstance(python_type, type) and issubclass(python_type, t)), None
    )
    if kind is None:
        raise TypeError(f"column {name}: no column kind for {hint!r}")
    if kind is Kind.INT and POSITION in marks:
        kind = Kind.POSITION
    length = next((m.length for m in marks if isinstance(m, Text)), None)
    if kind is Kind.TEXT and length is None:
        raise TypeError(f"column {name}: a text column needs its Text(length)")
    return Column(
        name=name,
        kind=kind,
        nullable=nullable,
        length=length,
        key=KEY in marks,
        unique=UNIQUE in marks,
        indexed=INDEXED in marks,
    )
