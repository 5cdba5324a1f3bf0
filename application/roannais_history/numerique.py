"""Chapter Numérique: the answer to the Massif Central AMI on télémédecine."""

from application.body_commands import ConstituteBody
from application.call_commands import LaunchCall, SubmitCandidacy
from application.roannais_history.facts import AMI_ANSWERED, AMI_CLOSES, AMI_OPENS
from application.roannais_history.recorder import HistoryRecorder
from domain.call import CallKind
from domain.governing_body import BodyKind
from domain.organisation import OrganisationKind


class NumeriqueChapter(HistoryRecorder):
    """The Numérique filière's partners and its answer to the Massif Central AMI."""

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
            ConstituteBody(
                name="Programme interrégional Massif Central (instance de décision)",
                kind=BodyKind.EXTERNAL,
                constituted_on=AMI_OPENS,
                organisation_id=self.orgs["massif_central"],
            ),
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
                    " a répondu. Hypothèse : la fiche ne date ni l'AMI ni la réponse ; dates"
                    " d'ouverture et de clôture supposées (2012).",
                ),
            ),
        ).id
        title = (
            "Maintien à domicile et limitation de l'hospitalisation par la télésanté et la"
            " télémédecine"
        )
        result = self.app.submit_candidacy(
            self.ctx,
            SubmitCandidacy(
                call_id=call,
                candidate_id=self.orgs["roanne_territoire"],
                project_title=title,
                submitted_on=AMI_ANSWERED,
            ),
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
