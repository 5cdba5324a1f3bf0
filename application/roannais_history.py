"""The Roannais history (2005–2013), recorded through the application's own commands.

The only source is the case sheet `seed/000_a8cc051cd44b8c71.txt` (Roanne
Territoire, updated April 2013). Every fact below comes from it; where the sheet
gives no name or figure, the data says so ("nom non publié", amount unknown)
instead of inventing one; where it implies a fact without giving it (which
partner leads which filière, the exact day of an event known only by its year
or season), a plausible choice is made and every decision resting on it says so
in its rationale ("Hypothèse : …").

Dates. The sheet gives: association founded in 2005; the four partners from
2009 ("Date de début : 2009"); the chargé de mission recruited in January 2011;
CIDER created in 2011; seven Viandes candidacies at the end of 2011; the 6th
axis at the end of 2012; the sheet itself is dated April 2013. Every exact day
below is therefore an assumption, named in the constants that follow. Facts the
sheet states only as true "today" (the State's support, the 20+ companies of the
écologie industrielle project) are dated on the sheet's update, April 2013.

Not recorded, because the sheet does not say it: the outcome of the Massif
Central AMI; which of the seven Viandes candidates were selected (candidates 1–4
are chosen, arbitrarily, and the rationale says so); any amount. Jérôme Dubuis
(chargé de mission économie, Roannais Pays de Rhône-Alpes) is the sheet's
contact person; the sheet does not say he sits in a body, so he is not seated.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from application.call_commands import Outcome
from application.context import CommandContext
from application.filieres_app import FilieresApplication
from domain.call import CallKind
from domain.decision import Decision
from domain.errors import AlreadyRecordedError
from domain.filiere import FiliereKind
from domain.funding import FundingKind
from domain.governing_body import BodyKind, SeatRole
from domain.organisation import OrganisationKind
from domain.project import ProjectPartner, ProjectStatus

# --- Effective dates (all exact days are assumptions; see the module docstring) -------------
ASSOCIATION_FOUNDED = date(2005, 1, 1)  # "fondée en 2005": year only
PROGRAMME_START = date(2009, 1, 15)  # "à partir de 2009": partners, bodies, seats
FILIERES_LAUNCHED = date(2009, 6, 15)  # the five filières: 2009, day assumed
# "invitée permanente du bureau": undated; the sheet calls it a strengthening of the initial
# governance, so it may be later than 2009; DESIGN.md places it with the 2009 set-up.
REGION_INVITED = PROGRAMME_START
COORDINATOR_RECRUITED = date(2011, 1, 3)  # "recruté en janvier 2011": day assumed
BOIS_2011 = date(2011, 3, 1)  # Bois network and recruitment actions: undated
CIDER_CREATED = date(2011, 6, 1)  # "créé en 2011": year only
DECONSTRUCTION_APPROVED = date(2011, 9, 15)  # undated
VIANDES_CALL_LAUNCHED = date(2011, 9, 15)  # "appel à projet" of 2011: undated
VIANDES_CALL_CLOSES = date(2011, 12, 16)  # "fin 2011"
VIANDES_CANDIDACIES = date(2011, 12, 1)  # "Sept candidats ont candidaté fin 2011"
VIANDES_DECIDED = date(2012, 1, 20)  # selection, end 2011 → early 2012: day assumed
ECOLOGIE_PROPOSED = date(2011, 10, 3)  # undated
AMI_OPENS = date(2012, 3, 1)  # Massif Central AMI: undated in the sheet
AMI_CLOSES = date(2012, 6, 29)
AMI_ANSWERED = date(2012, 6, 15)
BOIS_2012 = date(2012, 4, 2)  # écoconstruction, ENISE, wood-energy survey: undated
AXIS_LAUNCHED = date(2012, 12, 3)  # "fin 2012": day assumed
SHEET_UPDATED = date(2013, 4, 1)  # "Date de mise à jour : avril 2013"

# --- People (the sheet names only Georges Bernat; the others are placeholders) --------------
PARTNERS = {
    "grand_roanne": "Grand Roanne Agglomération",
    "cci": "Chambre de Commerce et d'Industrie du Roannais",
    "agence_loire": "Agence du Développement Économique de la Loire",
    "pays": "Roannais Pays de Rhône-Alpes",
}
PRESIDENTS = {
    "grand_roanne": "Président(e) de Grand Roanne Agglomération (nom non publié)",
    "cci": "Président(e) de la Chambre de Commerce et d'Industrie du Roannais (nom non publié)",
    "agence_loire": (
        "Président(e) de l'Agence du Développement Économique de la Loire (nom non publié)"
    ),
    "pays": "Georges Bernat",  # "Président Roannais Pays de Rhône-Alpes"
}
DIRECTORS = {
    key: f"Directeur(trice) ou représentant(e) de {name} (nom non publié)"
    for key, name in PARTNERS.items()
}
COORDINATOR = "Chargé(e) de mission filières (nom non publié)"
REGION_INVITEE = "Représentant(e) de la Région Rhône-Alpes (nom non publié)"
BUREAU_VOTERS = tuple(PRESIDENTS.values())
VIANDES_CANDIDATES = tuple(f"Candidat {n} (nom non publié)" for n in range(1, 8))

# Chef de file of each filière: the sheet says only that each partner leads at least one.
LEAD_PARTNERS = {
    "numerique": "grand_roanne",  # Numériparc is the agglomeration's business park
    "deconstruction": "agence_loire",  # an industrial-investment project
    "bois": "pays",  # a rural resource of the Pays
    "viandes": "pays",  # livestock farming, a rural activity of the Pays
    "ecologie_industrielle": "cci",  # companies' waste flows
    "marketing_territorial": "grand_roanne",  # with the Ville de Roanne
}


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


def record_roannais_history(app: FilieresApplication, actor: str = "filieres demo") -> RoannaisIds:
    """Record the history the seed tells into an empty store; refuse a non-empty one."""
    count = app.event_count()
    if count > 0:
        raise AlreadyRecordedError(
            f"the store is not empty: it already holds {count} events; the Roannais history"
            " is recorded only into an empty store"
        )
    history = _History(app, CommandContext(actor=actor))
    history.governance()
    history.launch_filieres()
    history.seat_coordinator()
    history.deconstruction()
    history.viandes()
    history.numerique()
    history.bois()
    history.ecologie_industrielle()
    history.marketing_territorial()
    return history.ids()


class _History:
    """Records the history part by part, keeping the ids by short key."""

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
        self.orgs[key] = self.app.register_organisation(self.ctx, name, kind, on).id
        return self.orgs[key]

    def by_bureau(self, on: date, rationale: str) -> Decision:
        """A decision of the bureau, taken by the four partner presidents."""
        return Decision(
            body_id=self.bodies["bureau"],
            decided_on=on,
            decided_by=BUREAU_VOTERS,
            rationale=rationale,
        )

    def by_external_body(self, key: str, on: date, rationale: str) -> Decision:
        """A decision of an external organisation; the sheet names no one who took it."""
        return Decision(body_id=self.bodies[key], decided_on=on, rationale=rationale)

    def join_group(self, filiere: str, org: str, on: date) -> None:
        self.app.join_project_group(self.ctx, self.filieres[filiere], self.orgs[org], on)

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
            self.filieres[filiere],
            title,
            on,
            partners=project_partners,
            estimated_budget=estimated_budget,
        ).id
        return self.projects[key]

    def approve(self, key: str, on: date, rationale: str) -> None:
        self.app.change_project_status(
            self.ctx, self.projects[key], ProjectStatus.APPROVED, on, self.by_bureau(on, rationale)
        )

    # --- 2005–2009: the association, its partners and its bodies ---------------------------
    def governance(self) -> None:
        self.register(
            "roanne_territoire",
            "Roanne Territoire",
            OrganisationKind.ASSOCIATION,
            ASSOCIATION_FOUNDED,
        )
        for key, name in PARTNERS.items():
            self.register(key, name, OrganisationKind.PARTNER, PROGRAMME_START)
        self.register("region", "Région Rhône-Alpes", OrganisationKind.PUBLIC_BODY, PROGRAMME_START)
        association = self.orgs["roanne_territoire"]
        constitute = self.app.constitute_body
        self.bodies["bureau"] = constitute(
            self.ctx,
            "Bureau de Roanne Territoire",
            BodyKind.BUREAU,
            PROGRAMME_START,
            organisation_id=association,
        ).id
        self.bodies["directoire"] = constitute(
            self.ctx,
            "Directoire de Roanne Territoire",
            BodyKind.DIRECTOIRE,
            PROGRAMME_START,
            organisation_id=association,
        ).id
        self.bodies["advisory_council"] = constitute(
            self.ctx,
            "Conseil d'orientation de Roanne Territoire",
            BodyKind.ADVISORY_COUNCIL,
            PROGRAMME_START,
            organisation_id=association,
        ).id
        seat = self.app.seat_member
        bureau, directoire = self.bodies["bureau"], self.bodies["directoire"]
        # The bureau: the partner presidents in equal number; the directoire attends it.
        for key in PARTNERS:
            seat(
                self.ctx, bureau, PRESIDENTS[key], self.orgs[key], SeatRole.VOTING, PROGRAMME_START
            )
        for key in PARTNERS:
            seat(
                self.ctx,
                bureau,
                DIRECTORS[key],
                self.orgs[key],
                SeatRole.PARTICIPANT,
                PROGRAMME_START,
            )
        seat(
            self.ctx, bureau, REGION_INVITEE, self.orgs["region"], SeatRole.INVITEE, REGION_INVITED
        )
        # The directoire: the partners' directors or their representatives.
        for key in PARTNERS:
            seat(
                self.ctx,
                directoire,
                DIRECTORS[key],
                self.orgs[key],
                SeatRole.PARTICIPANT,
                PROGRAMME_START,
            )
        # The conseil d'orientation: its institutional partners are not named; nobody seated.

    # --- 2009: the five filières and their chefs de file -----------------------------------
    def launch_filieres(self) -> None:
        objectives = {
            "numerique": (
                "Développer le maintien à domicile et limiter l'hospitalisation par la"
                " télésanté et la télémédecine",
                "Développer les usages de l'équipement structurant (Numériparc, datacenter"
                " certifié ISO 27001) au-delà du segment santé",
            ),
            "deconstruction": (
                "Créer un pôle national identifié de déconstruction des matériels lourds"
                " (matériels roulants)",
            ),
            "bois": (
                "Dynamiser les activités économiques liées au bois à partir de la ressource locale",
                "Structurer le réseau « bois »",
                "Accompagner le développement des entreprises",
                "Soutenir le marché de l'écoconstruction",
            ),
            "viandes": (
                "Déceler les démarches innovantes des professionnels de l'agro-alimentaire",
                "Fédérer les intervenants régionaux susceptibles d'accompagner le"
                " développement de la filière",
            ),
            "ecologie_industrielle": (
                "Aboutir à une prise de décision sur le traitement des déchets industriels"
                " du territoire",
                "Permettre aux entreprises de trouver des solutions mutualisées, optimisant"
                " la gestion de leurs flux",
            ),
        }
        names = {
            "numerique": "Numérique",
            "deconstruction": "Déconstruction",
            "bois": "Bois",
            "viandes": "Viandes",
            "ecologie_industrielle": "Écologie industrielle",
        }
        grounds = (
            "filière identifiée comme prioritaire à partir d'une synthèse des diagnostics et"
            " travaux des partenaires. Hypothèse : lancée en 2009 (« Date de début : 2009 »),"
            f" jour ({FILIERES_LAUNCHED.isoformat()}) supposé."
        )
        for key, name in names.items():
            self.launch(key, name, FiliereKind.FILIERE, FILIERES_LAUNCHED, objectives[key], grounds)

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
            self.ctx, name, kind, self.orgs[lead], self.by_bureau(on, rationale), objectives
        ).id
        # "Chacun des membres de Roanne Territoire est chef de file d'au moins une filière
        # et participe aux autres travaux."
        for partner in PARTNERS:
            self.join_group(key, partner, on)

    # --- 2011-01: the chargé de mission filières -------------------------------------------
    def seat_coordinator(self) -> None:
        # Recruited by Grand Roanne Agglomération and seconded part-time to the association.
        self.app.seat_member(
            self.ctx,
            self.bodies["directoire"],
            COORDINATOR,
            self.orgs["grand_roanne"],
            SeatRole.COORDINATOR,
            COORDINATOR_RECRUITED,
        )

    # --- Déconstruction: CIDER, the industrial unit, the State's support -------------------
    def deconstruction(self) -> None:
        self.register(
            "cider",
            "CIDER (Centre d'ingénierie pour la déconstruction des équipements roulants)",
            OrganisationKind.ASSOCIATION,
            CIDER_CREATED,
        )
        self.register("aprres", "APRRES", OrganisationKind.COMPANY, CIDER_CREATED)
        self.register(
            "bartin",
            "Bartin Recycling (filiale du groupe Veolia)",
            OrganisationKind.COMPANY,
            CIDER_CREATED,
        )
        for org in ("cider", "aprres", "bartin"):
            self.join_group("deconstruction", org, CIDER_CREATED)
        self.propose(
            "deconstruction_global",
            "deconstruction",
            "Pôle national de déconstruction des matériels roulants (projet global)",
            CIDER_CREATED,
            partners={
                "cider": "animation du centre de compétences",
                "aprres": "partenaire industriel",
                "bartin": "partenaire industriel",
            },
            estimated_budget="18000000.00",
        )
        self.propose(
            "centre_competences",
            "deconstruction",
            "Centre de compétences sur la déconstruction des matériels roulants",
            CIDER_CREATED,
            partners={"cider": "animation du centre"},
        )
        self.propose(
            "unite_industrielle",
            "deconstruction",
            "Projet industriel : création d'une 1ère unité de production de déconstruction",
            CIDER_CREATED,
            partners={"aprres": "entreprise roannaise", "bartin": "filiale du groupe Veolia"},
        )
        day = f"Hypothèse : le jour ({DECONSTRUCTION_APPROVED.isoformat()}) est supposé."
        self.approve(
            "deconstruction_global",
            DECONSTRUCTION_APPROVED,
            "Projet global de pôle national identifié de déconstruction, estimé à 18 millions"
            f" d'euros, réunissant les deux actions engagées. {day}",
        )
        self.approve(
            "centre_competences",
            DECONSTRUCTION_APPROVED,
            "Centre de compétences pour accompagner l'émergence de la filière, animé par"
            f" CIDER (créé en 2011). {day}",
        )
        self.approve(
            "unite_industrielle",
            DECONSTRUCTION_APPROVED,
            "Projet industriel avec l'entreprise roannaise APRRES et Bartin Recycling,"
            f" filiale du groupe Veolia. {day}",
        )
        # The State's support: no amount, no date, nobody named in the sheet.
        self.register("etat", "État", OrganisationKind.PUBLIC_BODY, SHEET_UPDATED)
        self.bodies["etat"] = self.app.constitute_body(
            self.ctx,
            "État (décision de soutien)",
            BodyKind.EXTERNAL,
            SHEET_UPDATED,
            organisation_id=self.orgs["etat"],
        ).id
        self.fundings["etat_deconstruction"] = self.app.grant_funding(
            self.ctx,
            self.projects["deconstruction_global"],
            self.orgs["etat"],
            FundingKind.GRANT,
            self.by_external_body(
                "etat",
                SHEET_UPDATED,
                "Le projet global « bénéficie d'un soutien par l'État ». Montant et forme du"
                " soutien non publiés : montant inconnu. Hypothèse : la date de la décision"
                " n'est pas publiée ; elle est datée de la mise à jour de la fiche (avril"
                " 2013), où le soutien est constaté.",
            ),
            amount=None,
        ).id

    # --- Viandes: the 2011 call for projects -----------------------------------------------
    def viandes(self) -> None:
        self.calls["viandes"] = call = self.app.launch_call(
            self.ctx,
            self.filieres["viandes"],
            "Appel à projets Filière Viandes : démarches innovantes des professionnels de"
            " l'agro-alimentaire",
            CallKind.CALL_FOR_PROJECTS,
            self.orgs["roanne_territoire"],
            VIANDES_CALL_LAUNCHED,
            VIANDES_CALL_CLOSES,
            self.by_bureau(
                VIANDES_CALL_LAUNCHED,
                "Déceler les démarches innovantes des professionnels de l'agro-alimentaire."
                " Ni enveloppe ni nombre de lauréats publiés. Hypothèse : lancé en 2011 (jour"
                " supposé) ; dates d'ouverture et de clôture supposées, la fiche disant"
                " seulement que les candidatures ont été reçues fin 2011.",
            ),
        ).id
        candidacies = []
        for number, name in enumerate(VIANDES_CANDIDATES, start=1):
            submitted_on = VIANDES_CANDIDACIES + timedelta(days=number - 1)
            candidate = self.register(
                f"candidat_viandes_{number}", name, OrganisationKind.COMPANY, submitted_on
            )
            self.candidates.append(candidate)
            result = self.app.submit_candidacy(
                self.ctx,
                call,
                candidate,
                f"Démarche innovante du candidat {number} (intitulé non publié)",
                submitted_on,
                requested_amount=None,
            )
            assert result.candidacy_id is not None
            candidacies.append(result.candidacy_id)
        self.app.close_submissions(self.ctx, call, VIANDES_CALL_CLOSES)
        which = (
            "Hypothèse : la fiche ne dit pas quelles candidatures ont été retenues ; le"
            " choix des candidats 1 à 4 est arbitraire. Hypothèse : décision début 2012,"
            f" jour ({VIANDES_DECIDED.isoformat()}) supposé."
        )
        for number, candidacy in enumerate(candidacies, start=1):
            selected = number <= 4
            rationale = (
                f"Candidature retenue : 4 projets sur 7 sont accompagnés. {which}"
                if selected
                else f"Candidature non retenue : 7 candidats, 4 projets accompagnés. {which}"
            )
            self.app.decide_candidacy(
                self.ctx,
                call,
                candidacy,
                Outcome.SELECTED if selected else Outcome.REJECTED,
                self.by_bureau(VIANDES_DECIDED, rationale),
            )
            (self.selected if selected else self.rejected).append(candidacy)
        self.app.conclude_call(
            self.ctx,
            call,
            self.by_bureau(
                VIANDES_DECIDED,
                "Appel à projets conclu : 7 candidatures reçues fin 2011, 4 retenues, 3 non"
                f" retenues. Hypothèse : jour ({VIANDES_DECIDED.isoformat()}) supposé.",
            ),
        )
        for number, candidacy in enumerate(self.selected, start=1):
            key = f"viandes_{number}"
            project = self.app.propose_project(
                self.ctx,
                self.filieres["viandes"],
                f"Projet accompagné {number} de l'appel à projets Viandes (intitulé non publié)",
                VIANDES_DECIDED,
                partners=(
                    ProjectPartner(
                        organisation_id=self.orgs[f"candidat_viandes_{number}"],
                        role="porteur du projet",
                    ),
                ),
                origin_call_id=call,
                origin_candidacy_id=candidacy,
            ).id
            self.projects[key] = project
            self.viandes_projects.append(project)
            self.approve(
                key,
                VIANDES_DECIDED,
                "Projet issu d'une candidature retenue ; « quatre projets sont aujourd'hui"
                f" accompagnés ». Hypothèse : jour ({VIANDES_DECIDED.isoformat()}) supposé.",
            )

    # --- Numérique: the answer to the Massif Central AMI -----------------------------------
    def numerique(self) -> None:
        self.register(
            "massif_central",
            "Programme interrégional Massif Central",
            OrganisationKind.PUBLIC_BODY,
            AMI_OPENS,
        )
        self.bodies["massif_central"] = self.app.constitute_body(
            self.ctx,
            "Programme interrégional Massif Central (instance de décision)",
            BodyKind.EXTERNAL,
            AMI_OPENS,
            organisation_id=self.orgs["massif_central"],
        ).id
        self.register("carestream", "CARESTREAM", OrganisationKind.COMPANY, AMI_OPENS)
        self.register(
            "numeriparc",
            "Numériparc (espace d'entreprises, datacenter certifié ISO 27001, pépinière)",
            OrganisationKind.OTHER,
            AMI_OPENS,
        )
        self.register("numelink", "NUMELINK", OrganisationKind.CLUSTER, AMI_OPENS)
        for org in ("carestream", "numeriparc", "numelink"):
            self.join_group("numerique", org, AMI_OPENS)
        self.calls["telemedecine"] = call = self.app.launch_call(
            self.ctx,
            self.filieres["numerique"],
            "Télémédecine et télésanté : pour une stratégie d'action interrégionale",
            CallKind.CALL_FOR_EXPRESSIONS_OF_INTEREST,
            self.orgs["massif_central"],
            AMI_OPENS,
            AMI_CLOSES,
            self.by_external_body(
                "massif_central",
                AMI_OPENS,
                "Appel à manifestation d'intérêt du Massif Central, auquel Roanne Territoire"
                " a répondu. Hypothèse : la fiche ne date ni l'AMI ni la réponse ; dates"
                " d'ouverture et de clôture supposées (2012).",
            ),
        ).id
        title = (
            "Maintien à domicile et limitation de l'hospitalisation par la télésanté et la"
            " télémédecine"
        )
        result = self.app.submit_candidacy(
            self.ctx, call, self.orgs["roanne_territoire"], title, AMI_ANSWERED
        )
        self.ami_candidacy = result.candidacy_id
        # The sheet does not say whether the answer was retained: no decision recorded.
        self.propose(
            "telemedecine",
            "numerique",
            f"{title} (réponse à l'AMI Massif Central)",
            AMI_ANSWERED,
            partners={
                "roanne_territoire": "porteur de la réponse",
                "carestream": "leader mondial de l'imagerie médicale",
                "numeriparc": "espace d'entreprises et datacenter",
                "numelink": "grappe d'entreprises animant la pépinière",
            },
        )

    # --- Bois: network, recruitment, écoconstruction, wood-energy survey -------------------
    def bois(self) -> None:
        self.register(
            "crpf",
            "Centre Régional de la Propriété Forestière (CRPF)",
            OrganisationKind.PUBLIC_BODY,
            BOIS_2011,
        )
        self.join_group("bois", "crpf", BOIS_2011)
        self.propose(
            "reseau_bois",
            "bois",
            "Structuration du réseau « bois » : animation spécifique du CRPF",
            BOIS_2011,
            partners={"crpf": "animation du réseau"},
        )
        self.propose(
            "recrutement_collectif",
            "bois",
            "Action expérimentale d'accompagnement collectif au recrutement (conduite"
            " principalement par le site de proximité)",
            BOIS_2011,
        )
        day_2011 = f"Hypothèse : action non datée par la fiche ; jour ({BOIS_2011}) supposé."
        self.approve(
            "reseau_bois",
            BOIS_2011,
            f"Animation spécifique du CRPF pour favoriser la synergie des actions. {day_2011}",
        )
        self.approve(
            "recrutement_collectif",
            BOIS_2011,
            f"Accompagnement au développement des entreprises de la filière. {day_2011}",
        )
        self.register(
            "interforetbois42", "InterForetBois42", OrganisationKind.ASSOCIATION, BOIS_2012
        )
        self.register(
            "enise",
            "École Nationale d'Ingénieurs de Saint-Étienne (ENISE)",
            OrganisationKind.SCHOOL,
            BOIS_2012,
        )
        for org in ("interforetbois42", "enise"):
            self.join_group("bois", org, BOIS_2012)
        self.propose(
            "ecoconstruction",
            "bois",
            "Soutien au marché de l'écoconstruction : partenariat avec InterForetBois42",
            BOIS_2012,
            partners={"interforetbois42": "partenaire"},
        )
        self.propose(
            "formation_enise",
            "bois",
            "Projet de formation d'ingénieur en apprentissage « génie civil bois et"
            " environnement »",
            BOIS_2012,
            partners={"enise": "école d'ingénieurs"},
        )
        self.propose(
            "enquete_bois_energie",
            "bois",
            "Enquête bois énergie : capacité du territoire à fournir le volume nécessaire aux"
            " projets de chaufferie et autres marchés en croissance",
            BOIS_2012,
        )
        day_2012 = f"Hypothèse : action non datée par la fiche ; jour ({BOIS_2012}) supposé."
        self.approve(
            "ecoconstruction",
            BOIS_2012,
            f"Soutien au marché de l'écoconstruction. {day_2012}",
        )
        self.approve(
            "formation_enise",
            BOIS_2012,
            f"Formation d'ingénieur en apprentissage avec l'ENISE de Saint-Étienne. {day_2012}",
        )
        self.approve(
            "enquete_bois_energie",
            BOIS_2012,
            f"Étude préalable sur la ressource bois énergie. {day_2012}",
        )
        self.fundings["enquete_bois_energie"] = self.app.grant_funding(
            self.ctx,
            self.projects["enquete_bois_energie"],
            self.orgs["roanne_territoire"],
            FundingKind.STUDY,
            self.by_bureau(
                BOIS_2012,
                "L'association « finance les études préalables » : enquête bois énergie."
                f" Montant non publié : montant inconnu. {day_2012}",
            ),
            amount=None,
        ).id

    # --- Écologie industrielle: 20+ companies, the waste decision pending ------------------
    def ecologie_industrielle(self) -> None:
        self.register(
            "entreprises_ecologie",
            "Entreprises associées à l'écologie industrielle (plus de 20, agroalimentaire et"
            " autres ; noms non publiés)",
            OrganisationKind.OTHER,
            ECOLOGIE_PROPOSED,
        )
        self.join_group("ecologie_industrielle", "entreprises_ecologie", ECOLOGIE_PROPOSED)
        project = self.propose(
            "ecologie_industrielle",
            "ecologie_industrielle",
            "Écologie industrielle : solutions mutualisées de gestion des flux et décision sur"
            " le traitement des déchets industriels du territoire (plus de 20 entreprises)",
            ECOLOGIE_PROPOSED,
            partners={"entreprises_ecologie": "entreprises participantes (plus de 20)"},
        )
        # The decision on the treatment of industrial waste is still to come: stays proposed.
        self.app.reach_milestone(
            self.ctx,
            project,
            "Plus de 20 entreprises associées (constat de la fiche)",
            SHEET_UPDATED,
        )

    # --- End 2012: the 6th axis, territorial marketing "Roanne 2025" -----------------------
    def marketing_territorial(self) -> None:
        self.register(
            "ville_de_roanne", "Ville de Roanne", OrganisationKind.PUBLIC_BODY, AXIS_LAUNCHED
        )
        self.launch(
            "marketing_territorial",
            "Marketing territorial – Roanne 2025",
            FiliereKind.AXIS,
            AXIS_LAUNCHED,
            (
                "Travailler l'attractivité du Roannais via la démarche de marketing"
                " territorial « Roanne 2025 »",
                "Construire une vision stratégique partagée par les acteurs du Roannais",
            ),
            "6e axe de travail, issu des travaux sur les filières fin 2012, conduit en"
            " partenariat avec la Région Rhône-Alpes et la Ville de Roanne. Hypothèse : jour"
            f" ({AXIS_LAUNCHED.isoformat()}) supposé, la fiche ne donnant que « fin 2012 ».",
        )
        for org in ("region", "ville_de_roanne"):
            self.join_group("marketing_territorial", org, AXIS_LAUNCHED)
