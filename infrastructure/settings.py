"""The one Settings class, read from FILIERES_* environment variables."""

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./filieres.db"


class Settings(BaseSettings):
    # A variable set but empty (FILIERES_DATABASE_URL=) means the default, as unset does.
    model_config = SettingsConfigDict(env_prefix="FILIERES_", extra="ignore", env_ignore_empty=True)

    database_url: str = DEFAULT_DATABASE_URL
    separate_projection_runner: bool = False
    """True when `filieres projections run` keeps the views; API workers then only wait for it."""
    read_wait_seconds: float = 5.0
    """How long a read waits for the views to reach the log's end before answering 503."""
    pool_size: int = Field(default=10, ge=1, le=1000)
    """PostgreSQL connections an API worker keeps pooled. SQLAlchemy's 5 made every request
    beyond the fifth at once open and close a connection of its own under load."""
    max_overflow: int = Field(default=5, ge=0, le=1000)
    """Connections a worker may open beyond `pool_size` when busy, closed once returned."""
    max_body_bytes: int = Field(default=1024 * 1024, ge=0)
    """The largest request body the API reads; a larger one is refused with 413."""
    signing_key_file: Path | None = None
    """The Ed25519 private key (PEM) that signs checkpoints (`filieres keys init`)."""
    secret_key_file: Path | None = None
    """The secret that seals snapshots; see `infrastructure/secret_key.py` for the default."""
    checkpoint_directory: Path | None = None
    """Where the server writes a signed checkpoint every `checkpoint_every_events` and daily."""
    checkpoint_every_events: int = Field(default=1000, ge=1)
    max_header_bytes: int = Field(default=16 * 1024, ge=1024)
    """The request line and headers `filieres serve` reads at most; more is refused with 431."""
    request_receive_seconds: float = Field(default=10.0, gt=0)
    """How long `filieres serve` waits for a whole request (headers and body) before a 408."""


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs (SQLAlchemy defaults to psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
