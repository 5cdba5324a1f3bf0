"""The one Settings class, read from FILIERES_* environment variables."""

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./filieres.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FILIERES_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs (SQLAlchemy defaults to psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
