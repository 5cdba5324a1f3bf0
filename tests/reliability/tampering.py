"""Random alterations of a stored log, as an intruder with SQL access would make them.

Each alteration is drawn from a seeded `random.Random`, applied by direct SQL
on the events and chain tables through one connection, and returns what
`verify` must then say: the first altered position and a reason, or, for an
alteration at the tail with recomputed hashes, nothing but a new head hash.
"""

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore
from sqlalchemy import Connection, Table, delete, insert, select, update
from sqlalchemy.orm import scoped_session, sessionmaker

from application.audit.chain_verification import ChainVerification
from application.audit.event_record import GENESIS_HASH, chain_hash, content_hash, split_state
from infrastructure.audit_log_store import AuditLogStore
from infrastructure.integrity_chain import CHAIN, PlainState

FIELDS = ("originator_id", "originator_version", "topic", "state")
"""An event's content; its id is its position."""


@dataclass(frozen=True)
class Expected:
    """What `verify` must say once an alteration is made."""

    position: int | None
    """The first broken position it must name; None when only the head hash can show it."""
    reason: str | None = None
    words: tuple[str, ...] = ()
    """One of these must be in its detail."""

    @classmethod
    def only_by_head(cls) -> "Expected":
        return cls(None)


@dataclass(frozen=True)
class Alteration:
    family: str
    kind: str
    description: str
    expected: Expected


class Intruder:
    """Direct SQL on the events and chain tables, through one connection in a transaction."""

    def __init__(self, connection: Connection, events: Table) -> None:
        self.connection = connection
        self.events = events
        self.key = events.c.id

    def event(self, position: int) -> dict[str, Any]:
        row = self.connection.execute(select(self.events).where(self.key == position)).one()
        return dict(row._mapping)

    def chain(self, position: int) -> str:
        """The chain hash a row at `position` + 1 follows (the genesis hash before the first)."""
        if position == 0:
            return GENESIS_HASH
        found = self.connection.execute(
            select(CHAIN.c.chain_hash).where(CHAIN.c.position == position)
        ).scalar_one()
        return str(found)

    def content(self, position: int) -> str:
        found = self.connection.execute(
            select(CHAIN.c.content_hash).where(CHAIN.c.position == position)
        ).scalar_one()
        return str(found)

    def set_event(self, position: int, **values: Any) -> None:
        self.connection.execute(update(self.events).where(self.key == position).values(**values))

    def set_link(self, position: int, **hashes: str) -> None:
        self.connection.execute(update(CHAIN).where(CHAIN.c.position == position).values(**hashes))

    def delete_event(self, position: int) -> None:
        self.connection.execute(delete(self.events).where(self.key == position))

    def delete_link(self, position: int) -> None:
        self.connection.execute(delete(CHAIN).where(CHAIN.c.position == position))

    def insert_event(self, position: int, values: dict[str, Any]) -> None:
        self.connection.execute(insert(self.events).values(id=position, **values))

    def insert_link(self, position: int, content: str, chained: str) -> None:
        self.connection.execute(
            insert(CHAIN).values(position=position, content_hash=content, chain_hash=chained)
        )

    def make_room_at(self, position: int) -> None:
        """Move every event and chain row from `position` on one place on, as a forger must."""
        for table, key in ((self.events, self.key), (CHAIN, CHAIN.c.position)):
            # Through negative keys: a unique key may not collide halfway through an UPDATE.
            self.connection.execute(
                update(table).where(key >= position).values({key.name: -(key + 1)})
            )
            self.connection.execute(update(table).where(key < 0).values({key.name: -key}))

    def swap_ids(self, first: int, second: int, table: Table | None = None) -> None:
        """Swap two rows' keys (events by default): each now sits at the other's place."""
        table = self.events if table is None else table
        key = self.key if table is self.events else CHAIN.c.position
        for old, new in ((first, -first), (second, first), (-first, second)):
            self.connection.execute(update(table).where(key == old).values({key.name: new}))

    def swap_contents(self, first: int, second: int) -> None:
        """Swap two events' originator, version, topic and state, leaving the ids."""
        a, b = self.event(first), self.event(second)
        # Out of the way first: (originator_id, originator_version) is unique.
        self.set_event(first, originator_version=-1)
        self.set_event(second, **{f: a[f] for f in FIELDS})
        self.set_event(first, **{f: b[f] for f in FIELDS})


def verify_in(connection: Connection, events: Table, plain_state: PlainState) -> ChainVerification:
    """`AuditLogStore.verify` reading through `connection`, so it sees the uncommitted
    alteration (the library's datastore shares a scoped session, as a web app's would)."""
    session = scoped_session(sessionmaker(bind=connection))
    try:
        datastore = SQLAlchemyDatastore(session=session)
        return AuditLogStore(datastore, events, plain_state=plain_state).verify()
    finally:
        session.remove()


def problem(result: ChainVerification, head_before: str, expected: Expected) -> str | None:
    """What is wrong with `result` given `expected`, or None when it says what it must."""
    if expected.position is None:
        # The chain holds with a new head hash; the Merkle tree, which the intruder did not
        # touch, no longer matches the log's tail.
        if result.first_broken is not None:
            return f"expected the chain to hold with a new head hash, got {result.first_broken}"
        if result.head_hash == head_before:
            return "undetected: the head hash is unchanged"
        return None
    broken = result.first_broken
    if result.ok or broken is None:
        return "undetected: verify is ok"
    if (broken.position, broken.reason) != (expected.position, expected.reason):
        return f"expected {expected.reason} at {expected.position}, got {broken}"
    if expected.words and not any(word in broken.detail for word in expected.words):
        return f"expected one of {expected.words} in the detail, got {broken.detail!r}"
    return None


# The alterations. Each takes the random source, the intruder and the log's last position
# (the log holds 1..last), makes its change and says what verify must answer.

Alter = Callable[[random.Random, Intruder, int], tuple[str, Expected]]

CHANGED = ("changed after it was recorded",)


def _position(rng: random.Random, last: int) -> int:
    """A position, the first and the last ones drawn more often than the others."""
    # The tail is where recomputed hashes hide from all but the head hash: drawn often.
    draw = rng.random()
    if draw < 0.2:
        return last
    if draw < 0.25:
        return 1
    return rng.randint(1, last)


def _mutated_state(rng: random.Random, state: bytes) -> tuple[bytes, str]:
    """`state` with one JSON value changed, one key removed or one added, still valid JSON."""
    original = split_state(orjson.loads(state))
    while True:
        changed, what = _change_one(rng, orjson.loads(state))
        # Removing `effective_on` when it is null, say, changes nothing the event says.
        if split_state(changed) != original:
            return orjson.dumps(changed), what


def _change_one(rng: random.Random, decoded: dict[str, Any]) -> tuple[dict[str, Any], str]:
    leaves: list[tuple[Any, Any]] = []

    def walk(node: Any) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            if isinstance(value, dict | list) and value:
                walk(value)
            else:
                leaves.append((node, key))

    walk(decoded)
    choice = rng.random()
    if choice < 0.1 or not leaves:
        decoded[f"forged_{rng.randint(0, 999)}"] = "x"
        what = "a key added"
    elif choice < 0.2 and len(decoded) > 1:
        key = rng.choice(sorted(decoded))
        del decoded[key]
        what = f"key {key!r} removed"
    else:
        node, key = rng.choice(leaves)
        value = node[key]
        if isinstance(value, bool):
            node[key] = not value
        elif isinstance(value, int | float):
            node[key] = value + rng.randint(1, 1000)
        elif isinstance(value, str):
            position = rng.randint(0, len(value))
            node[key] = value[:position] + rng.choice("0123456789Xé ") + value[position:]
        else:  # None, an empty list or object
            node[key] = 0
        what = f"value at {key!r} changed from {value!r} to {node[key]!r}"
    return decoded, what


def _same_meaning(a: bytes, b: bytes) -> bool:
    try:
        return bool(orjson.loads(a) == orjson.loads(b))
    except orjson.JSONDecodeError:
        return False


def update_state_json(rng: random.Random, intruder: Intruder, last: int) -> tuple[str, Expected]:
    position = _position(rng, last)
    state, what = _mutated_state(rng, intruder.event(position)["state"])
    intruder.set_event(position, state=state)
    return f"state JSON of {position}: {what}", Expected(position, "altered", CHANGED)


def update_state_bytes(rng: random.Random, intruder: Intruder, last: int) -> tuple[str, Expected]:
    position = _position(rng, last)
    state = intruder.event(position)["state"]
    while True:
        offset = rng.randrange(len(state))
        byte = rng.choice([b for b in range(256) if b != state[offset]])
        altered = state[:offset] + bytes([byte]) + state[offset + 1 :]
        # A byte that leaves the JSON's meaning intact (`e` for `E` in an exponent) alters
        # nothing the event says: draw another.
        if not _same_meaning(state, altered):
            break
    intruder.set_event(position, state=altered)
    return (
        f"state byte {offset} of {position}: {state[offset]:#x} -> {byte:#x}",
        Expected(position, "altered", (*CHANGED, "no longer valid JSON")),
    )


def update_topic(rng: random.Random, intruder: Intruder, last: int) -> tuple[str, Expected]:
    position = _position(rng, last)
    topic = intruder.event(position)["topic"]
    other = intruder.event(rng.randint(1, last))["topic"]
    new = other if other != topic else topic + "Forged"
    intruder.set_event(position, topic=new)
    return f"topic of {position}: {topic} -> {new}", Expected(position, "altered", CHANGED)


def update_version(rng: random.Random, intruder: Intruder, last: int) -> tuple[str, Expected]:
    position = _position(rng, last)
    version = intruder.event(position)["originator_version"]
    new = version + rng.randint(1000, 9999)  # past any version the aggregate holds
    intruder.set_event(position, originator_version=new)
    return f"version of {position}: {version} -> {new}", Expected(position, "altered", CHANGED)


def update_aggregate_id(rng: random.Random, intruder: Intruder, last: int) -> tuple[str, Expected]:
    position = _position(rng, last)
    intruder.set_event(position, originator_id=uuid.UUID(int=rng.getrandbits(128), version=4))
    return f"aggregate id of {position}", Expected(position, "altered", CHANGED)


def _other_hash(rng: random.Random, current: str) -> str:
    while True:
        forged = f"{rng.getrandbits(256):064x}"
        if forged != current:
            return forged


def update_content_hash(rng: random.Random, intruder: Intruder, last: int) -> tuple[str, Expected]:
    position = _position(rng, last)
    intruder.set_link(position, content_hash=_other_hash(rng, intruder.content(position)))
    return (
        f"content hash of chain row {position}",
        Expected(position, "altered", ("content hash of its chain row",)),
    )


def update_chain_hash(rng: random.Random, intruder: Intruder, last: int) -> tuple[str, Expected]:
    position = _position(rng, last)
    intruder.set_link(position, chain_hash=_other_hash(rng, intruder.chain(position)))
    return f"chain hash of chain row {position}", Expected(position, "altered", ("not follow",))


def rewrite_with_chain_row(
    rng: random.Random, intruder: Intruder, last: int
) -> tuple[str, Expected]:
    """The event's state changed and its chain row recomputed to match: the row links, the
    next one does not."""
    position = _position(rng, last)
    event = intruder.event(position)
    state, what = _mutated_state(rng, event["state"])
    content = content_hash(
        str(event["originator_id"]), event["originator_version"], event["topic"], state
    )
    intruder.set_event(position, state=state)
    intruder.set_link(
        position, content_hash=content, chain_hash=chain_hash(intruder.chain(position - 1), content)
    )
    description = f"event {position} rewritten ({what}) with a recomputed chain row"
    if position == last:
        return description, Expected.only_by_head()
    if position == last - 1:
        # Nothing follows the last row to tell its chain hash genuine: the break reads as
        # that row edited, as the verifier documents; the head hash kept elsewhere tells.
        return description, Expected(last, "altered", ("not follow",))
    return description, Expected(position, "altered", ("rewritten",))


def delete_event(rng: random.Random, intruder: Intruder, last: int) -> tuple[str, Expected]:
    position = _position(rng, last)
    intruder.delete_event(position)
    return f"event {position} deleted", Expected(position, "removed", ("no event there",))


def delete_event_and_link(
    rng: random.Random, intruder: Intruder, last: int
) -> tuple[str, Expected]:
    position = _position(rng, last)
    count = 1 if rng.random() < 0.6 else rng.randint(2, 5)
    end = min(position + count - 1, last)
    for gone in range(position, end + 1):
        intruder.delete_event(gone)
        intruder.delete_link(gone)
    description = f"events {position}..{end} deleted with their chain rows"
    if end == last:
        return description, Expected.only_by_head()
    return description, Expected(position, "removed", ("deleted with its chain row",))


def delete_link(rng: random.Random, intruder: Intruder, last: int) -> tuple[str, Expected]:
    """The chain row alone deleted: the event reads as one the chain never recorded."""
    position = _position(rng, last)
    intruder.delete_link(position)
    return f"chain row {position} deleted", Expected(position, "inserted", ("never recorded",))


def _forged_event(rng: random.Random, intruder: Intruder, last: int) -> dict[str, Any]:
    """A plausible event: another one's topic and state, changed, under a new aggregate."""
    model = intruder.event(rng.randint(1, last))
    state, _ = _mutated_state(rng, model["state"])
    return {
        "originator_id": uuid.UUID(int=rng.getrandbits(128), version=4),
        "originator_version": rng.randint(1, 3),
        "topic": model["topic"],
        "state": state,
    }


def _insert_forged(
    rng: random.Random, intruder: Intruder, last: int, with_link: bool
) -> tuple[str, Expected]:
    """A forged event at a position made free in the middle (or appended), with or without
    a chain row that follows the one before it."""
    position = last + 1 if rng.random() < 0.2 else _position(rng, last)
    forged = _forged_event(rng, intruder, last)
    previous = intruder.chain(position - 1)
    if position <= last:
        intruder.make_room_at(position)
    intruder.insert_event(position, forged)
    description = f"forged event inserted at {position}"
    if not with_link:
        return description, Expected(position, "inserted", ("never recorded",))
    content = content_hash(
        str(forged["originator_id"]),
        forged["originator_version"],
        forged["topic"],
        forged["state"],
    )
    intruder.insert_link(position, content, chain_hash(previous, content))
    description += " with a chain row that follows the one before"
    if position == last + 1:
        return description, Expected.only_by_head()
    return description, Expected(position, "inserted", ("follows the event before",))


def insert_forged(rng: random.Random, intruder: Intruder, last: int) -> tuple[str, Expected]:
    return _insert_forged(rng, intruder, last, with_link=False)


def insert_forged_with_link(
    rng: random.Random, intruder: Intruder, last: int
) -> tuple[str, Expected]:
    return _insert_forged(rng, intruder, last, with_link=True)


def _two_positions(rng: random.Random, last: int) -> tuple[int, int]:
    first = _position(rng, last)
    second = _position(rng, last)
    while second == first:
        second = rng.randint(1, last)
    return min(first, second), max(first, second)


def swap_ids(rng: random.Random, intruder: Intruder, last: int) -> tuple[str, Expected]:
    first, second = _two_positions(rng, last)
    intruder.swap_ids(first, second)
    return (
        f"events {first} and {second} swapped (ids)",
        Expected(first, "reordered", (f"position {second}",)),
    )


def swap_contents(rng: random.Random, intruder: Intruder, last: int) -> tuple[str, Expected]:
    first, second = _two_positions(rng, last)
    intruder.swap_contents(first, second)
    return (
        f"events {first} and {second} swapped (contents)",
        Expected(first, "reordered", (f"position {second}",)),
    )


def swap_with_links(rng: random.Random, intruder: Intruder, last: int) -> tuple[str, Expected]:
    """Two events swapped with their chain rows: each row matches its event, but no
    longer follows the one before it."""
    first, second = _two_positions(rng, last)
    intruder.swap_ids(first, second)
    intruder.swap_ids(first, second, CHAIN)
    return (
        f"events {first} and {second} swapped with their chain rows",
        Expected(first, "altered", ("not follow",)),
    )


def rotate(rng: random.Random, intruder: Intruder, last: int) -> tuple[str, Expected]:
    """One event moved later, the ones between moved one place earlier."""
    first, second = _two_positions(rng, last)
    for position in range(first, second):
        intruder.swap_contents(position, position + 1)
    return (
        f"event {first} moved to {second}, {first + 1}..{second} one place earlier",
        Expected(first, "reordered", (f"position {first + 1}",)),
    )


FAMILIES: dict[str, dict[str, Alter]] = {
    "UPDATE": {
        "state JSON": update_state_json,
        "state bytes": update_state_bytes,
        "topic": update_topic,
        "version": update_version,
        "aggregate id": update_aggregate_id,
        "chain content hash": update_content_hash,
        "chain hash": update_chain_hash,
        "event + recomputed chain row": rewrite_with_chain_row,
    },
    "DELETE": {
        "event": delete_event,
        "event(s) + chain row(s)": delete_event_and_link,
        "chain row": delete_link,
    },
    "INSERT": {
        "forged event": insert_forged,
        "forged event + chain row": insert_forged_with_link,
    },
    "REORDER": {
        "swap ids": swap_ids,
        "swap contents": swap_contents,
        "swap with chain rows": swap_with_links,
        "move later": rotate,
    },
}


def plan(rng: random.Random, per_family: int) -> list[tuple[str, str]]:
    """`per_family` (family, kind) pairs of each family, its kinds in turn, all shuffled."""
    pairs = [
        (family, sorted(kinds)[number % len(kinds)])
        for family, kinds in FAMILIES.items()
        for number in range(per_family)
    ]
    rng.shuffle(pairs)
    return pairs


def make(rng: random.Random, intruder: Intruder, last: int, family: str, kind: str) -> Alteration:
    """An alteration of `kind`, at positions drawn from `rng`, made through `intruder`."""
    description, expected = FAMILIES[family][kind](rng, intruder, last)
    return Alteration(family, kind, description, expected)
