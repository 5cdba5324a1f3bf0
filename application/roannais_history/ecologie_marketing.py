"""Chapters Écologie industrielle and the 6th axis, Marketing territorial "Roanne 2025"."""

from application.project_commands import ReachMilestone
from application.roannais_history.facts import (
    AXIS_LAUNCHED,
    ECOLOGIE,
    ECOLOGIE_PROPOSED,
    OBJECTIFS,
    POINTS_INTERET,
    REGISTERED_WHEN_NAMED,
    SHEET_UPDATED,
    day_assumed,
)
from application.roannais_history.recorder import HistoryRecorder, chapter
from domain.filiere import FiliereKind
from domain.organisation import OrganisationKind

UNDER_WAY_AT_THE_SHEETS_DATE = (
    "La fiche dit le projet en cours à sa date (« associe aujourd'hui plus de 20 entreprises »)"
    " sans dire depuis quand : il est daté de sa mise à jour (avril 2013)."
)


class EcologieIndustrielleChapter(HistoryRecorder):
    """The écologie industrielle project: under way with 20+ companies, the waste decision
    still to come."""

    # --- Écologie industrielle: 20+ companies, the waste decision pending ------------------
    @chapter(ECOLOGIE)
    def ecologie_industrielle(self) -> None:
        started = (
            "La fiche ne date pas le début du projet d'écologie industrielle : le"
            f" {ECOLOGIE_PROPOSED} est supposé."
        )
        self.register(
            "entreprises_ecologie",
            "Entreprises associées à l'écologie industrielle (plus de 20, agroalimentaire et"
            " autres ; noms non publiés)",
            OrganisationKind.OTHER,
            ECOLOGIE_PROPOSED,
            "La fiche ne nomme pas les entreprises : elles sont enregistrées ensemble, sous un"
            " nom qui le dit.",
            started,
        )
        self.join_group("ecologie_industrielle", "entreprises_ecologie", ECOLOGIE_PROPOSED, started)
        self.propose(
            "ecologie_industrielle",
            "ecologie_industrielle",
            "Écologie industrielle : solutions mutualisées de gestion des flux et décision sur"
            " le traitement des déchets industriels du territoire (plus de 20 entreprises)",
            ECOLOGIE_PROPOSED,
            partners={"entreprises_ecologie": "entreprises participantes (plus de 20)"},
            assumptions=(started,),
        )
        self.approve(
            "ecologie_industrielle",
            ECOLOGIE_PROPOSED,
            "Projet d'écologie industrielle associant les entreprises du territoire.",
            started,
            "La fiche ne rapporte pas l'approbation du projet : elle est déduite de ce qu'il"
            " est en cours.",
        )
        self.start("ecologie_industrielle", SHEET_UPDATED, UNDER_WAY_AT_THE_SHEETS_DATE)
        # The decision on the treatment of industrial waste is still to come.
        self.run(
            ReachMilestone(
                project_id=self.projects["ecologie_industrielle"],
                label="Plus de 20 entreprises associées (agroalimentaire et autres)",
                reached_on=SHEET_UPDATED,
            ),
            UNDER_WAY_AT_THE_SHEETS_DATE,
        )


class MarketingTerritorialChapter(HistoryRecorder):
    """The 6th axis, launched at the end of 2012 with the Région and the Ville de Roanne."""

    # --- End 2012: the 6th axis, territorial marketing "Roanne 2025" -----------------------
    def marketing_territorial(self) -> None:
        end_2012 = day_assumed("le 6e axe (« fin 2012 »)", AXIS_LAUNCHED)
        with self.citing(OBJECTIFS):
            for key, name in (
                ("region", "Région Rhône-Alpes"),
                ("ville_de_roanne", "Ville de Roanne"),
            ):
                self.register(
                    key,
                    name,
                    OrganisationKind.PUBLIC_BODY,
                    AXIS_LAUNCHED,
                    REGISTERED_WHEN_NAMED,
                    end_2012,
                )
        with self.citing(POINTS_INTERET):
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
                " partenariat avec la Région Rhône-Alpes et la Ville de Roanne.",
                end_2012,
            )
        with self.citing(OBJECTIFS):
            for org in ("region", "ville_de_roanne"):
                self.join_group("marketing_territorial", org, AXIS_LAUNCHED, end_2012)
