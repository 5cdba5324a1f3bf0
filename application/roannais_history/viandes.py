"""Chapter Viandes: the 2011 call for projects, its candidacies and accompanied projects."""

from datetime import timedelta

from application.call_commands import (
    CloseSubmissions,
    ConcludeCall,
    DecideCandidacy,
    LaunchCall,
    Outcome,
    SubmitCandidacy,
)
from application.project_commands import ProposeProject
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
            LaunchCall(
                filiere_id=self.filieres["viandes"],
                title="Appel à projets Filière Viandes : démarches innovantes des professionnels de"
                " l'agro-alimentaire",
                kind=CallKind.CALL_FOR_PROJECTS,
                issuer_id=self.orgs["roanne_territoire"],
                opens_on=VIANDES_CALL_LAUNCHED,
                closes_on=VIANDES_CALL_CLOSES,
                decision=self.by_bureau(
                    VIANDES_CALL_LAUNCHED,
                    "Déceler les démarches innovantes des professionnels de l'agro-alimentaire."
                    " Ni enveloppe ni nombre de lauréats publiés. Hypothèse : lancé en 2011 (jour"
                    " supposé) ; dates d'ouverture et de clôture supposées, la fiche disant"
                    " seulement que les candidatures ont été reçues fin 2011.",
                ),
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
                SubmitCandidacy(
                    call_id=call,
                    candidate_id=candidate,
                    project_title=f"Démarche innovante du candidat {number} (intitulé non publié)",
                    submitted_on=submitted_on,
                    requested_amount=None,
                ),
            )
            assert result.candidacy_id is not None
            candidacies.append(result.candidacy_id)
        self.app.close_submissions(
            self.ctx, CloseSubmissions(call_id=call, closed_on=VIANDES_CALL_CLOSES)
        )
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
                DecideCandidacy(
                    call_id=call,
                    candidacy_id=candidacy,
                    outcome=Outcome.SELECTED if selected else Outcome.REJECTED,
                    decision=self.by_bureau(VIANDES_DECIDED, rationale),
                ),
            )
            (self.selected if selected else self.rejected).append(candidacy)
        self.app.conclude_call(
            self.ctx,
            ConcludeCall(
                call_id=call,
                decision=self.by_bureau(
                    VIANDES_DECIDED,
                    "Appel à projets conclu : 7 candidatures reçues fin 2011, 4 retenues, 3 non"
                    f" retenues. Hypothèse : jour ({VIANDES_DECIDED.isoformat()}) supposé.",
                ),
            ),
        )
        for number, candidacy in enumerate(self.selected, start=1):
            key = f"viandes_{number}"
            project = self.app.propose_project(
                self.ctx,
                ProposeProject(
                    filiere_id=self.filieres["viandes"],
                    title=f"Projet accompagné {number} de l'appel à projets Viandes"
                    " (intitulé non publié)",
                    proposed_on=VIANDES_DECIDED,
                    partners=(
                        ProjectPartner(
                            organisation_id=self.orgs[f"candidat_viandes_{number}"],
                            role="porteur du projet",
                        ),
                    ),
                    origin_call_id=call,
                    origin_candidacy_id=candidacy,
                ),
            ).id
            self.projects[key] = project
            self.viandes_projects.append(project)
            self.approve(
                key,
                VIANDES_DECIDED,
                "Projet issu d'une candidature retenue ; « quatre projets sont aujourd'hui"
                f" accompagnés ». Hypothèse : jour ({VIANDES_DECIDED.isoformat()}) supposé.",
            )
