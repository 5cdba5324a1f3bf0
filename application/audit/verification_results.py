"""What `verify` finds beside the chain: the Merkle tree, the snapshots (of aggregates and of
time travel), a checkpoint."""

from datetime import date
from typing import Generic, Literal, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

TreeReason = Literal["missing", "altered", "misplaced", "removed", "node"]
MAX_BAD_SNAPSHOTS = 100
"""Bad snapshots listed by name; past that, only counted."""
Bad = TypeVar("Bad", bound=BaseModel)


class Verdict(BaseModel):
    """An answer of `verify`: frozen once found."""

    model_config = ConfigDict(frozen=True)


class TreeBreak(Verdict):
    position: int = Field(description="The log position where the tree stops matching the log.")
    reason: TreeReason
    detail: str


class TreeVerification(Verdict):
    ok: bool
    size: int = Field(description="Leaves re-derived from the events before any break.")
    root: str = Field(description="The RFC 9162 root of those leaves, hex, from the events.")
    first_broken: TreeBreak | None


class BadSnapshot(Verdict):
    aggregate_id: UUID
    version: int
    topic: str
    reason: str = Field(description="Why it is not used: no seal, or a seal that fails.")


class SnapshotsChecked(Verdict, Generic[Bad]):
    """Snapshots checked, and the first bad ones."""

    ok: bool
    checked: int
    bad_count: int
    bad: list[Bad] = Field(description=f"The first {MAX_BAD_SNAPSHOTS} bad ones.")


class SnapshotVerification(SnapshotsChecked[BadSnapshot]):
    pass


class BadViewSnapshot(Verdict):
    """A time-travel snapshot (a view's fold of one scope up to a day) whose seal fails."""

    view: str
    view_version: int
    scope_id: UUID
    day: date
    position: int
    reason: str = "its seal fails: forged or altered in the database, never used"


class ViewSnapshotVerification(SnapshotsChecked[BadViewSnapshot]):
    pass


class CheckpointVerification(Verdict):
    """Whether the log still holds the tree a signed checkpoint names."""

    ok: bool
    origin: str
    size: int
    root: str = Field(description="The checkpoint's root, hex.")
    detail: str
