"""Small immutable values shared by the aggregates."""

from pydantic import BaseModel, ConfigDict


class ValueObject(BaseModel):
    """Immutable, validated, and refusing unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
