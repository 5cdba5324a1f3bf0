"""Chapter Numérique: the answer to the Massif Central AMI on télémédecine."""

from application.call_commands import LaunchCall, SubmitCandidacy
from application.roannais_history.facts import (
    AMI_ANSWERED,
    AMI_CLOSES,
    AMI_OPENS,
    NUMERIQUE,
    REGISTERED_WHEN_NAMED,
)
from application.roannais_history.recorder import HistoryRecorder, chapter
from domain.call import CallKind
from domain.organisation import OrganisationKind

AMI_UNDATED = (
    "La fiche ne date ni l'AMI ni la réponse : ouverture le"
    f" {AMI_OPENS}, clôture le {AMI_CLOSES} et réponse le {AMI_ANSWERED} (2012) sont supposées."
)


class NumeriqueChapter(HistoryRecorder):
    """The Numérique filière's partners and its answer to the Massif Central AMI."""

    # --- Numérique: the answer to the Massif Central AMI -----------------------------------
    @chapter(NUMERIQUE, AMI_UNDATED)
    def numerique(self) -> None:
        self.register(
            "massif_central",
            "Programme interrégional Massif Central",
            OrganisationKind.PUBLIC_BODY,
            AMI_OPENS,
            REGISTERED_WHEN_NAMED,
        )
        self.external_body(
            "massif_central",
            "Programme interrégional Massif Central (instance de décision)",
            "La fiche ne nomme pas l'instance qui a lancé l'AMI : une instance du programme"
            " Massif Central est supposée.",
        )
        self.register(
            "carestream",
            "CARESTREAM",
            OrganisationKind.COMPANY,
            AMI_OPENS,
            REGISTERED_WHEN_NAMED,
        )
        self.register(
            "numeriparc",
            "Numériparc (espace d'entreprises, datacenter certifié ISO 27001, pépinière)",
            OrganisationKind.OTHER,
            AMI_OPENS,
            REGISTERED_WHEN_NAMED,
        )
        self.register(
            "numelink", "NUMELINK", OrganisationKind.CLUSTER, AMI_OPENS, REGISTERED_WHEN_NAMED
        )
        for org in ("carestream", "numeriparc", "numelink"):
            self.join_group(
                "numerique",
                org,
                AMI_OPENS,
                "La fiche les associe à la réponse partenariale, non au groupe projet :"
                " leur participation au groupe de la filière est supposée.",
            )
        self.calls["telemedecine"] = call = self.run(
            LaunchCall(
                filiere_id=self.filieres["numerique"],
                title="Télémédecine et télésanté : pour une stratégie d'action interrégionale",
                kind=CallKind.CALL_FOR_EXPRESSIONS_OF_INTEREST,
                issuer_id=self.orgs["massif_central"],
                opens_on=AMI_OPENS,
                closes_on=AMI_CLOSES,
                decision=self.by_external_body(
                    "massif_central",
                    AMI_OPENS,
                    "Appel à manifestation d'intérêt du Massif Central, auquel Roanne Territoire"
                    " a répondu.",
                ),
            )
        ).id
        title = (
            "Maintien à domicile et limitation de l'hospitalisation par la télésanté et la"
            " télémédecine"
        )
        result = self.run(
            SubmitCandidacy(
                call_id=call,
                candidate_id=self.orgs["roanne_territoire"],
                project_title=title,
                submitted_on=AMI_ANSWERED,
            )
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
