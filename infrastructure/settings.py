"""The one Settings class, read from FILIERES_* environment variables."""

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./filieres.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FILIERES_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    separate_projection_runner: bool = False
    """True when `filieres projections run` keeps the views; API workers then only wait for it."""
    read_wait_seconds: float = 5.0
    """How long a read waits for the views to reach the log's end before answering 503."""


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs (SQLAlchemy defaults to psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
