"""Chapters Écologie industrielle and the 6th axis, Marketing territorial "Roanne 2025"."""

from application.project_commands import ReachMilestone
from application.roannais_history.facts import AXIS_LAUNCHED, ECOLOGIE_PROPOSED, SHEET_UPDATED
from application.roannais_history.recorder import HistoryRecorder
from domain.filiere import FiliereKind
from domain.organisation import OrganisationKind


class EcologieIndustrielleChapter(HistoryRecorder):
    """The écologie industrielle project: 20+ companies, the waste decision pending."""

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
            ReachMilestone(
                project_id=project,
                label="Plus de 20 entreprises associées (constat de la fiche)",
                reached_on=SHEET_UPDATED,
            ),
        )


class MarketingTerritorialChapter(HistoryRecorder):
    """The 6th axis, launched at the end of 2012 with the Région and the Ville de Roanne."""

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
