"""The shared recorder of the Roannais history: its state by short key and its helpers.

Every command goes through `run`, which adds the source (the sheet and the section
`citing` names) and the assumptions in force, so that every event of the demo
carries them in its metadata.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import TypeVar
from uuid import UUID

from application.body_commands import ConstituteBody, SeatMember
from application.command import Command
from application.context import CommandContext, CommandResult
from application.filiere_commands import JoinProjectGroup, LaunchFiliere
from application.filieres_app import FilieresApplication
from application.organisation_commands import RegisterOrganisation
from application.payload import SourcePayload
from application.project_commands import ChangeProjectStatus, ProposeProject
from application.roannais_history.facts import (
    BUREAU_DECIDERS_UNKNOWN,
    CONSTITUTION_UNKNOWN,
    LEAD_PARTNERS,
    PARTNERS,
    SHEET,
)
from domain.decision import Decision
from domain.filiere import FiliereKind
from domain.governing_body import BodyKind, SeatRole
from domain.organisation import OrganisationKind
from domain.project import ProjectPartner, ProjectStatus

C = TypeVar("C", bound=Command)
R = TypeVar("R", bound="HistoryRecorder")


Chapter = Callable[[R], None]


def chapter(section: str, *assumptions: str) -> Callable[[Chapter[R]], Chapter[R]]:
    """A chapter whose every command cites `section` and rests on `assumptions`."""

    def decorate(method: Chapter[R]) -> Chapter[R]:
        @wraps(method)
        def cited(recorder: R) -> None:
            with recorder.citing(section, *assumptions):
                method(recorder)

        return cited

    return decorate


@dataclass(frozen=True)
class RoannaisIds:
    """The ids a test or a summary needs, each by a short key."""

    association: UUID
    partners: dict[str, UUID]
    organisations: dict[str, UUID]
    bureau: UUID
    directoire: UUID
    advisory_council: UUID
    state_body: UUID
    massif_central_body: UUID
    filieres: dict[str, UUID]
    projects: dict[str, UUID]
    viandes_call: UUID
    viandes_candidates: tuple[UUID, ...]
    viandes_selected: tuple[UUID, ...]
    viandes_rejected: tuple[UUID, ...]
    viandes_projects: tuple[UUID, ...]
    telemedecine_call: UUID
    telemedecine_candidacy: UUID
    deconstruction_global_project: UUID
    state_funding: UUID
    wood_energy_study: UUID


class HistoryRecorder:
    """The state every chapter shares, by short key, and the helpers that record through it."""

    def __init__(self, app: FilieresApplication, ctx: CommandContext) -> None:
        self.app = app
        self.ctx = ctx
        self.orgs: dict[str, UUID] = {}
        self.bodies: dict[str, UUID] = {}
        self.filieres: dict[str, UUID] = {}
        self.projects: dict[str, UUID] = {}
        self.fundings: dict[str, UUID] = {}
        self.calls: dict[str, UUID] = {}
        self.candidates: list[UUID] = []
        self.selected: list[UUID] = []
        self.rejected: list[UUID] = []
        self.viandes_projects: list[UUID] = []
        self.ami_candidacy: UUID | None = None
        self._section: str | None = None
        self._assumptions: tuple[str, ...] = ()

    # --- Sources and assumptions -----------------------------------------------------------
    @contextmanager
    def citing(self, section: str, *assumptions: str) -> Iterator[None]:
        """The commands run inside cite `section` of the sheet and rest on `assumptions`
        (added to those of an enclosing `citing`)."""
        outer = (self._section, self._assumptions)
        self._section, self._assumptions = section, (*self._assumptions, *assumptions)
        try:
            yield
        finally:
            self._section, self._assumptions = outer

    def cited(self, command: C, *assumptions: str) -> C:
        """`command` with the sheet's section and the assumptions in force, and `assumptions`."""
        assert self._section is not None, "every event of the demo cites its section"
        supposed = list(dict.fromkeys((*self._assumptions, *assumptions)))
        source = SourcePayload(document=SHEET, locator=self._section)
        return command.model_copy(update={"source": source, "assumptions": supposed})

    def run(self, command: Command, *assumptions: str) -> CommandResult:
        """Record `command`, citing the sheet, resting on the assumptions in force and these
        (and, for a decision of the bureau, on what the sheet does not say of it)."""
        decision = getattr(command, "decision", None)
        if decision is not None and decision.body_id == self.bodies.get("bureau"):
            assumptions = (BUREAU_DECIDERS_UNKNOWN, *assumptions)
        return self.app.execute(self.ctx, self.cited(command, *assumptions))

    def ids(self) -> RoannaisIds:
        assert self.ami_candidacy is not None
        return RoannaisIds(
            association=self.orgs["roanne_territoire"],
            partners={key: self.orgs[key] for key in PARTNERS},
            organisations=dict(self.orgs),
            bureau=self.bodies["bureau"],
            directoire=self.bodies["directoire"],
            advisory_council=self.bodies["advisory_council"],
            state_body=self.bodies["etat"],
            massif_central_body=self.bodies["massif_central"],
            filieres=dict(self.filieres),
            projects=dict(self.projects),
            viandes_call=self.calls["viandes"],
            viandes_candidates=tuple(self.candidates),
            viandes_selected=tuple(self.selected),
            viandes_rejected=tuple(self.rejected),
            viandes_projects=tuple(self.viandes_projects),
            telemedecine_call=self.calls["telemedecine"],
            telemedecine_candidacy=self.ami_candidacy,
            deconstruction_global_project=self.projects["deconstruction_global"],
            state_funding=self.fundings["etat_deconstruction"],
            wood_energy_study=self.fundings["enquete_bois_energie"],
        )

    # --- Helpers ---------------------------------------------------------------------------
    def register(
        self, key: str, name: str, kind: OrganisationKind, on: date, *assumptions: str
    ) -> UUID:
        command = RegisterOrganisation(name=name, kind=kind, registered_on=on)
        self.orgs[key] = self.run(command, *assumptions).id
        return self.orgs[key]

    def external_body(self, key: str, name: str, *assumptions: str) -> None:
        """Constitute the deciding body of the organisation registered under `key`, on a day
        the sheet does not give."""
        command = ConstituteBody(name=name, kind=BodyKind.EXTERNAL, organisation_id=self.orgs[key])
        self.bodies[key] = self.run(command, CONSTITUTION_UNKNOWN, *assumptions).id

    def seat(
        self, body: UUID, person: str, org: str, role: SeatRole, on: date, *assumptions: str
    ) -> None:
        """Seat `person` in `body` for the organisation registered under `org`."""
        command = SeatMember(
            body_id=body, person=person, organisation_id=self.orgs[org], role=role, from_=on
        )
        self.run(command, *assumptions)

    def by_bureau(self, on: date, rationale: str) -> Decision:
        """A decision of the bureau in a sitting the sheet does not publish: it names no one."""
        return Decision(
            body_id=self.bodies["bureau"],
            decided_on=on,
            rationale=rationale,
            sitting_not_published=True,
        )

    def by_external_body(self, key: str, on: date, rationale: str) -> Decision:
        """A decision of an external organisation; the sheet names no one who took it."""
        return Decision(body_id=self.bodies[key], decided_on=on, rationale=rationale)

    def join_group(self, filiere: str, org: str, on: date, *assumptions: str) -> None:
        command = JoinProjectGroup(
            filiere_id=self.filieres[filiere], organisation_id=self.orgs[org], joined_on=on
        )
        self.run(command, *assumptions)

    def propose(
        self,
        key: str,
        filiere: str,
        title: str,
        on: date,
        partners: dict[str, str] | None = None,
        estimated_budget: str | None = None,
        assumptions: tuple[str, ...] = (),
    ) -> UUID:
        """Propose a project; `partners` maps an organisation's key to its role."""
        project_partners = tuple(
            ProjectPartner(organisation_id=self.orgs[org], role=role)
            for org, role in (partners or {}).items()
        )
        command = ProposeProject(
            filiere_id=self.filieres[filiere],
            title=title,
            proposed_on=on,
            partners=project_partners,
            estimated_budget=estimated_budget,
        )
        self.projects[key] = self.run(command, *assumptions).id
        return self.projects[key]

    def approve(self, key: str, on: date, rationale: str, *assumptions: str) -> None:
        command = ChangeProjectStatus(
            project_id=self.projects[key],
            status=ProjectStatus.APPROVED,
            effective_on=on,
            decision=self.by_bureau(on, rationale),
        )
        self.run(command, *assumptions)

    def start(self, key: str, on: date, *assumptions: str) -> None:
        """The project is under way (no decision: it is a fact, not a choice)."""
        command = ChangeProjectStatus(
            project_id=self.projects[key], status=ProjectStatus.IN_PROGRESS, effective_on=on
        )
        self.run(command, *assumptions)

    def launch(
        self,
        key: str,
        name: str,
        kind: FiliereKind,
        on: date,
        objectives: tuple[str, ...],
        grounds: str,
        *assumptions: str,
    ) -> None:
        """Launch a filière or axis; every partner joins its project group."""
        lead = LEAD_PARTNERS[key]
        chef_de_file = (
            "La fiche ne dit pas quel partenaire est chef de file de quelle filière (seulement"
            f" que chacun l'est d'au moins une) : {PARTNERS[lead]} est un choix plausible pour"
            f" « {name} »."
        )
        command = LaunchFiliere(
            name=name,
            kind=kind,
            lead_partner_id=self.orgs[lead],
            decision=self.by_bureau(on, f"Lancement de « {name} » : {grounds}"),
            objectives=objectives,
        )
        self.filieres[key] = self.run(command, chef_de_file, *assumptions).id
        # "Chacun des membres de Roanne Territoire est chef de file d'au moins une filière
        # et participe aux autres travaux."
        with self.citing("Présentation résumée"):
            for partner in PARTNERS:
                self.join_group(key, partner, on, *assumptions)
