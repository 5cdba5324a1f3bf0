"""The composition root: settings → application, views and token store, shared by CLI and API."""

from dataclasses import dataclass
from typing import cast

from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore
from sqlalchemy import Engine, Table

from application.filieres_app import FilieresApplication
from application.projections.read_models import ReadModels
from application.projections.updater import ViewUpdater
from infrastructure.audit_event_query import AuditEventQuery
from infrastructure.audit_log_store import AuditLogStore
from infrastructure.auth_store import TokenStore
from infrastructure.checkpoints import CheckpointService
from infrastructure.command_transaction import CommandTransaction
from infrastructure.idempotency_store import IdempotencyStore
from infrastructure.merkle_store import MerkleTreeStore
from infrastructure.persistence import event_store_env
from infrastructure.secret_key import secret_key
from infrastructure.settings import Settings
from infrastructure.store_presence import require_store
from infrastructure.time_travel.historical_views import SQLAlchemyHistoricalViews
from infrastructure.views.catalogue import build_projections
from infrastructure.views.log_positions import log_positions_reader
from infrastructure.views.view_store import SQLAlchemyViewStore


@dataclass
class Services:
    settings: Settings
    app: FilieresApplication
    views: ViewUpdater
    read_models: ReadModels
    tokens: TokenStore
    idempotency: IdempotencyStore
    transaction: CommandTransaction
    audit_log: AuditLogStore
    """The events and their integrity chain, page by page: verification and export."""
    audit_events: AuditEventQuery
    """The audit's filtered reads of the log: its pages, a stream, a provenance."""
    checkpoints: CheckpointService
    secret: bytes
    """The deployment's secret (held outside the database): keys token digests and seals."""

    def close(self) -> None:
        self.checkpoints.close()
        self.app.close()
        # The SQLAlchemy factory leaves its engine's pooled connections open.
        self.app.factory.datastore.engine.dispose()  # type: ignore[attr-defined]


def events_table_name() -> str:
    """The log's table, as the library names it: the application's name, then `_events`."""
    return FilieresApplication.name.lower() + "_events"


def build(
    settings: Settings | None = None,
    database_url: str | None = None,
    follow_in_process: bool | None = None,
    existing_store: bool = False,
) -> Services:
    """Wire everything on one datastore (one engine for events, views and tokens).

    With `follow_in_process`, the views catch up at start and after each
    command in this process; without it, `filieres projections run` keeps them.
    With `existing_store`, raise StoreNotFoundError rather than create a store
    (what a command that only reads wants).
    """
    settings = settings or Settings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    if existing_store:
        require_store(settings.database_url, events_table_name())
    if follow_in_process is None:
        follow_in_process = not settings.separate_projection_runner
    app = FilieresApplication(
        event_store_env(
            settings.database_url,
            settings.pool_size,
            settings.max_overflow,
            settings.secret_key_file,
            settings.signing_key_file,
        )
    )
    secret = secret_key(settings.secret_key_file, settings.signing_key_file, settings.database_url)
    datastore: SQLAlchemyDatastore = app.factory.datastore  # type: ignore[attr-defined]
    engine: Engine = datastore.engine  # type: ignore[assignment]
    events: Table = app.recorder.events_record_cls.__table__  # type: ignore[attr-defined]
    projections = build_projections(datastore)
    views = ViewUpdater(
        app,
        projections,
        positions=log_positions_reader(
            datastore, events, [cast(SQLAlchemyViewStore, p.view) for p in projections], app.name
        ),
    )
    if follow_in_process:
        views.start()

        def catch_up_after(position: int) -> None:
            views.catch_up(until=position, check_first=False)

        app.after_record.append(catch_up_after)
    checkpoints = CheckpointService(
        MerkleTreeStore(datastore),
        settings.signing_key_file,
        settings.checkpoint_directory,
        settings.checkpoint_every_events,
    )
    if settings.checkpoint_directory is not None:
        app.after_record.append(checkpoints.after_commit)
    return Services(
        settings=settings,
        app=app,
        views=views,
        read_models=ReadModels(
            views,
            catch_up=follow_in_process,
            wait_timeout=settings.read_wait_seconds,
            history=SQLAlchemyHistoricalViews(datastore, events, app.mapper, seal_key=secret),
            current_version=app.current_version,
        ),
        tokens=TokenStore(engine, secret),
        idempotency=IdempotencyStore(datastore),
        transaction=CommandTransaction(app, datastore),
        audit_log=AuditLogStore.of(app),
        audit_events=AuditEventQuery.of(app),
        checkpoints=checkpoints,
        secret=secret,
    )
