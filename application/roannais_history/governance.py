"""Chapter 2005–2011: the association's governance, the five filières, the coordinator."""

from application.body_commands import ConstituteBody
from application.roannais_history.facts import (
    ASSOCIATION_FOUNDED,
    COORDINATOR,
    COORDINATOR_RECRUITED,
    DIRECTORS,
    FILIERES_LAUNCHED,
    PARTNERS,
    PRESIDENTS,
    PROGRAMME_START,
    REGION_INVITED,
    REGION_INVITEE,
)
from application.roannais_history.recorder import HistoryRecorder
from domain.filiere import FiliereKind
from domain.governing_body import BodyKind, SeatRole
from domain.organisation import OrganisationKind


class GovernanceChapter(HistoryRecorder):
    """The association, its partners and bodies, the filières' launch, the coordinator."""

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
        for key, name, kind in (
            ("bureau", "Bureau de Roanne Territoire", BodyKind.BUREAU),
            ("directoire", "Directoire de Roanne Territoire", BodyKind.DIRECTOIRE),
            (
                "advisory_council",
                "Conseil d'orientation de Roanne Territoire",
                BodyKind.ADVISORY_COUNCIL,
            ),
        ):
            constitute = ConstituteBody(
                name=name, kind=kind, constituted_on=PROGRAMME_START, organisation_id=association
            )
            self.bodies[key] = self.app.execute(self.ctx, constitute).id
        bureau, directoire = self.bodies["bureau"], self.bodies["directoire"]
        # The bureau: the partner presidents in equal number; the directoire attends it.
        for key in PARTNERS:
            self.seat(bureau, PRESIDENTS[key], key, SeatRole.VOTING, PROGRAMME_START)
        for key in PARTNERS:
            self.seat(bureau, DIRECTORS[key], key, SeatRole.PARTICIPANT, PROGRAMME_START)
        self.seat(bureau, REGION_INVITEE, "region", SeatRole.INVITEE, REGION_INVITED)
        # The directoire: the partners' directors or their representatives.
        for key in PARTNERS:
            self.seat(directoire, DIRECTORS[key], key, SeatRole.PARTICIPANT, PROGRAMME_START)
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

    # --- 2011-01: the chargé de mission filières -------------------------------------------
    def seat_coordinator(self) -> None:
        # Recruited by Grand Roanne Agglomération and seconded part-time to the association.
        self.seat(
            self.bodies["directoire"],
            COORDINATOR,
            "grand_roanne",
            SeatRole.COORDINATOR,
            COORDINATOR_RECRUITED,
        )
