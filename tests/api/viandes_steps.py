"""Steps of the Viandes story told through the HTTP contract alone (this module holds no test)."""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import httpx
from fastapi.testclient import TestClient

from api.bootstrap import Services
from infrastructure.auth_store import Role
from tests.api.http import assert_problem, bearer, event_count

# --- The facts: as application/roannais_history/facts.py records them (days are assumptions) --
PROGRAMME_START = date(2009, 1, 15)
FILIERE_LAUNCHED = date(2009, 6, 15)
CALL_LAUNCHED = date(2011, 9, 15)
CANDIDACIES_FROM = date(2011, 12, 1)  # "Sept candidats ont candidaté fin 2011"
CALL_CLOSES = date(2011, 12, 16)
SELECTION = date(2012, 1, 20)
# The sheet gives no amount for the Viandes projects: the grant below is the test's own figure.
GRANT_DECIDED = date(2012, 3, 15)
GRANT = "30000.00"
PAYMENTS = (("12000.00", date(2012, 6, 29)), ("10500.50", date(2012, 12, 14)))
DISBURSED = "22500.50"

ASSOCIATION = "Roanne Territoire"
PARTNERS = {
    "grand_roanne": "Grand Roanne Agglomération",
    "cci": "Chambre de Commerce et d'Industrie du Roannais",
    "agence_loire": "Agence du Développement Économique de la Loire",
    "pays": "Roannais Pays de Rhône-Alpes",  # chef de file of Viandes in the demo
}
PRESIDENTS = {
    "grand_roanne": "Président(e) de Grand Roanne Agglomération (nom non publié)",
    "cci": "Président(e) de la Chambre de Commerce et d'Industrie du Roannais (nom non publié)",
    "agence_loire": (
        "Président(e) de l'Agence du Développement Économique de la Loire (nom non publié)"
    ),
    "pays": "Georges Bernat",  # "Président Roannais Pays de Rhône-Alpes"
}
BUREAU_VOTERS = tuple(PRESIDENTS.values())
DIRECTOR = "Directeur(trice) ou représentant(e) de Roannais Pays de Rhône-Alpes (nom non publié)"
REGION = "Région Rhône-Alpes"
REGION_INVITEE = "Représentant(e) de la Région Rhône-Alpes (nom non publié)"
REGION_BODY = "Commission permanente de la Région Rhône-Alpes"
REGION_VOTER = "Élu(e) délégué(e) de la Région Rhône-Alpes (nom non publié)"
CANDIDATES = tuple(f"Candidat {n} (nom non publié)" for n in range(1, 8))
CALL_TITLE = (
    "Appel à projets Filière Viandes : démarches innovantes des professionnels de"
    " l'agro-alimentaire"
)


def project_title(number: int) -> str:
    return f"Projet accompagné {number} de l'appel à projets Viandes (intitulé non publié)"


class Story:
    """A client of the API: a recorder's and a reader's token, and the ids it was answered."""

    def __init__(self, client: TestClient, services: Services, tokens: dict[Role, str]) -> None:
        self.client = client
        self.services = services
        self.recorder = bearer(tokens[Role.RECORDER])
        self.reader = bearer(tokens[Role.READER])
        self.ids: dict[str, str] = {}
        self.candidacies: list[str] = []
        self.projects: list[str] = []

    # --- Speaking HTTP ------------------------------------------------------------------------
    def post(self, path: str, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
        return self.client.post(
            path, json=body, headers=self.recorder if headers is None else headers
        )

    def command(self, path: str, body: Any, status: int = 201, **headers: str) -> dict[str, Any]:
        """A command that must succeed; its ETag is the version it answers."""
        response = self.post(path, body, {**self.recorder, **headers})
        assert response.status_code == status, response.text
        answer: dict[str, Any] = response.json()
        assert response.headers["ETag"] == f'"{answer["version"]}"'
        return answer

    def get(self, path: str, **params: str) -> httpx.Response:
        response = self.client.get(path, params=params or None, headers=self.reader)
        assert response.status_code == 200, response.text
        return response

    def read(self, path: str, **params: str) -> Any:
        return self.get(path, **params).json()

    def refused(
        self,
        status: int,
        path: str,
        body: Any,
        *words: str,
        reads: Iterable[str] = (),
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """The command is refused with `status` and leaves no trace: log and `reads` unchanged."""
        reads = ["/filieres", *reads]
        count = event_count(self.services)
        before = [self._snapshot(read) for read in reads]
        problem = assert_problem(self.post(path, body, headers), status, *words)
        assert event_count(self.services) == count, f"refused {path} wrote to the log"
        assert [self._snapshot(read) for read in reads] == before, f"refused {path} left a trace"
        return problem

    def _snapshot(self, path: str) -> tuple[Any, str | None]:
        response = self.get(path)
        return response.json(), response.headers.get("ETag")

    # --- Decisions ----------------------------------------------------------------------------
    def by_bureau(
        self, on: date, rationale: str, by: Iterable[str] = BUREAU_VOTERS, body: str = "bureau"
    ) -> dict[str, Any]:
        return {
            "body_id": self.ids[body],
            "decided_on": on.isoformat(),
            "decided_by": list(by),
            "sitting_not_published": True,
            "rationale": rationale,
            "reference": f"PV du bureau du {on:%d/%m/%Y}",
            "vote": {"for": 4, "against": 0, "abstain": 0},
        }

    def by_region(self, on: date, rationale: str) -> dict[str, Any]:
        return {
            "body_id": self.ids["region_body"],
            "decided_on": on.isoformat(),
            "decided_by": [REGION_VOTER],
            "rationale": rationale,
            "reference": f"Délibération de la commission permanente du {on:%d/%m/%Y}",
        }


# --- The story's steps, each through the documented commands ---------------------------------
def register(story: Story, key: str, name: str, kind: str) -> str:
    story.ids[key] = story.command("/organisations", {"name": name, "kind": kind})["id"]
    return story.ids[key]


def register_organisations(story: Story) -> None:
    register(story, "association", ASSOCIATION, "association")
    for key, name in PARTNERS.items():
        register(story, key, name, "partner")
    register(story, "region", REGION, "funder")
    for number, name in enumerate(CANDIDATES, start=1):
        register(story, f"candidate_{number}", name, "company")


def seat(story: Story, body: str, person: str, organisation: str, role: str, on: date) -> None:
    story.command(
        f"/bodies/{story.ids[body]}/members",
        {
            "person": person,
            "organisation_id": story.ids[organisation],
            "role": role,
            "from": on.isoformat(),
        },
        status=200,
    )


def constitute_bureau_and_directoire(story: Story) -> None:
    """The bureau: the four presidents vote, the Region is a permanent invitee; the directoire."""
    for key, name, kind in (
        ("bureau", "Bureau de Roanne Territoire", "bureau"),
        ("directoire", "Directoire de Roanne Territoire", "directoire"),
    ):
        story.ids[key] = story.command("/bodies", {"name": name, "kind": kind})["id"]
    for key, president in PRESIDENTS.items():
        seat(story, "bureau", president, key, "voting", PROGRAMME_START)
    seat(story, "bureau", REGION_INVITEE, "region", "invitee", PROGRAMME_START)
    seat(story, "directoire", DIRECTOR, "pays", "participant", PROGRAMME_START)


def constitute_region_body(story: Story) -> None:
    body = {"name": REGION_BODY, "kind": "external", "organisation_id": story.ids["region"]}
    story.ids["region_body"] = story.command("/bodies", body)["id"]
    seat(story, "region_body", REGION_VOTER, "region", "voting", PROGRAMME_START)


def filiere_launch(story: Story, lead_partner: str, decision: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": "Viandes",
        "kind": "filiere",
        "lead_partner_id": story.ids[lead_partner],
        "launched_on": FILIERE_LAUNCHED.isoformat(),
        "decision": decision,
    }


def launch_filiere(story: Story) -> dict[str, Any]:
    decision = story.by_bureau(
        FILIERE_LAUNCHED,
        "Filière identifiée comme prioritaire. Hypothèse : Roannais Pays de Rhône-Alpes chef"
        " de file, jour supposé.",
    )
    answer = story.command("/filieres", filiere_launch(story, "pays", decision))
    story.ids["filiere"] = answer["id"]
    return answer


def call_launch(story: Story) -> dict[str, Any]:
    return {
        "filiere_id": story.ids["filiere"],
        "title": CALL_TITLE,
        "kind": "call_for_projects",
        "issuer_id": story.ids["association"],
        "opens_on": CALL_LAUNCHED.isoformat(),
        "closes_on": CALL_CLOSES.isoformat(),
        "max_selected": 4,
        "decision": story.by_bureau(
            CALL_LAUNCHED, "Déceler les démarches innovantes de l'agro-alimentaire."
        ),
    }


def candidacy(story: Story, number: int, on: date, **extra: Any) -> dict[str, Any]:
    return {
        "candidate_id": story.ids[f"candidate_{number}"],
        "project_title": f"Démarche innovante du candidat {number} (intitulé non publié)",
        "submitted_on": on.isoformat(),
        **extra,
    }


def submit_candidacy(story: Story, number: int) -> str:
    on = CANDIDACIES_FROM + timedelta(days=number - 1)
    answer = story.command(f"/calls/{story.ids['call']}/candidacies", candidacy(story, number, on))
    assert answer["id"] == story.ids["call"]
    story.candidacies.append(answer["candidacy_id"])
    return str(answer["candidacy_id"])


def decision_path(story: Story, number: int) -> str:
    return f"/calls/{story.ids['call']}/candidacies/{story.candidacies[number - 1]}/decision"


def selection(story: Story, outcome: str, **decision: Any) -> dict[str, Any]:
    rationale = (
        "Candidature retenue : 4 projets sur 7 sont accompagnés."
        if outcome == "selected"
        else "Candidature non retenue : 7 candidats, 4 projets accompagnés."
    )
    return {"outcome": outcome, "decision": {**story.by_bureau(SELECTION, rationale), **decision}}


def proposal(story: Story, number: int) -> dict[str, Any]:
    return {
        "filiere_id": story.ids["filiere"],
        "title": project_title(number),
        "proposed_on": SELECTION.isoformat(),
        "partners": [
            {"organisation_id": story.ids[f"candidate_{number}"], "role": "porteur du projet"}
        ],
        "origin_call_id": story.ids["call"],
        "origin_candidacy_id": story.candidacies[number - 1],
    }


def approval(story: Story, **decision: Any) -> dict[str, Any]:
    rationale = "Projet issu d'une candidature retenue ; quatre projets sont accompagnés."
    return {
        "status": "approved",
        "effective_on": SELECTION.isoformat(),
        "decision": {**story.by_bureau(SELECTION, rationale), **decision},
    }


def propose(story: Story, number: int) -> str:
    project = str(story.command("/projects", proposal(story, number))["id"])
    story.projects.append(project)
    return project


def approve(story: Story, project: str) -> None:
    approved = story.command(f"/projects/{project}/status", approval(story), status=200)
    assert approved == {**approved, "id": project, "version": 2}


def grant(story: Story, amount: Any = GRANT, body: str = "region") -> dict[str, Any]:
    rationale = "Soutien de la Région au projet accompagné 1 (montant propre au test)."
    decision = (
        story.by_region(GRANT_DECIDED, rationale)
        if body == "region"
        else story.by_bureau(GRANT_DECIDED, rationale)
    )
    return {
        "project_id": story.projects[0],
        "funder_id": story.ids["region"],
        "kind": "grant",
        "amount": amount,
        "decision": decision,
    }


def disbursement(amount: Any, paid_on: date) -> dict[str, Any]:
    return {"amount": amount, "paid_on": paid_on.isoformat()}
