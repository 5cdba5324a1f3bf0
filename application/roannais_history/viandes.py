"""Chapter Viandes: the 2011 call for projects, its candidacies and accompanied projects."""

from datetime import timedelta

from application.call_commands import Outcome
from application.roannais_history.facts import (
    VIANDES_CALL_CLOSES,
    VIANDES_CALL_LAUNCHED,
    VIANDES_CANDIDACIES,
    VIANDES_CANDIDATES,
    VIANDES_DECIDED,
)
from application.roannais_history.recorder import HistoryRecorder
from domain.call import CallKind
from domain.organisation import OrganisationKind
from domain.project import ProjectPartner


class ViandesChapter(HistoryRecorder):
    """The Viandes call: seven candidacies, four selected, four projects accompanied."""

    # --- Viandes: the 2011 call for projects -----------------------------------------------
    def viandes(self) -> None:
        self.calls["viandes"] = call = self.app.launch_call(
            self.ctx,
            self.filieres["viandes"],
            "Appel à projets Filière Viandes : démarches innovantes des professionnels de"
            " l'agro-alimentaire",
            CallKind.CALL_FOR_PROJECTS,
            self.orgs["roanne_territoire"],
            VIANDES_CALL_LAUNCHED,
            VIANDES_CALL_CLOSES,
            self.by_bureau(
                VIANDES_CALL_LAUNCHED,
                "Déceler les démarches innovantes des professionnels de l'agro-alimentaire."
                " Ni enveloppe ni nombre de lauréats publiés. Hypothèse : lancé en 2011 (jour"
                " supposé) ; dates d'ouverture et de clôture supposées, la fiche disant"
                " seulement que les candidatures ont été reçues fin 2011.",
            ),
        ).id
        candidacies = []
        for number, name in enumerate(VIANDES_CANDIDATES, start=1):
            submitted_on = VIANDES_CANDIDACIES + timedelta(days=number - 1)
            candidate = self.register(
                f"candidat_viandes_{number}", name, OrganisationKind.COMPANY, submitted_on
            )
            self.candidates.append(candidate)
            result = self.app.submit_candidacy(
                self.ctx,
                call,
                candidate,
                f"Démarche innovante du candidat {number} (intitulé non publié)",
                submitted_on,
                requested_amount=None,
            )
            assert result.candidacy_id is not None
            candidacies.append(result.candidacy_id)
        self.app.close_submissions(self.ctx, call, VIANDES_CALL_CLOSES)
        which = (
            "Hypothèse : la fiche ne dit pas quelles candidatures ont été retenues ; le"
            " choix des candidats 1 à 4 est arbitraire. Hypothèse : décision début 2012,"
            f" jour ({VIANDES_DECIDED.isoformat()}) supposé."
        )
        for number, candidacy in enumerate(candidacies, start=1):
            selected = number <= 4
            rationale = (
                f"Candidature retenue : 4 projets sur 7 sont accompagnés. {which}"
                if selected
                else f"Candidature non retenue : 7 candidats, 4 projets accompagnés. {which}"
            )
            self.app.decide_candidacy(
                self.ctx,
                call,
                candidacy,
                Outcome.SELECTED if selected else Outcome.REJECTED,
                self.by_bureau(VIANDES_DECIDED, rationale),
            )
            (self.selected if selected else self.rejected).append(candidacy)
        self.app.conclude_call(
            self.ctx,
            call,
            self.by_bureau(
                VIANDES_DECIDED,
                "Appel à projets conclu : 7 candidatures reçues fin 2011, 4 retenues, 3 non"
                f" retenues. Hypothèse : jour ({VIANDES_DECIDED.isoformat()}) supposé.",
            ),
        )
        for number, candidacy in enumerate(self.selected, start=1):
            key = f"viandes_{number}"
            project = self.app.propose_project(
                self.ctx,
                self.filieres["viandes"],
                f"Projet accompagné {number} de l'appel à projets Viandes (intitulé non publié)",
                VIANDES_DECIDED,
                partners=(
                    ProjectPartner(
                        organisation_id=self.orgs[f"candidat_viandes_{number}"],
                        role="porteur du projet",
                    ),
                ),
                origin_call_id=call,
                origin_candidacy_id=candidacy,
            ).id
            self.projects[key] = project
            self.viandes_projects.append(project)
            self.approve(
                key,
                VIANDES_DECIDED,
                "Projet issu d'une candidature retenue ; « quatre projets sont aujourd'hui"
                f" accompagnés ». Hypothèse : jour ({VIANDES_DECIDED.isoformat()}) supposé.",
            )
