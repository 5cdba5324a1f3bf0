"""What `verify` finds beside the chain: the Merkle tree, the snapshots (of aggregates and of
time travel), a checkpoint."""

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

TreeReason = Literal["missing", "altered", "misplaced", "removed", "node"]
MAX_BAD_SNAPSHOTS = 100
"""Bad snapshots listed by name; past that, only counted."""


class TreeBreak(BaseModel):
    model_config = ConfigDict(frozen=True)

    position: int = Field(description="The log position where the tree stops matching the log.")
    reason: TreeReason
    detail: str


class TreeVerification(BaseModel):
    model_config = ConfigDict(frozen=True)

    ok: bool
    size: int = Field(description="Leaves re-derived from the events before any break.")
    root: str = Field(description="The RFC 9162 root of those leaves, hex, from the events.")
    first_broken: TreeBreak | None


class BadSnapshot(BaseModel):
    model_config = ConfigDict(frozen=True)

    aggregate_id: UUID
    version: int
    topic: str
    reason: str = Field(description="Why it is not used: no seal, or a seal that fails.")


class SnapshotVerification(BaseModel):
    model_config = ConfigDict(frozen=True)

    ok: bool
    checked: int
    bad_count: int
    bad: list[BadSnapshot] = Field(description=f"The first {MAX_BAD_SNAPSHOTS} bad ones.")


class BadViewSnapshot(BaseModel):
    """A time-travel snapshot (a view's fold of one scope up to a day) whose seal fails."""

    model_config = ConfigDict(frozen=True)

    view: str
    view_version: int
    scope_id: UUID
    day: date
    position: int
    reason: str = "its seal fails: forged or altered in the database, never used"


class ViewSnapshotVerification(BaseModel):
    model_config = ConfigDict(frozen=True)

    ok: bool
    checked: int
    bad_count: int
    bad: list[BadViewSnapshot] = Field(description=f"The first {MAX_BAD_SNAPSHOTS} bad ones.")


class CheckpointVerification(BaseModel):
    """Whether the log still holds the tree a signed checkpoint names."""

    model_config = ConfigDict(frozen=True)

    ok: bool
    origin: str
    size: int
    root: str = Field(description="The checkpoint's root, hex.")
    detail: str
