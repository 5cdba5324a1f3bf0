"""Provenance: from a funding or a project back to the decisions, bodies and people behind it."""

import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from application.audit.provenance import provenance
from application.call_commands import DecideCandidacy
from application.context import CommandContext
from application.project_commands import ChangeProjectStatus, ProposeProject
from application.roannais_history.facts import (
    DECONSTRUCTION_APPROVED,
    FILIERES_LAUNCHED,
    SHEET_UPDATED,
    VIANDES_CALL_LAUNCHED,
    VIANDES_CANDIDACIES,
    VIANDES_DECIDED,
)
from domain.errors import NotFoundError
from domain.project import ProjectStatus
from infrastructure.audit_event_query import AuditEventQuery
from tests.api.http import assert_problem
from tests.application.refusals import DECIDED_ON, closed_call
from tests.audit.audit_fixtures import (
    GRANTED_ON,
    REVISED_ON,
    SECOND_ACTOR,
    AuditDemo,
    audit_demo,
    chain_rows,
    log_positions,
)
from tests.audit.demo_store import BACKENDS
from tests.world import PRESIDENTS, make_world

BUREAU = "Bureau de Roanne Territoire"
STATE_BODY = "État (décision de soutien)"


@pytest.fixture(scope="module", params=BACKENDS)
def demo(request: pytest.FixtureRequest) -> Iterator[AuditDemo]:
    with audit_demo(request) as store:
        yield store


def traced(demo: AuditDemo, subject: uuid.UUID) -> dict[str, Any]:
    response = demo.client.get(f"/audit/provenance/{subject}", headers=demo.auditor)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def links(answer: dict[str, Any]) -> list[tuple[str, str]]:
    return [(step["link"], step["event_type"]) for step in answer["steps"]]


def step(answer: dict[str, Any], event_type: str) -> dict[str, Any]:
    (found,) = [s for s in answer["steps"] if s["event_type"] == event_type]
    return found


def test_the_states_support_goes_back_to_the_project_and_the_filiere_launch(demo):
    ids = demo.ids
    answer = traced(demo, ids.state_funding)

    assert answer["subject_type"] == "Funding"
    assert answer["funding_id"] == str(ids.state_funding)
    assert answer["project_id"] == str(ids.deconstruction_global_project)
    assert answer["filiere_id"] == str(ids.filieres["deconstruction"])
    assert answer["call_id"] is None and answer["candidacy_id"] is None
    assert links(answer) == [
        ("funding", "Funding.Granted"),
        ("project", "Project.StatusChanged"),
        ("project", "Project.Proposed"),
        ("filiere", "Filiere.Launched"),
    ]
    grant = step(answer, "Funding.Granted")
    assert grant["aggregate_id"] == str(ids.state_funding)
    assert grant["body"] == {"id": str(ids.state_body), "name": STATE_BODY}
    assert grant["decided_on"] == grant["effective_on"] == SHEET_UPDATED.isoformat()
    assert grant["decided_by"] == []
    assert "État" in grant["what"] and "amount unknown" in grant["what"]
    assert "montant inconnu" in grant["rationale"]

    approval = step(answer, "Project.StatusChanged")
    assert approval["aggregate_id"] == str(ids.deconstruction_global_project)
    assert approval["body"] == {"id": str(ids.bureau), "name": BUREAU}
    assert approval["decided_on"] == DECONSTRUCTION_APPROVED.isoformat()
    assert approval["decided_by"] == []  # the sheet names no one who decided
    assert "approved" in approval["what"]
    proposal = step(answer, "Project.Proposed")
    assert "18 000 000.00 EUR" in proposal["what"]
    assert proposal["body"] is None and proposal["decided_on"] is None

    launch = step(answer, "Filiere.Launched")
    assert launch["aggregate_id"] == str(ids.filieres["deconstruction"])
    assert launch["body"] == {"id": str(ids.bureau), "name": BUREAU}
    assert launch["decided_on"] == FILIERES_LAUNCHED.isoformat()
    assert "Déconstruction" in launch["what"]

    assert any("without a call" in gap for gap in answer["gaps"])
    assert any(f"position {grant['position']}" in gap for gap in answer["gaps"])


def test_a_viandes_project_goes_back_to_the_selection_of_its_candidacy(demo):
    ids = demo.ids
    project = ids.viandes_projects[1]
    candidacy = ids.viandes_selected[1]
    answer = traced(demo, project)

    assert answer["subject_type"] == "Project"
    assert answer["funding_id"] is None
    assert answer["call_id"] == str(ids.viandes_call)
    assert answer["candidacy_id"] == str(candidacy)
    assert answer["filiere_id"] == str(ids.filieres["viandes"])
    assert links(answer) == [
        ("project", "Project.StatusChanged"),
        ("project", "Project.Proposed"),
        ("selection", "Call.CandidacySelected"),
        ("candidacy", "Call.CandidacySubmitted"),
        ("call", "Call.Launched"),
        ("filiere", "Filiere.Launched"),
    ]
    selection = step(answer, "Call.CandidacySelected")
    assert selection["aggregate_id"] == str(ids.viandes_call)
    assert selection["body"] == {"id": str(ids.bureau), "name": BUREAU}
    assert selection["decided_by"] == []
    assert selection["source"]["locator"] == "Résultats obtenus – Filière Viandes"
    assert any("arbitraire" in text for text in selection["assumptions"])
    assert selection["decided_on"] == VIANDES_DECIDED.isoformat()
    assert "Candidat 2" in selection["what"] and "selected" in selection["what"]
    assert "Candidature retenue" in selection["rationale"]
    submission = step(answer, "Call.CandidacySubmitted")
    assert (
        submission["effective_on"]
        == date.fromordinal(VIANDES_CANDIDACIES.toordinal() + 1).isoformat()
    )
    call_launch = step(answer, "Call.Launched")
    assert call_launch["decided_on"] == VIANDES_CALL_LAUNCHED.isoformat()
    assert call_launch["body"]["name"] == BUREAU
    assert step(answer, "Filiere.Launched")["aggregate_id"] == str(ids.filieres["viandes"])
    assert answer["gaps"] == []


def test_a_funding_of_a_viandes_project_reaches_the_same_chain(demo):
    """A funding id and its project's id both work; the funding adds its own decisions."""
    ids = demo.ids
    funding = traced(demo, demo.viandes_funding)
    project = traced(demo, ids.viandes_projects[0])

    assert funding["subject_type"] == "Funding"
    assert links(funding)[:2] == [
        ("funding", "Funding.AmountRevised"),
        ("funding", "Funding.Granted"),
    ]
    assert funding["steps"][2:] == project["steps"]
    assert funding["candidacy_id"] == project["candidacy_id"] == str(ids.viandes_selected[0])
    revision, grant = funding["steps"][:2]
    assert grant["position"] == demo.grant_position
    assert revision["reverses"] == demo.grant_position
    assert (grant["decided_on"], revision["decided_on"]) == (
        GRANTED_ON.isoformat(),
        REVISED_ON.isoformat(),
    )
    assert "15 000.00 EUR" in grant["what"] and "12 000.00 EUR" in revision["what"]
    assert grant["recorded_by"] == revision["recorded_by"] == SECOND_ACTOR
    assert step(project, "Call.CandidacySelected")["recorded_by"] == "filieres demo"


def test_every_step_names_its_place_in_the_log_and_its_chain_hash(demo):
    positions = log_positions(demo.services)
    rows = chain_rows(demo.services)
    for subject in (demo.ids.state_funding, demo.viandes_funding, demo.ids.viandes_projects[3]):
        for found in traced(demo, subject)["steps"]:
            where = (uuid.UUID(found["aggregate_id"]), found["version"])
            assert found["position"] == positions[where]
            assert found["hash"] == rows[found["position"]][1]
            assert found["recorded_at"]


def test_the_application_traces_without_http(demo):
    app = demo.services.app
    found = provenance(app, AuditEventQuery.of(app), demo.ids.state_funding)
    assert [s.event_type for s in found.steps] == [
        "Funding.Granted",
        "Project.StatusChanged",
        "Project.Proposed",
        "Filiere.Launched",
    ]
    assert found.steps[0].body is not None and found.steps[0].body.id == demo.ids.state_body


@pytest.mark.parametrize(
    "what", ["an organisation", "a governing body", "a call", "a filière", "nothing"]
)
def test_anything_but_a_funding_or_a_project_is_404(demo, what):
    ids = demo.ids
    subject = {
        "an organisation": ids.organisations["etat"],
        "a governing body": ids.bureau,
        "a call": ids.viandes_call,
        "a filière": ids.filieres["viandes"],
        "nothing": uuid.uuid4(),
    }[what]
    response = demo.client.get(f"/audit/provenance/{subject}", headers=demo.auditor)
    assert_problem(response, 404, str(subject))
    app = demo.services.app
    with pytest.raises(NotFoundError):
        provenance(app, AuditEventQuery.of(app), subject)


def test_only_auditors_and_admins_trace(demo):
    path = f"/audit/provenance/{demo.ids.state_funding}"
    assert demo.client.get(path, headers=demo.admin).status_code == 200
    for headers in (demo.reader, demo.recorder):
        assert_problem(demo.client.get(path, headers=headers), 403)
    assert_problem(demo.client.get("/audit/provenance/not-a-uuid", headers=demo.auditor), 422)


def test_a_reversed_decision_shows_beside_the_one_that_reverses_it(services):
    """History keeps both: the rejection, and the selection that names and reverses it."""
    app = services.app
    ctx = CommandContext(actor="test recorder")
    world = make_world(app, ctx)
    call, (candidacy,) = closed_call(app, ctx, world, "Abattoir mobile")
    rejected = app.decide_candidacy(
        ctx,
        DecideCandidacy(
            call_id=call,
            candidacy_id=candidacy,
            outcome="rejected",
            decision=world.decision(DECIDED_ON),
        ),
    )
    later = date(2011, 10, 3)
    reversal = world.decision(later, reverses=rejected.position, by=PRESIDENTS[:1])
    app.decide_candidacy(
        ctx,
        DecideCandidacy(
            call_id=call, candidacy_id=candidacy, outcome="selected", decision=reversal
        ),
    )
    project = app.propose_project(
        ctx,
        ProposeProject(
            filiere_id=world.filiere,
            title="Abattoir mobile",
            proposed_on=later,
            origin_call_id=call,
            origin_candidacy_id=candidacy,
        ),
    ).id
    proposed_only = provenance(app, AuditEventQuery.of(app), project)
    assert any("never approved" in gap for gap in proposed_only.gaps)
    app.change_project_status(
        ctx,
        ChangeProjectStatus(
            project_id=project,
            status=ProjectStatus.APPROVED,
            effective_on=later,
            decision=world.decision(later),
        ),
    )

    found = provenance(app, AuditEventQuery.of(app), project)

    selection = [s for s in found.steps if s.link == "selection"]
    assert [s.event_type for s in selection] == ["Call.CandidacySelected", "Call.CandidacyRejected"]
    assert selection[0].reverses == rejected.position == selection[1].position
    assert selection[0].decided_by == [PRESIDENTS[0]]
    assert selection[1].decided_by == list(PRESIDENTS)
    assert found.gaps == []
    assert [s.link for s in found.steps] == [
        "project",
        "project",
        "selection",
        "selection",
        "candidacy",
        "call",
        "filiere",
    ]
