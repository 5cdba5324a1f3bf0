"""No decision from the future: an effective day after today is refused (422), nothing written."""

from datetime import timedelta

import pytest

from application.payload import today
from tests.api.http import assert_problem, event_count


def _launch(world, decided_on: str) -> dict[str, object]:
    return {
        "name": "Bois",
        "kind": "filiere",
        "lead_partner_id": str(world.partner_a),
        "decision": {
            "body_id": str(world.bureau),
            "decided_on": decided_on,
            "decided_by": ["Présidente A", "Président B"],
            "rationale": "Lancement",
        },
    }


def test_a_decision_dated_after_today_is_refused_and_writes_nothing(
    services, client, world, recorder
):
    before = event_count(services)
    tomorrow = (today() + timedelta(days=1)).isoformat()

    refused = client.post("/filieres", json=_launch(world, tomorrow), headers=recorder)

    problem = assert_problem(refused, 422, "after today")
    assert "decided_on" in str(problem.get("errors")), problem
    far = client.post("/filieres", json=_launch(world, "2099-01-01"), headers=recorder)
    assert_problem(far, 422, "after today")
    assert event_count(services) == before


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (
            "/bodies/{bureau}/members",
            {"person": "X", "organisation_id": "{partner}", "role": "voting", "from": "{day}"},
        ),
        ("/bodies/{bureau}/members/unseat", {"person": "Présidente A", "until": "{day}"}),
        ("/organisations", {"name": "Future", "kind": "company", "registered_on": "{day}"}),
        ("/bodies/{bureau}/sittings", {"held_on": "{day}", "attendance": []}),
    ],
)
def test_every_effective_day_after_today_is_refused(services, client, world, recorder, path, body):
    tomorrow = (today() + timedelta(days=1)).isoformat()
    values = {"bureau": world.bureau, "partner": world.partner_a, "day": tomorrow}
    payload = {
        key: value.format(**values) if isinstance(value, str) else value
        for key, value in body.items()
    }
    before = event_count(services)

    refused = client.post(path.format(**values), json=payload, headers=recorder)

    assert_problem(refused, 422, "after today")
    assert event_count(services) == before


def test_today_itself_is_accepted(client, world, recorder):
    seated = client.post(
        f"/bodies/{world.bureau}/members",
        json={
            "person": "Nouveau membre",
            "organisation_id": str(world.partner_a),
            "role": "invitee",
            "from": today().isoformat(),
        },
        headers=recorder,
    )
    assert seated.status_code == 200, seated.text
