"""Chapter Déconstruction: one global project with two actions, and the State's support."""

from application.funding_commands import GrantFunding
from application.project_commands import ReachMilestone
from application.roannais_history.facts import (
    CIDER_CREATED,
    DECONSTRUCTION,
    DECONSTRUCTION_APPROVED,
    REGISTERED_WHEN_NAMED,
    SHEET_UPDATED,
    day_assumed,
)
from application.roannais_history.recorder import HistoryRecorder, chapter
from domain.funding import FundingKind
from domain.organisation import OrganisationKind

ACTIONS_UNDER_WAY = (
    "La fiche dit les deux actions « engagées » à sa date sans dire depuis quand : elles sont"
    " datées de sa mise à jour (avril 2013)."
)


class DeconstructionChapter(HistoryRecorder):
    """The Déconstruction filière's global project, its two actions and the State's support."""

    # --- Déconstruction: CIDER, the industrial unit, the State's support -------------------
    @chapter(DECONSTRUCTION)
    def deconstruction(self) -> None:
        self.register(
            "cider",
            "CIDER (Centre d'ingénierie pour la déconstruction des équipements roulants)",
            OrganisationKind.ASSOCIATION,
            CIDER_CREATED,
            day_assumed("la création de CIDER (« créé en 2011 »)", CIDER_CREATED),
        )
        for key, name in (
            ("aprres", "APRRES"),
            ("bartin", "Bartin Recycling (filiale du groupe Veolia)"),
        ):
            self.register(
                key,
                name,
                OrganisationKind.COMPANY,
                CIDER_CREATED,
                REGISTERED_WHEN_NAMED,
                "La fiche ne date pas le projet industriel : il est placé en 2011 avec CIDER.",
            )
        for org in ("cider", "aprres", "bartin"):
            self.join_group(
                "deconstruction",
                org,
                CIDER_CREATED,
                "La fiche les associe aux actions de la filière : leur participation au groupe"
                " projet, et sa date, sont supposées.",
            )
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
            assumptions=("La fiche ne date pas le projet global : 2011, avec CIDER, est supposé.",),
        )
        self.approve(
            "deconstruction_global",
            DECONSTRUCTION_APPROVED,
            "Projet global de pôle national identifié de déconstruction, estimé à 18 millions"
            " d'euros, réunissant les deux actions engagées.",
            "La fiche ne rapporte pas l'approbation du projet global : elle est déduite des"
            f" actions engagées, et supposée le {DECONSTRUCTION_APPROVED}.",
        )
        self.start("deconstruction_global", SHEET_UPDATED, ACTIONS_UNDER_WAY)
        for action in (
            "Action engagée : création d'un centre de compétences sur la déconstruction des"
            " matériels roulants, animé par l'association CIDER",
            "Action engagée : projet industriel, création d'une 1ère unité de production en"
            " partenariat avec APRRES et Bartin Recycling (filiale du groupe Veolia)",
        ):
            self.run(
                ReachMilestone(
                    project_id=self.projects["deconstruction_global"],
                    label=action,
                    reached_on=SHEET_UPDATED,
                ),
                ACTIONS_UNDER_WAY,
            )
        # The State's support: no amount, no date, no form, nobody named in the sheet.
        self.register(
            "etat", "État", OrganisationKind.PUBLIC_BODY, SHEET_UPDATED, REGISTERED_WHEN_NAMED
        )
        self.external_body(
            "etat",
            "État (décision de soutien)",
            "La fiche ne dit pas quelle autorité de l'État a décidé le soutien.",
        )
        self.fundings["etat_deconstruction"] = self.run(
            GrantFunding(
                project_id=self.projects["deconstruction_global"],
                funder_id=self.orgs["etat"],
                kind=FundingKind.UNKNOWN,
                nature=None,
                decision=self.by_external_body(
                    "etat",
                    SHEET_UPDATED,
                    "Le projet global « bénéficie d'un soutien par l'État ». Montant et forme du"
                    " soutien non publiés : montant inconnu.",
                ),
                amount=None,
            ),
            "La date de la décision n'est pas publiée : elle est datée de la mise à jour de la"
            " fiche (avril 2013), où le soutien est constaté.",
        ).id
