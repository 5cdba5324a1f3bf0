"""Sealing the snapshots a store held before seals existed, once each is proven by replay.

A snapshot without a seal is never used. One written before seals is sealed
only if it equals what its aggregate's events give at its version (the
aggregate replayed without any snapshot); one that does not — a forgery
planted before the upgrade — stays unsealed, is logged at each start and
named by `audit verify` until someone removes it.
"""

import functools
import logging
from typing import Any, Protocol, runtime_checkable
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import StoredEvent

logger = logging.getLogger(__name__)
PAGE = 200


@runtime_checkable
class SealsExisting(Protocol):
    def unsealed(self, limit: int, after: tuple[UUID, int] | None = None) -> list[StoredEvent]: ...

    def seal_existing(self, stored: StoredEvent) -> None: ...


def seal_proven_snapshots(app: Application[UUID]) -> tuple[int, int]:
    """Seal each unsealed snapshot its events prove; (sealed, refused)."""
    recorder = app.snapshots.recorder if app.snapshots is not None else None
    if not isinstance(recorder, SealsExisting):
        return 0, 0
    sealed = refused = 0
    after: tuple[UUID, int] | None = None
    while page := recorder.unsealed(PAGE, after):
        for stored in page:
            if _proven(app, stored):
                recorder.seal_existing(stored)
                sealed += 1
            else:
                refused += 1
                logger.error(
                    "the snapshot of %s at version %s is not what its events give: left"
                    " unsealed, never used",
                    stored.originator_id,
                    stored.originator_version,
                )
        last = page[-1]
        after = (UUID(str(last.originator_id)), last.originator_version)
    if sealed:
        logger.info("sealed %s snapshots stored before seals, each proven by replay", sealed)
    return sealed, refused


def _proven(app: Application[UUID], stored: StoredEvent) -> bool:
    try:
        snapshot: Any = app.mapper.to_domain_event(stored)
        events: Any = app.events.get(UUID(str(stored.originator_id)), lte=stored.originator_version)
        aggregate: Any = functools.reduce(lambda a, event: event.mutate(a), events, None)
        if aggregate is None or aggregate.version != stored.originator_version:
            return False
        taken = type(aggregate).Snapshot.take(aggregate)
    except Exception:  # a state that does not decode, or events that do not fold: not proven
        logger.exception("the snapshot of %s could not be checked", stored.originator_id)
        return False
    return bool(taken.topic == snapshot.topic and taken.state == snapshot.state)
