"""Tampering: 100 random alterations of the stored demo log per backend, each detected.

25 alterations of each family (UPDATE, DELETE, INSERT, REORDER), the kinds
of a family in turn (they are in `tests/reliability/tampering.py`), in an
order and at positions drawn from a seeded `random.Random`, the first and
last positions favoured. Each is made by direct SQL in a transaction of its
own, `verify` reads the store through that transaction, and the transaction
is rolled back: one recording of the demo serves all 100 (seconds, against
a copy of the store per alteration), and the store verifies intact at the end.

Detected means: `verify` names the first altered position with the expected
reason, or, for an alteration at the tail with recomputed hashes (the last
event deleted with its chain row, rewritten or appended with a chain row that
follows), the chain holds but its head hash differs from the one kept before
the tampering, and the Merkle tree (untouched here) no longer matches the
log's tail. An intruder who recomputes the tree too is caught by a signed
checkpoint (`tests/audit/test_checkpoint_attacks.py`).
"""

import os
import random
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Table, select

from infrastructure.audit_log_store import AuditLogStore
from tests.audit.demo_store import BACKENDS, DemoStore, demo_store
from tests.reliability.tampering import FAMILIES, Intruder, make, plan, problem, verify_in

SEED = int(os.environ.get("FILIERES_TAMPERING_SEED", "20261201"))
"""Fixed so that a failure replays; set the variable to try other draws."""
ALTERATIONS = 100


@pytest.fixture(scope="module", params=BACKENDS)
def demo(request: pytest.FixtureRequest) -> Iterator[DemoStore]:
    with demo_store(request) as store:
        yield store


def test_every_random_alteration_of_the_stored_log_is_detected(demo: DemoStore) -> None:
    app: Any = demo.services.app
    engine = app.factory.datastore.engine
    events: Table = app.recorder.events_record_cls.__table__
    store = AuditLogStore.of(app)
    intact = store.verify()
    with engine.connect() as connection:
        positions = list(connection.execute(select(events.c.id).order_by(events.c.id)).scalars())
    last = len(positions)
    assert intact.ok and intact.events_checked == last == 137, intact
    assert positions == list(range(1, last + 1))

    rng = random.Random(SEED)
    alterations = plan(rng, ALTERATIONS // len(FAMILIES))
    kinds: Counter[str] = Counter()
    detected: Counter[str] = Counter()
    by_head = 0
    problems = []
    for number, (family, kind) in enumerate(alterations, 1):
        with engine.connect() as connection:
            transaction = connection.begin()
            try:
                alteration = make(rng, Intruder(connection, events), last, family, kind)
                result = verify_in(connection, events, app.recorder.plain_state)
            finally:
                transaction.rollback()
        label = f"{family} {kind}"
        kinds[label] += 1
        if not result.ok or result.head_hash != intact.head_hash:
            detected[label] += 1
            by_head += result.first_broken is None
        wrong = problem(result, intact.head_hash, alteration.expected)
        if wrong is not None:
            problems.append(f"#{number} {label}: {alteration.description}: {wrong}")

    backend = demo.url.partition(":")[0]
    summary = (
        f"{backend}, seed {SEED}: {sum(detected.values())}/{len(alterations)} detected"
        f" ({by_head} at the tail where the chain holds: by the head hash and the tree);"
        " per kind (detected/drawn): "
        + ", ".join(f"{label} {detected[label]}/{kinds[label]}" for label in sorted(kinds))
    )
    print(summary)
    assert sum(detected.values()) == len(alterations) == ALTERATIONS, summary
    assert not problems, summary + "\n" + "\n".join(problems)
    # Every alteration was rolled back: the store is what it was.
    assert store.verify() == intact
