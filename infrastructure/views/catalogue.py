"""Which SQL view each projection keeps, built on the application's own datastore."""

from typing import Any

from eventsourcing.projection import Projection
from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore

from application.projections.call_details import CallDetailsProjection
from application.projections.decision_register import DecisionRegisterProjection
from application.projections.event_index import EventIndexProjection
from application.projections.filiere_overview import FiliereOverviewProjection
from application.projections.funding_ledger import FundingLedgerProjection
from application.projections.project_details import ProjectDetailsProjection
from application.projections.view import View
from infrastructure.views.base import SQLAlchemyView
from infrastructure.views.call_details import SQLAlchemyCallDetailsView
from infrastructure.views.decision_register import SQLAlchemyDecisionRegisterView
from infrastructure.views.event_index import SQLAlchemyEventIndexView
from infrastructure.views.filiere_overview import SQLAlchemyFiliereOverviewView
from infrastructure.views.funding_ledger import SQLAlchemyFundingLedgerView
from infrastructure.views.project_details import SQLAlchemyProjectDetailsView

VIEWS: tuple[tuple[type[Projection[Any]], type[SQLAlchemyView]], ...] = (
    (FiliereOverviewProjection, SQLAlchemyFiliereOverviewView),
    (CallDetailsProjection, SQLAlchemyCallDetailsView),
    (ProjectDetailsProjection, SQLAlchemyProjectDetailsView),
    (FundingLedgerProjection, SQLAlchemyFundingLedgerView),
    (DecisionRegisterProjection, SQLAlchemyDecisionRegisterView),
    (EventIndexProjection, SQLAlchemyEventIndexView),
)


def build_projections(datastore: SQLAlchemyDatastore) -> list[Projection[View]]:
    """Every projection with its view on `datastore`, tables created when missing."""
    projections = []
    for projection_class, view_class in VIEWS:
        view = view_class(datastore)
        view.create_table()
        projections.append(projection_class(view=view))
    return projections
