"""Chapter Déconstruction: CIDER, the industrial unit and the State's support."""

from application.body_commands import ConstituteBody
from application.funding_commands import GrantFunding
from application.roannais_history.facts import (
    CIDER_CREATED,
    DECONSTRUCTION_APPROVED,
    SHEET_UPDATED,
)
from application.roannais_history.recorder import HistoryRecorder
from domain.funding import FundingKind
from domain.governing_body import BodyKind
from domain.organisation import OrganisationKind


class DeconstructionChapter(HistoryRecorder):
    """The Déconstruction filière's projects, their approval and the State's support."""

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
            ConstituteBody(
                name="État (décision de soutien)",
                kind=BodyKind.EXTERNAL,
                constituted_on=SHEET_UPDATED,
                organisation_id=self.orgs["etat"],
            ),
        ).id
        self.fundings["etat_deconstruction"] = self.app.grant_funding(
            self.ctx,
            GrantFunding(
                project_id=self.projects["deconstruction_global"],
                funder_id=self.orgs["etat"],
                kind=FundingKind.UNKNOWN,
                nature=None,
                decision=self.by_external_body(
                    "etat",
                    SHEET_UPDATED,
                    "Le projet global « bénéficie d'un soutien par l'État ». Montant et forme du"
                    " soutien non publiés : montant inconnu. Hypothèse : la date de la décision"
                    " n'est pas publiée ; elle est datée de la mise à jour de la fiche (avril"
                    " 2013), où le soutien est constaté.",
                ),
                amount=None,
            ),
        ).id
