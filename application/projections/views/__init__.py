"""The views, one module each: its tables, its handlers and its reads.

To add a view: a module here declaring its `VIEW`, its tables and handlers
(and reads for what the API serves from it), listed in `VIEWS`. A view too
long for one module spreads over `<view>_*` modules; every module is
imported here, so all of a view's handlers are registered before any of its
events is applied, wherever the view is imported from.
"""

from application.projections.view import View
from application.projections.views import (
    call_details,
    decision_register,
    directory,
    event_index,
    filiere_overview,
    filiere_overview_funding,  # noqa: F401 (registers the overview's funding handlers)
    funding_ledger,
    project_details,
)

VIEWS: tuple[View, ...] = (
    filiere_overview.VIEW,
    call_details.VIEW,
    project_details.VIEW,
    funding_ledger.VIEW,
    decision_register.VIEW,
    event_index.VIEW,
    directory.VIEW,
)
"""Every view the application keeps, in the order the updater applies them."""
