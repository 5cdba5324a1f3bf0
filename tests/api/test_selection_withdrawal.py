"""POST /calls/{id}/candidacies/{candidacy_id}/selection-withdrawal, and what the views show."""

from typing import Any
from uuid import UUID

from fastapi.testclient import TestClient

from api.bootstrap import Services
from application.call_commands import DecideCandidacy
from tests.api.conftest import SETUP
from tests.api.http import assert_problem, event_count
from tests.application.refusals import DECIDED_ON, closed_call
from tests.world import World

WITHDRAWAL_DAY = "2011-11-03"


def path(call: UUID, candidacy: UUID) -> str:
    return f"/calls/{call}/candidacies/{candidacy}/selection-withdrawal"


def decision(world: World, **changes: Any) -> dict[str, Any]:
    return {
        "body_id": str(world.bureau),
        "decided_on": WITHDRAWAL_DAY,
        "decided_by": ["Présidente A", "Président B"],
        "sitting_not_published": True,
        "rationale": "Le porteur a renoncé au financement",
        "reference": "PV du bureau du 3/11/2011",
        **changes,
    }


def selected(services: Services, world: World, *titles: str) -> tuple[UUID, list[UUID]]:
    """A closed call with one candidacy per title, the first of them selected."""
    call, candidacies = closed_call(services.app, SETUP, world, *titles)
    services.app.execute(
        SETUP,
        DecideCandidacy(
            call_id=call,
            candidacy_id=candidacies[0],
            outcome="selected",
            decision=world.decision(DECIDED_ON),
        ),
    )
    return call, candidacies


def test_the_call_and_the_register_show_the_withdrawn_selection(
    services, client: TestClient, world, recorder, reader
) -> None:
    call, (candidacy,) = selected(services, world, "Abattoir mobile")

    response = client.post(
        path(call, candidacy), json={"decision": decision(world)}, headers=recorder
    )

    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["id"] == str(call)
    assert response.headers["ETag"] == f'"{answer["version"]}"'
    details = client.get(f"/calls/{call}", headers=reader).json()
    assert details["candidacies_by_status"] == {
        "submitted": 0,
        "withdrawn": 1,
        "selected": 0,
        "rejected": 0,
    }
    assert details["selected_amount"] == "0.00"
    (shown,) = details["candidacies"]
    assert (shown["status"], shown["decided_on"]) == ("withdrawn", WITHDRAWAL_DAY)
    assert shown["decision_position"] == answer["position"]
    assert shown["withdrawn_on"] is None  # the candidate did not withdraw
    overview = client.get(f"/filieres/{world.filiere}", headers=reader).json()
    assert overview["candidacies"]["withdrawn"] == 1
    assert overview["candidacies"]["selected"] == 0
    register = client.get("/decisions", params={"filiere_id": str(world.filiere)}, headers=reader)
    row = next(r for r in register.json()["items"] if r["position"] == answer["position"])
    assert row["event"] == "Call.SelectionWithdrawn"
    assert row["candidacy_id"] == str(candidacy)
    assert row["rationale"] == "Le porteur a renoncé au financement"
    assert row["body_id"] == str(world.bureau)


def test_a_candidacy_not_selected_is_refused_409_and_nothing_is_written(
    services, client, world, recorder
) -> None:
    call, (_, undecided) = selected(services, world, "A", "B")
    before = event_count(services)

    response = client.post(
        path(call, undecided), json={"decision": decision(world)}, headers=recorder
    )

    assert_problem(response, 409, "'B'", "is submitted, not selected")
    assert event_count(services) == before


def test_the_directoire_is_refused_409_and_nothing_is_written(
    services, client, world, recorder
) -> None:
    call, (candidacy,) = selected(services, world, "A")
    before = event_count(services)
    by_directoire = decision(world, body_id=str(world.directoire), decided_by=["Directeur A"])

    response = client.post(
        path(call, candidacy), json={"decision": by_directoire}, headers=recorder
    )

    assert_problem(response, 409, "Directoire", "does not decide")
    assert event_count(services) == before


def test_a_withdrawal_without_a_rationale_is_refused_422_and_nothing_is_written(
    services, client, world, recorder
) -> None:
    call, (candidacy,) = selected(services, world, "A")
    before = event_count(services)
    no_grounds = {k: v for k, v in decision(world).items() if k != "rationale"}

    response = client.post(path(call, candidacy), json={"decision": no_grounds}, headers=recorder)

    problem = assert_problem(response, 422)
    assert "rationale" in str(problem["errors"])
    assert event_count(services) == before


def test_an_unknown_candidacy_is_404(services, client, world, recorder) -> None:
    call, _ = selected(services, world, "A")
    before = event_count(services)

    response = client.post(
        path(call, UUID(int=7)), json={"decision": decision(world)}, headers=recorder
    )

    assert_problem(response, 404, str(UUID(int=7)))
    assert event_count(services) == before
