"""The composition root: settings → application and token store, shared by CLI and API."""

from dataclasses import dataclass

from sqlalchemy import Engine

from application.filieres_app import FilieresApplication
from infrastructure.auth_store import TokenStore
from infrastructure.persistence import event_store_env
from infrastructure.settings import Settings


@dataclass
class Services:
    settings: Settings
    app: FilieresApplication
    tokens: TokenStore

    def close(self) -> None:
        self.app.close()


def build(settings: Settings | None = None, database_url: str | None = None) -> Services:
    settings = settings or Settings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    app = FilieresApplication(event_store_env(settings.database_url))
    engine: Engine = app.factory.datastore.engine  # type: ignore[attr-defined]
    return Services(settings=settings, app=app, tokens=TokenStore(engine))
