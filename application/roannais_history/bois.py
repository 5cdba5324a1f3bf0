"""Chapter Bois: network, recruitment, écoconstruction, ENISE and the wood-energy survey."""

from application.funding_commands import GrantFunding
from application.roannais_history.facts import BOIS_2011, BOIS_2012
from application.roannais_history.recorder import HistoryRecorder
from domain.funding import FundingKind
from domain.organisation import OrganisationKind


class BoisChapter(HistoryRecorder):
    """The Bois filière's 2011 and 2012 actions and the funded wood-energy survey."""

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
            GrantFunding(
                project_id=self.projects["enquete_bois_energie"],
                funder_id=self.orgs["roanne_territoire"],
                kind=FundingKind.STUDY,
                decision=self.by_bureau(
                    BOIS_2012,
                    "L'association « finance les études préalables » : enquête bois énergie."
                    f" Montant non publié : montant inconnu. {day_2012}",
                ),
                amount=None,
            ),
        ).id
