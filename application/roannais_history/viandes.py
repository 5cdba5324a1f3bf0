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
    VIANDES,
    VIANDES_CALL_CLOSES,
    VIANDES_CALL_LAUNCHED,
    VIANDES_CANDIDACIES,
    VIANDES_CANDIDATES,
    VIANDES_DECIDED,
    day_assumed,
)
from application.roannais_history.recorder import HistoryRecorder, chapter
from domain.call import CallKind
from domain.organisation import OrganisationKind
from domain.project import ProjectPartner

DECIDED_EARLY_2012 = (
    "La fiche ne date pas le choix des projets (candidatures fin 2011, quatre projets"
    f" « aujourd'hui » accompagnés) : début 2012, le {VIANDES_DECIDED}, est supposé."
)
WHICH_FOUR = (
    "La fiche ne dit pas quelles candidatures ont été retenues : le choix des candidats 1 à 4"
    " est arbitraire."
)
SUBMITTED_END_2011 = (
    "La fiche dit les candidatures reçues « fin 2011 » sans jours : une par jour à partir du"
    f" {VIANDES_CANDIDACIES} est supposé."
)
CANDIDATES_UNNAMED = (
    "La fiche ne nomme aucun candidat et ne dit pas ce que chacun proposait : chacun est"
    " enregistré sous un nom de substitution, « nom non publié »."
)


class ViandesChapter(HistoryRecorder):
    """The Viandes call: seven candidacies, four selected, four projects accompanied."""

    # --- Viandes: the 2011 call for projects -----------------------------------------------
    @chapter(VIANDES)
    def viandes(self) -> None:
        launch = LaunchCall(
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
                " Ni enveloppe ni nombre de lauréats publiés.",
            ),
        )
        self.calls["viandes"] = call = self.run(
            launch,
            "La fiche ne date ni le lancement ni la clôture de l'appel, seulement les"
            f" candidatures « fin 2011 » : ouverture le {VIANDES_CALL_LAUNCHED} et clôture le"
            f" {VIANDES_CALL_CLOSES} supposées.",
            "La fiche ne dit pas qui a décidé l'appel : le bureau, instance décisionnelle,"
            " est supposé l'avoir lancé au nom de l'association.",
        ).id
        candidacies = []
        for number, name in enumerate(VIANDES_CANDIDATES, start=1):
            submitted_on = VIANDES_CANDIDACIES + timedelta(days=number - 1)
            candidate = self.register(
                f"candidat_viandes_{number}",
                name,
                OrganisationKind.COMPANY,
                submitted_on,
                CANDIDATES_UNNAMED,
                SUBMITTED_END_2011,
                "La fiche ne dit pas la forme des candidats (« professionnels de"
                " l'agro-alimentaire ») : entreprise est supposé.",
            )
            self.candidates.append(candidate)
            result = self.run(
                SubmitCandidacy(
                    call_id=call,
                    candidate_id=candidate,
                    project_title=f"Démarche innovante du candidat {number} (intitulé non publié)",
                    submitted_on=submitted_on,
                    requested_amount=None,
                ),
                CANDIDATES_UNNAMED,
                SUBMITTED_END_2011,
            )
            assert result.candidacy_id is not None
            candidacies.append(result.candidacy_id)
        self.run(
            CloseSubmissions(call_id=call, closed_on=VIANDES_CALL_CLOSES),
            day_assumed("la clôture des candidatures (« fin 2011 »)", VIANDES_CALL_CLOSES),
        )
        for number, candidacy in enumerate(candidacies, start=1):
            selected = number <= 4
            rationale = (
                "Candidature retenue : 4 projets sur 7 sont accompagnés."
                if selected
                else "Candidature non retenue : 7 candidats, 4 projets accompagnés."
            )
            self.run(
                DecideCandidacy(
                    call_id=call,
                    candidacy_id=candidacy,
                    outcome=Outcome.SELECTED if selected else Outcome.REJECTED,
                    decision=self.by_bureau(VIANDES_DECIDED, rationale),
                ),
                WHICH_FOUR,
                DECIDED_EARLY_2012,
            )
            (self.selected if selected else self.rejected).append(candidacy)
        self.run(
            ConcludeCall(
                call_id=call,
                decision=self.by_bureau(
                    VIANDES_DECIDED,
                    "Appel à projets conclu : 7 candidatures reçues fin 2011, 4 retenues, 3 non"
                    " retenues.",
                ),
            ),
            DECIDED_EARLY_2012,
        )
        for number, candidacy in enumerate(self.selected, start=1):
            key = f"viandes_{number}"
            project = self.run(
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
                WHICH_FOUR,
                DECIDED_EARLY_2012,
            ).id
            self.projects[key] = project
            self.viandes_projects.append(project)
            self.approve(
                key,
                VIANDES_DECIDED,
                "Projet issu d'une candidature retenue ; « quatre projets sont aujourd'hui"
                " accompagnés ».",
                WHICH_FOUR,
                DECIDED_EARLY_2012,
                "La fiche dit les projets accompagnés, non leur approbation : celle-ci est"
                " supposée prise avec la sélection.",
            )
