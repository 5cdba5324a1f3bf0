"""Which SQL view each projection keeps, built on the application's own datastore."""

from typing import Any

from eventsourcing.projection import Projection
from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore

from application.projections.decision_register import DecisionRegisterProjection
from application.projections.filiere_overview import FiliereOverviewProjection
from application.projections.view import View
from infrastructure.views.base import SQLAlchemyView
from infrastructure.views.decision_register import SQLAlchemyDecisionRegisterView
from infrastructure.views.filiere_overview import SQLAlchemyFiliereOverviewView

VIEWS: tuple[tuple[type[Projection[Any]], type[SQLAlchemyView]], ...] = (
    (FiliereOverviewProjection, SQLAlchemyFiliereOverviewView),
    (DecisionRegisterProjection, SQLAlchemyDecisionRegisterView),
)


def build_projections(datastore: SQLAlchemyDatastore) -> list[Projection[View]]:
    """Every projection with its view on `datastore`, tables created when missing."""
    projections = []
    for projection_class, view_class in VIEWS:
        view = view_class(datastore)
        view.create_table()
        projections.append(projection_class(view=view))
    return projections
