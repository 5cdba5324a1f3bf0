"""The answers of the proof endpoints (RFC 9162 §2.1.3 and §2.1.4), hashes in hex."""

from pydantic import BaseModel, ConfigDict, Field


class InclusionProof(BaseModel):
    model_config = ConfigDict(frozen=True)

    position: int = Field(description="The event's position in the log.")
    leaf_index: int = Field(description="Its leaf: its rank in the log, from 0.")
    tree_size: int
    tree_content_hash: str = Field(description="What the leaf commits to (see the export).")
    leaf_hash: str = Field(description="SHA-256(0x00 ‖ the 32 bytes of tree_content_hash).")
    audit_path: list[str] = Field(description="PATH(leaf_index, D[tree_size]), leaf first.")
    root_hash: str = Field(
        description="The root the path leads to; trust it only as a signed checkpoint's."
    )


class ConsistencyProof(BaseModel):
    model_config = ConfigDict(frozen=True)

    first: int
    second: int
    consistency_path: list[str] = Field(description="PROOF(first, D[second]).")
    first_root: str = Field(description="The root at `first`; trust it as a checkpoint's.")
    second_root: str = Field(description="The root at `second`; trust it as a checkpoint's.")
