"""The Filières application: every command and query in one eventsourcing Application."""

from typing import Any, ClassVar

from application.body_commands import BodyCommands
from application.call_commands import CallCommands
from application.filiere_commands import FiliereCommands
from application.funding_commands import FundingCommands
from application.organisation_commands import OrganisationCommands
from application.project_commands import ProjectCommands
from application.queries import ProgrammeQueries
from domain.call import Call
from domain.filiere import Filiere
from domain.governing_body import GoverningBody


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

    # A snapshot each time one of these reaches a multiple of 100 events, so that loading it
    # reads one snapshot and at most 99 events. Only these grow long: a call gathers every
    # candidacy's events, a body its meetings and seats over the years, a filière its project
    # group. The others (organisations, projects, fundings) keep a few dozen events at most.
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {
        Call: 100,
        GoverningBody: 100,
        Filiere: 100,
    }
