"""The Filières application: every command and query in one eventsourcing Application."""

from application.body_commands import BodyCommands
from application.call_commands import CallCommands
from application.filiere_commands import FiliereCommands
from application.funding_commands import FundingCommands
from application.organisation_commands import OrganisationCommands
from application.project_commands import ProjectCommands
from application.queries import ProgrammeQueries


class FilieresApplication(
    OrganisationCommands,
    BodyCommands,
    FiliereCommands,
    CallCommands,
    ProjectCommands,
    FundingCommands,
    ProgrammeQueries,
):
    """Records the decisions of the association and answers questions about them."""
