"""The shared recorder of the Roannais history: its state by short key and its helpers."""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from application.body_commands import SeatMember
from application.context import CommandContext
from application.filiere_commands import JoinProjectGroup, LaunchFiliere
from application.filieres_app import FilieresApplication
from application.organisation_commands import RegisterOrganisation
from application.project_commands import ChangeProjectStatus, ProposeProject
from application.roannais_history.facts import LEAD_PARTNERS, PARTNERS
from domain.decision import Decision
from domain.filiere import FiliereKind
from domain.governing_body import SeatRole
from domain.organisation import OrganisationKind
from domain.project import ProjectPartner, ProjectStatus


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
    def register(self, key: str, name: str, kind: OrganisationKind, on: date) -> UUID:
        self.orgs[key] = self.app.register_organisation(
            self.ctx, RegisterOrganisation(name=name, kind=kind, registered_on=on)
        ).id
        return self.orgs[key]

    def seat(self, body: UUID, person: str, org: str, role: SeatRole, on: date) -> None:
        """Seat `person` in `body` for the organisation registered under `org`."""
        command = SeatMember(
            body_id=body, person=person, organisation_id=self.orgs[org], role=role, from_=on
        )
        self.app.execute(self.ctx, command)

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

    def join_group(self, filiere: str, org: str, on: date) -> None:
        self.app.join_project_group(
            self.ctx,
            JoinProjectGroup(
                filiere_id=self.filieres[filiere], organisation_id=self.orgs[org], joined_on=on
            ),
        )

    def propose(
        self,
        key: str,
        filiere: str,
        title: str,
        on: date,
        partners: dict[str, str] | None = None,
        estimated_budget: str | None = None,
    ) -> UUID:
        """Propose a project; `partners` maps an organisation's key to its role."""
        project_partners = tuple(
            ProjectPartner(organisation_id=self.orgs[org], role=role)
            for org, role in (partners or {}).items()
        )
        self.projects[key] = self.app.propose_project(
            self.ctx,
            ProposeProject(
                filiere_id=self.filieres[filiere],
                title=title,
                proposed_on=on,
                partners=project_partners,
                estimated_budget=estimated_budget,
            ),
        ).id
        return self.projects[key]

    def approve(self, key: str, on: date, rationale: str) -> None:
        self.app.change_project_status(
            self.ctx,
            ChangeProjectStatus(
                project_id=self.projects[key],
                status=ProjectStatus.APPROVED,
                effective_on=on,
                decision=self.by_bureau(on, rationale),
            ),
        )

    def launch(
        self,
        key: str,
        name: str,
        kind: FiliereKind,
        on: date,
        objectives: tuple[str, ...],
        grounds: str,
    ) -> None:
        """Launch a filière or axis; every partner joins its project group."""
        lead = LEAD_PARTNERS[key]
        rationale = (
            f"Lancement de « {name} » : {grounds} Hypothèse : la fiche ne dit pas quel"
            " partenaire est chef de file de quelle filière (seulement que chacun l'est d'au"
            f" moins une) ; {PARTNERS[lead]} est un choix plausible."
        )
        self.filieres[key] = self.app.launch_filiere(
            self.ctx,
            LaunchFiliere(
                name=name,
                kind=kind,
                lead_partner_id=self.orgs[lead],
                decision=self.by_bureau(on, rationale),
                objectives=objectives,
            ),
        ).id
        # "Chacun des membres de Roanne Territoire est chef de file d'au moins une filière
        # et participe aux autres travaux."
        for partner in PARTNERS:
            self.join_group(key, partner, on)
