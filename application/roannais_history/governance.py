"""Chapter 2005–2013: the association, its partners and bodies, the filières, the coordinator."""

from datetime import date, timedelta

from application.body_commands import ConstituteBody, UnseatMember
from application.organisation_commands import StateFact
from application.roannais_history.facts import (
    AGGLOMERATION_OPENING,
    ASSOCIATION_FOUNDED,
    CONSTITUTION_UNKNOWN,
    CONTACTS,
    CONTEXTE,
    COORDINATOR,
    COORDINATOR_RECRUITED,
    DIRECTORS,
    ENSEIGNEMENTS,
    FILIERES_LAUNCHED,
    OBJECTIFS,
    PARTNERS,
    PAYS_JOINED,
    PAYS_PRESIDENT_2013,
    POINTS_INTERET,
    PRESENTATION,
    PRESIDENTS,
    PROGRAMME_START,
    REGION_INVITED,
    REGION_INVITEE,
    SHEET_UPDATED,
    day_assumed,
)
from application.roannais_history.recorder import HistoryRecorder
from domain.filiere import FiliereKind
from domain.governing_body import BodyKind, SeatRole
from domain.organisation import OrganisationKind

FROM_2009 = (
    "La fiche date de 2009 le début du programme et l'engagement des quatre partenaires"
    f" (« à partir de 2009 ») sans donner de jour : le {PROGRAMME_START} est supposé."
)
SEATED_FROM_2009 = (
    "La fiche décrit la composition des instances à sa date (avril 2013) ; qu'elle vaille"
    " depuis 2009 est supposé."
)


class GovernanceChapter(HistoryRecorder):
    """The association, its partners and bodies, the filières' launch, the coordinator."""

    # --- 2005–2009: the association, its partners and its bodies ---------------------------
    def governance(self) -> None:
        with self.citing(CONTEXTE):
            self.register(
                "roanne_territoire",
                "Roanne Territoire",
                OrganisationKind.ASSOCIATION,
                ASSOCIATION_FOUNDED,
                "La fiche dit l'association fondée en 2005 sans jour ni mois : le"
                f" {ASSOCIATION_FOUNDED} est supposé.",
            )
            for key, name in PARTNERS.items():
                self.register(key, name, OrganisationKind.PARTNER, PROGRAMME_START, FROM_2009)
        self.association_facts()
        association = self.orgs["roanne_territoire"]
        with self.citing(PRESENTATION, CONSTITUTION_UNKNOWN):
            for key, name, kind in (
                ("bureau", "Bureau de Roanne Territoire", BodyKind.BUREAU),
                ("directoire", "Directoire de Roanne Territoire", BodyKind.DIRECTOIRE),
                (
                    "advisory_council",
                    "Conseil d'orientation de Roanne Territoire",
                    BodyKind.ADVISORY_COUNCIL,
                ),
            ):
                command = ConstituteBody(name=name, kind=kind, organisation_id=association)
                self.bodies[key] = self.run(command).id
        bureau, directoire = self.bodies["bureau"], self.bodies["directoire"]
        # The bureau: the partner presidents in equal number; the directoire attends it.
        with self.citing(PRESENTATION, FROM_2009, SEATED_FROM_2009):
            for key in PARTNERS:
                self.seat(bureau, PRESIDENTS[key], key, SeatRole.VOTING, PROGRAMME_START)
            for key in PARTNERS:
                self.seat(bureau, DIRECTORS[key], key, SeatRole.PARTICIPANT, PROGRAMME_START)
            # The directoire: the partners' directors or their representatives.
            for key in PARTNERS:
                self.seat(directoire, DIRECTORS[key], key, SeatRole.PARTICIPANT, PROGRAMME_START)
        # The conseil d'orientation: its institutional partners are not named; nobody seated.

    def association_facts(self) -> None:
        """What the sheet says of the association that is no decision: perimeter, reach,
        and how its partnership formed."""
        association = self.orgs["roanne_territoire"]

        def state(topic: str, statement: str, on: date, *assumptions: str) -> None:
            command = StateFact(
                organisation_id=association, topic=topic, statement=statement, stated_on=on
            )
            self.run(command, *assumptions)

        with self.citing(ENSEIGNEMENTS):
            state(
                "ouverture",
                "Dynamique d'ouverture de l'agglomération en 2008, au début de son mandat,"
                " facteur facilitant qui a conduit à l'intégration du pays dans Roanne"
                " Territoire.",
                AGGLOMERATION_OPENING,
                day_assumed("l'ouverture de l'agglomération (« en 2008 »)", AGGLOMERATION_OPENING),
            )
            state(
                "membres",
                "Intégration du pays (Roannais Pays de Rhône-Alpes) dans Roanne Territoire en"
                " 2009, confortant ses rôles et missions sur le volet du développement"
                " économique.",
                PAYS_JOINED,
                day_assumed("l'intégration du pays (« en 2009 »)", PAYS_JOINED),
            )
        with self.citing(CONTEXTE):
            state(
                "périmètre",
                "Périmètre 2013 : 5 communautés de communes et 1 communauté d'agglomération.",
                SHEET_UPDATED,
                "La fiche donne le périmètre de 2013 : il est daté de sa mise à jour (avril 2013).",
            )
            state(
                "entreprises concernées",
                "Quelque 6 000 entreprises industrielles, commerciales et prestataires de"
                " services de l'arrondissement de Roanne sont potentiellement concernées par"
                " le programme d'action.",
                SHEET_UPDATED,
                "La fiche ne date pas ce chiffre : il est daté de sa mise à jour (avril 2013).",
            )

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
            " travaux des partenaires."
        )
        launched_2009 = (
            "La fiche ne date pas le repérage des filières : il est supposé au début du"
            f" programme (« Date de début : 2009 »), le {FILIERES_LAUNCHED}."
        )
        with self.citing(OBJECTIFS):
            for key, name in names.items():
                self.launch(
                    key,
                    name,
                    FiliereKind.FILIERE,
                    FILIERES_LAUNCHED,
                    objectives[key],
                    grounds,
                    launched_2009,
                )

    # --- 2011-01: the chargé de mission filières -------------------------------------------
    def seat_coordinator(self) -> None:
        # Recruited by Grand Roanne Agglomération and seconded part-time to the association.
        with self.citing(PRESENTATION):
            self.seat(
                self.bodies["directoire"],
                COORDINATOR,
                "grand_roanne",
                SeatRole.COORDINATOR,
                COORDINATOR_RECRUITED,
                day_assumed("le recrutement (« en janvier 2011 »)", COORDINATOR_RECRUITED),
                "La fiche ne dit pas où siège le chargé de mission : il est placé au"
                " directoire, l'instance technique qu'il sert.",
            )

    # --- 2013-04: the governance as the sheet describes it at its date ---------------------
    def governance_at_the_sheets_date(self) -> None:
        bureau = self.bodies["bureau"]
        with self.citing(CONTACTS):
            self.run(
                UnseatMember(
                    body_id=bureau,
                    person=PRESIDENTS["pays"],
                    until=SHEET_UPDATED - timedelta(days=1),
                ),
                "La fiche nomme Georges Bernat président du Pays à sa date seulement : le siège"
                " du Pays est tenu jusque-là par un(e) président(e) non nommé(e), qui peut être"
                " la même personne.",
            )
            self.seat(
                bureau,
                PAYS_PRESIDENT_2013,
                "pays",
                SeatRole.VOTING,
                SHEET_UPDATED,
                "Georges Bernat est « Président Roannais Pays de Rhône-Alpes » à la date de la"
                " fiche (avril 2013) ; qu'il siège au bureau découle de sa composition par les"
                " présidents ; depuis quand n'est pas dit.",
            )
        with self.citing(POINTS_INTERET):
            self.seat(
                bureau,
                REGION_INVITEE,
                "region",
                SeatRole.INVITEE,
                REGION_INVITED,
                "La fiche présente la Région « invitée permanente du bureau » comme un"
                " renforcement de la gouvernance initiale, sans date : elle est enregistrée à"
                " la date de la fiche (avril 2013).",
            )
