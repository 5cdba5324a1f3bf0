"""The integrity chain's verification: re-derive every hash in log order, name the first break.

It walks the log merged with the chain (an event without a chain row and a
chain row without an event both show) and stops at the first break, naming
the position where the log stopped being what was recorded:

- `removed`: a chain row whose event is gone, or a gap where an event and its
  chain row were both deleted;
- `inserted`: an event the chain does not hold, or one whose chain row was
  forged so that the next event only follows the event before it;
- `reordered`: an event whose content the chain holds at another position;
- `altered`: content the chain holds nowhere, or a chain row edited.

A chain ending in forged events with recomputed hashes verifies; the answer's
`head_hash`, kept elsewhere and compared later, is what reveals them.
"""

from collections.abc import Callable, Iterable, Iterator
from typing import Literal, NamedTuple

from pydantic import Field

from application.audit.event_record import GENESIS_HASH, chain_hash, content_hash
from application.audit.verification_results import (
    CheckpointVerification,
    SnapshotVerification,
    TreeVerification,
    Verdict,
    ViewSnapshotVerification,
)

Reason = Literal["removed", "inserted", "reordered", "altered"]


class LogRow(NamedTuple):
    """One position of the log merged with the chain; the side that lacks it holds None."""

    position: int
    aggregate_id: str | None
    """The hyphenated lowercase text of the UUID, as the content hash covers it."""
    version: int | None
    topic: str | None
    state: bytes | None
    content_hash: str | None
    chain_hash: str | None
    leaf_index: int | None = None
    """The Merkle tree's leaf of the event (None where the tree has none)."""
    tree_content_hash: str | None = None
    personal_salts: dict[str, str] | None = None
    derived: bool = False
    """True when `derived_content_hash` was computed already (None: the state is no JSON)."""
    derived_content_hash: str | None = None


class BrokenLink(Verdict):
    position: int = Field(description="The first position where the log differs from the chain.")
    reason: Reason
    detail: str


class ChainVerification(Verdict):
    """The chain's verdict, and those of the tree, the snapshots and a checkpoint when checked:
    `ok` only when every one holds."""

    ok: bool
    events_checked: int = Field(description="Events whose hashes were re-derived before any break.")
    first_broken: BrokenLink | None
    head_hash: str = Field(
        description="The chain hash of the last event checked: keep it elsewhere, compare it later."
    )
    tree: TreeVerification | None = Field(
        default=None, description="The Merkle tree re-derived from the events."
    )
    snapshots: SnapshotVerification | None = Field(
        default=None, description="Each aggregate snapshot's seal."
    )
    checkpoint: CheckpointVerification | None = Field(
        default=None, description="The signed checkpoint given, if any."
    )
    view_snapshots: ViewSnapshotVerification | None = Field(
        default=None, description="Each time-travel snapshot's seal."
    )


ContentPosition = Callable[[str], int | None]
"""Where the chain holds a content hash, if anywhere (asked once, at a break)."""


def verify_chain(rows: Iterable[LogRow], content_position: ContentPosition) -> ChainVerification:
    """Re-derive each content and chain hash in position order; stop at the first break."""
    previous = GENESIS_HASH
    before_previous: str | None = None
    previous_position = 0
    checked = 0
    walk = iter(rows)
    for row in walk:
        position, aggregate_id, version, topic, state, stored_content, stored_chain = row[:7]
        if state is None and stored_chain is None and stored_content is None:
            continue  # only a tree leaf is left here: the tree reports it
        broken: BrokenLink | None = None
        if state is None or aggregate_id is None or version is None or topic is None:
            broken = _broken(
                position, "removed", "the chain holds it but the log has no event there"
            )
        elif stored_content is None or stored_chain is None:
            broken = _broken(
                position, "inserted", "the log holds an event the chain never recorded"
            )
        else:
            content = (
                row.derived_content_hash
                if row.derived
                else _content_or_none(aggregate_id, version, topic, state)
            )
            if content != stored_content:
                broken = _content_break(row, content, previous, content_position)
            elif chain_hash(previous, content) != stored_chain:
                broken = _link_break(
                    row, content, previous_position, before_previous, _peek(walk, stored_chain)
                )
        if broken is not None:
            return ChainVerification(
                ok=False, events_checked=checked, first_broken=broken, head_hash=previous
            )
        before_previous, previous = previous, str(stored_chain)
        previous_position = position
        checked += 1
    return ChainVerification(ok=True, events_checked=checked, first_broken=None, head_hash=previous)


def _content_or_none(aggregate_id: str, version: int, topic: str, state: bytes) -> str | None:
    try:
        return content_hash(aggregate_id, version, topic, state)
    except (ValueError, TypeError):  # not JSON any more, or not a JSON object
        return None


def _content_break(
    row: LogRow, content: str | None, previous: str, content_position: ContentPosition
) -> BrokenLink:
    """The event's content is not what its chain row holds: moved here, or changed."""
    position = row.position
    if content is None:
        return _broken(position, "altered", "the stored event is no longer valid JSON")
    elsewhere = content_position(content)
    if elsewhere is not None and elsewhere != position:
        return _broken(
            position,
            "reordered",
            f"the event stored here is the one the chain holds at position {elsewhere}",
        )
    if chain_hash(previous, str(row.content_hash)) == row.chain_hash:
        detail = "the event was changed after it was recorded: its content hash differs"
    elif chain_hash(previous, content) == row.chain_hash:
        detail = "the content hash of its chain row was edited"
    else:
        detail = "neither the event nor its chain row is what was recorded"
    return _broken(position, "altered", detail)


def _link_break(
    row: LogRow,
    content: str,
    previous_position: int,
    before_previous: str | None,
    next_follows: bool,
) -> BrokenLink:
    """The event is what its chain row says, but the row does not follow the one before."""
    position = row.position
    if before_previous is not None and chain_hash(before_previous, content) == row.chain_hash:
        return _broken(
            previous_position,
            "inserted",
            f"the chain at position {position} follows the event before this one, not this one",
        )
    if position > previous_position + 1:
        return _broken(
            previous_position + 1,
            "removed",
            f"an event between positions {previous_position} and {position} was deleted with its"
            f" chain row: the chain at {position} does not follow from {previous_position}",
        )
    if next_follows and previous_position:
        return _broken(
            previous_position,
            "altered",
            f"the event and its chain row were rewritten: position {position} does not follow"
            " from them",
        )
    return _broken(position, "altered", "its chain hash does not follow from the event before it")


def _peek(walk: Iterator[LogRow], chain: str | None) -> bool:
    """Whether the next event links to `chain`: then that chain row is genuine, not edited."""
    following = next(walk, None)
    while following is not None and following.state is None and following.chain_hash is None:
        following = next(walk, None)  # a tree leaf alone
    if following is None:
        return False
    _, aggregate_id, version, topic, state, _, stored_chain = following[:7]
    if state is None or aggregate_id is None or version is None or topic is None:
        return False
    content = (
        following.derived_content_hash
        if following.derived
        else _content_or_none(aggregate_id, version, topic, state)
    )
    return content is not None and chain_hash(str(chain), content) == stored_chain


def _broken(position: int, reason: Reason, detail: str) -> BrokenLink:
    return BrokenLink(position=position, reason=reason, detail=detail)
