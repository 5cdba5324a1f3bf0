"""The Merkle tree's cost per event, writing and proving, beside the chain's, in one run.

Writing: the same BENCH_EVENTS stored events (20,000 by default, 1,000,000
with BENCH_FULL=1; the demo's 135 events over and over, under new aggregate
ids, so every one carries names to salt) are inserted in transactions of
BENCH_TREE_BATCH events (10, a busy API's commits) through three recorders,
each into a fresh SQLite file:

- the bare library's `SQLAlchemyApplicationRecorder` (the baseline);
- the chain alone (the recorder as it was before the tree: `ChainOnlyRecorder`);
- `ChainedApplicationRecorder`, the chain and the tree (what Filières runs).

The chain's cost per event is the second's CPU time less the first's, the
tree's the third's less the second's, each ÷ the bare insert.

Proving, on the full store: BENCH_PROOFS inclusion proofs (random positions,
tree size = the log) and as many consistency proofs (random first size)
through `MerkleTreeStore`, and the root at the log's end, each timed against
the baseline of reading one event by its position through the library.
"""

import hashlib
import os
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import insert
from sqlalchemy.orm import Session

from api.bootstrap import build
from application.audit.event_record import (
    GENESIS_HASH,
    canonical_json,
    chain_hash,
    content_fields,
    decode_state,
)
from application.roannais_history import record_roannais_history
from bench.results_file import append_row
from bench.targets import FULL, machine, now
from infrastructure.integrity_chain import _LAST_HASH, CHAIN, ChainedApplicationRecorder
from infrastructure.merkle_store import MerkleTreeStore

EVENTS = int(os.environ.get("BENCH_EVENTS", "1000000" if FULL else "20000"))
BATCH = int(os.environ.get("BENCH_TREE_BATCH", "10"))
PROOFS = int(os.environ.get("BENCH_PROOFS", "500"))
SEED = int(os.environ.get("BENCH_SEED", "0"))

SECTION = "## Merkle tree, writing and proving (`python -m bench.merkle_tree`)"
SECTION_TEXT = (
    f"{SECTION}\n\n"
    "CPU µs per event inserted (transactions of 10 events, SQLite): the bare library, then"
    " what the chain adds, then what the tree adds (leaf with salted names, subtree roots,"
    " the reads of the tree's end); each addition ÷ the bare insert. Proofs on the whole"
    " log, ms each (CPU), ÷ reading one event by its position.\n\n"
    "| when (UTC) | machine | events | bare µs/event | chain +µs (÷ bare) | tree +µs (÷ bare)"
    " | tree ÷ chain | inclusion ms (÷ read) | consistency ms (÷ read) | root ms"
    " | read one event ms |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|\n"
)


class ChainOnlyRecorder(ChainedApplicationRecorder):
    """The recorder before the tree: each event's chain row, nothing else."""

    def _insert_stored_events(
        self, session: Session, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int]:
        positions = SQLAlchemyApplicationRecorder._insert_stored_events(
            self, session, stored_events, **kwargs
        )
        connection = session.connection()
        previous = connection.execute(_LAST_HASH).scalar() or GENESIS_HASH
        rows = []
        for position, stored in zip(positions, stored_events, strict=True):
            fields = content_fields(
                stored.originator_id,
                stored.originator_version,
                stored.topic,
                decode_state(stored.state),
            )
            content = hashlib.sha256(canonical_json(fields)).hexdigest()
            previous = chain_hash(previous, content)
            rows.append({"position": position, "content_hash": content, "chain_hash": previous})
        connection.execute(insert(CHAIN), rows)
        return positions


def demo_events(directory: Path) -> list[StoredEvent]:
    """The Roannais history's stored events, recorded once through the application."""
    url = f"sqlite:///{directory / 'demo.db'}"
    services = build(database_url=url, follow_in_process=False)
    try:
        record_roannais_history(services.app)
        return [
            StoredEvent(n.originator_id, n.originator_version, n.topic, n.state)
            for n in services.app.recorder.select_notifications(start=1, limit=10_000)
        ]
    finally:
        services.close()


def synthetic(templates: list[StoredEvent], count: int) -> Iterator[list[StoredEvent]]:
    """`count` events in batches: the templates again and again, each round new aggregates."""
    batch: list[StoredEvent] = []
    ids: dict[Any, uuid.UUID] = {}
    for number in range(count):
        template = templates[number % len(templates)]
        if number % len(templates) == 0:
            ids = {}
        new_id = ids.setdefault(template.originator_id, uuid.uuid4())
        batch.append(
            StoredEvent(new_id, template.originator_version, template.topic, template.state)
        )
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def insert_all(
    recorder_class: type[SQLAlchemyApplicationRecorder],
    url: str,
    templates: list[StoredEvent],
) -> tuple[float, SQLAlchemyDatastore]:
    """CPU seconds to insert every event through `recorder_class`, tables made beforehand."""
    datastore = SQLAlchemyDatastore(url=url)
    recorder = recorder_class(datastore, events_table_name="filieresapplication_events")
    recorder.create_table()
    started = time.process_time()
    for batch in synthetic(templates, EVENTS):
        recorder.insert_events(batch)
    return time.process_time() - started, datastore


def per_call(calls: int, call: Callable[[int], object]) -> float:
    """CPU ms per call of `call(i)`."""
    started = time.process_time()
    for i in range(calls):
        call(i)
    return (time.process_time() - started) * 1000 / calls


def main() -> None:
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        templates = demo_events(directory)
        timings = {}
        for name, recorder_class in (
            ("bare", SQLAlchemyApplicationRecorder),
            ("chain", ChainOnlyRecorder),
            ("tree", ChainedApplicationRecorder),
        ):
            seconds, datastore = insert_all(
                recorder_class, f"sqlite:///{directory / name}.db", templates
            )
            timings[name] = seconds * 1e6 / EVENTS
            print(f"{name}: {timings[name]:.1f} CPU µs per event ({EVENTS} events)")
            if name != "tree":
                datastore.engine.dispose()  # type: ignore[union-attr]

        tree = MerkleTreeStore(datastore)
        events = SQLAlchemyApplicationRecorder(
            datastore, events_table_name="filieresapplication_events"
        )
        positions = [rng.randint(1, EVENTS) for _ in range(PROOFS)]
        firsts = [rng.randint(1, EVENTS) for _ in range(PROOFS)]
        read_ms = per_call(PROOFS, lambda i: events.select_notifications(positions[i], 1))
        inclusion_ms = per_call(PROOFS, lambda i: tree.inclusion(positions[i], EVENTS))
        consistency_ms = per_call(PROOFS, lambda i: tree.consistency(firsts[i], EVENTS))
        root_ms = per_call(PROOFS, lambda i: tree.head())
        path = len(tree.inclusion(positions[0], EVENTS).audit_path)
        datastore.engine.dispose()  # type: ignore[union-attr]

    bare, chain, with_tree = timings["bare"], timings["chain"], timings["tree"]
    chain_cost, tree_cost = chain - bare, with_tree - chain
    print(
        f"chain adds {chain_cost:.1f} µs/event ({chain_cost / bare:.2f} × bare), the tree"
        f" {tree_cost:.1f} ({tree_cost / bare:.2f} × bare, {tree_cost / chain_cost:.2f} × the"
        f" chain's); inclusion {inclusion_ms:.2f} ms ({path} hashes), consistency"
        f" {consistency_ms:.2f} ms, root {root_ms:.2f} ms, one event read {read_ms:.2f} ms"
    )
    append_row(
        SECTION,
        SECTION_TEXT,
        f"| {now()} | {machine()} | {EVENTS} | {bare:.0f} | {chain_cost:.0f}"
        f" ({chain_cost / bare:.2f}) | {tree_cost:.0f} ({tree_cost / bare:.2f})"
        f" | {tree_cost / chain_cost:.2f} | {inclusion_ms:.2f} ({inclusion_ms / read_ms:.1f})"
        f" | {consistency_ms:.2f} ({consistency_ms / read_ms:.1f}) | {root_ms:.2f}"
        f" | {read_ms:.2f} |",
    )


if __name__ == "__main__":
    sys.exit(main())
