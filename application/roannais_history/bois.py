"""Chapter Bois: network, recruitment, écoconstruction, ENISE and the wood-energy survey.

The sheet lists the Bois actions as lines of work of the filière, some led by
others (the CRPF, the site de proximité): it reports no decision on them, so
they are recorded as projects of the filière, not approved by the bureau.
"""

from application.funding_commands import GrantFunding
from application.roannais_history.facts import (
    BOIS,
    BOIS_2011,
    BOIS_2012,
    OBJECTIFS,
    REGISTERED_WHEN_NAMED,
)
from application.roannais_history.recorder import HistoryRecorder
from domain.funding import FundingKind
from domain.organisation import OrganisationKind

UNDATED_2011 = (
    "La fiche ne date pas les actions de la filière Bois : les premières (réseau,"
    f" recrutement) sont supposées engagées le {BOIS_2011}."
)
UNDATED_2012 = (
    "La fiche ne date pas les actions de la filière Bois : les suivantes (écoconstruction,"
    f" ENISE, enquête bois énergie) sont supposées engagées le {BOIS_2012}."
)


class BoisChapter(HistoryRecorder):
    """The Bois filière's actions and the wood-energy survey the association finances."""

    # --- Bois: network, recruitment, écoconstruction, wood-energy survey -------------------
    def bois(self) -> None:
        with self.citing(BOIS, UNDATED_2011):
            self._bois_2011()
        with self.citing(BOIS, UNDATED_2012):
            self._bois_2012()

    def _bois_2011(self) -> None:
        self.register(
            "crpf",
            "Centre Régional de la Propriété Forestière (CRPF)",
            OrganisationKind.PUBLIC_BODY,
            BOIS_2011,
            REGISTERED_WHEN_NAMED,
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

    def _bois_2012(self) -> None:
        self.register(
            "interforetbois42",
            "InterForetBois42",
            OrganisationKind.ASSOCIATION,
            BOIS_2012,
            REGISTERED_WHEN_NAMED,
        )
        self.register(
            "enise",
            "École Nationale d'Ingénieurs de Saint-Étienne (ENISE)",
            OrganisationKind.SCHOOL,
            BOIS_2012,
            REGISTERED_WHEN_NAMED,
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
        with self.citing(OBJECTIFS):
            self.fundings["enquete_bois_energie"] = self.run(
                GrantFunding(
                    project_id=self.projects["enquete_bois_energie"],
                    funder_id=self.orgs["roanne_territoire"],
                    kind=FundingKind.STUDY,
                    decision=self.by_bureau(
                        BOIS_2012,
                        "L'association « finance les études préalables » : enquête bois"
                        " énergie. Montant non publié : montant inconnu.",
                    ),
                    amount=None,
                ),
                "La fiche dit que l'association finance les études préalables et cite"
                " l'enquête bois énergie parmi les actions de la filière Bois : que"
                " l'association finance cette enquête est supposé.",
            ).id
