"""Every view's store and projection, built on the application's own datastore."""

from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore

from application.projections.view import ViewProjection
from application.projections.views import VIEWS
from infrastructure.views.view_store import SQLAlchemyViewStore


def build_projections(datastore: SQLAlchemyDatastore) -> list[ViewProjection]:
    """Every view's projection with its store on `datastore`, tables created when missing."""
    projections = []
    for view in VIEWS:
        store = SQLAlchemyViewStore(datastore, view)
        store.create_table()
        projections.append(ViewProjection(view=store))
    return projections
