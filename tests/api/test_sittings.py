"""Sittings over HTTP: quorum, parity, attendance; each refusal with its code writes nothing."""

import pytest

from tests.api.http import assert_problem, event_count
from tests.world import FOUNDED, PRESIDENTS

A, B = PRESIDENTS
HELD_ON = "2011-12-15"
SEATED = FOUNDED.isoformat()


def _seat(client, recorder, body, person, organisation, role="voting", on=SEATED):
    return client.post(
        f"/bodies/{body}/members",
        json={"person": person, "organisation_id": str(organisation), "role": role, "from": on},
        headers=recorder,
    )


def _sit(client, recorder, body, *attendance, held_on=HELD_ON):
    return client.post(
        f"/bodies/{body}/sittings",
        json={"held_on": held_on, "attendance": list(attendance), "minutes_reference": "PV 12"},
        headers=recorder,
    )


def test_a_body_has_a_quorum_half_by_default_or_as_given(client, recorder, reader):
    default = client.post("/bodies", json={"name": "Bureau", "kind": "bureau"}, headers=recorder)
    given = client.post(
        "/bodies",
        json={"name": "Bureau", "kind": "bureau", "quorum": "0.75", "composition": "parity"},
        headers=recorder,
    )

    read = client.get(default.headers["location"], headers=reader).json()
    assert (read["quorum"], read["composition"]) == ("0.5", "free")
    read = client.get(given.headers["location"], headers=reader).json()
    assert (read["quorum"], read["composition"]) == ("0.75", "parity")


@pytest.mark.parametrize("quorum", [0.5, "1.5", "0", "half", "NaN"])
def test_a_quorum_that_is_not_a_share_is_refused(services, client, recorder, quorum):
    before = event_count(services)
    refused = client.post(
        "/bodies", json={"name": "Bureau", "kind": "bureau", "quorum": quorum}, headers=recorder
    )
    assert_problem(refused, 422)
    assert event_count(services) == before


def test_a_parity_body_refuses_a_second_voting_seat_for_one_member(
    services, client, world, recorder, reader
):
    body = client.post(
        "/bodies",
        json={"name": "Bureau", "kind": "bureau", "composition": "parity"},
        headers=recorder,
    ).json()["id"]
    assert _seat(client, recorder, body, A, world.partner_a).status_code == 200
    assert _seat(client, recorder, body, B, world.partner_b).status_code == 200
    before = event_count(services)

    second = _seat(client, recorder, body, "Vice-président A", world.partner_a)

    problem = assert_problem(second, 409, "equal numbers", "Partner A")
    assert problem["code"] == "ParityError"
    assert event_count(services) == before
    assert client.get(f"/bodies/{body}", headers=reader).json()["version"] == 3
    # An invitee is no voting seat: parity does not count it.
    assert _seat(client, recorder, body, "Invité A", world.partner_a, "invitee").status_code == 200


def test_a_sitting_is_recorded_with_its_quorum_and_read_back(client, world, recorder, reader):
    held = _sit(
        client,
        recorder,
        world.bureau,
        {"person": A, "status": "present"},
        {"person": B, "status": "represented", "represented_by": A},
        {"person": "Élu régional", "status": "present"},
    )

    assert held.status_code == 200, held.text
    sitting_id = held.json()["sitting_id"]
    one = client.get(f"/bodies/{world.bureau}/sittings/{sitting_id}", headers=reader)
    assert one.status_code == 200, one.text
    sitting = one.json()
    assert sitting["held_on"] == HELD_ON
    assert sitting["minutes_reference"] == "PV 12"
    assert (
        sitting["voting_members"],
        sitting["present_or_represented"],
        sitting["quorum_required"],
        sitting["quorum_reached"],
    ) == (2, 2, 1, True)
    assert sitting["attendance"][1] == {"person": B, "status": "represented", "represented_by": A}
    listed = client.get(f"/bodies/{world.bureau}/sittings", headers=reader).json()
    assert [s["sitting_id"] for s in listed["items"]] == [sitting_id]
    before = client.get(
        f"/bodies/{world.bureau}/sittings", params={"as_of": "2011-12-14"}, headers=reader
    ).json()
    assert before["items"] == []


def test_a_sitting_without_quorum_is_recorded_as_such(client, world, recorder, reader):
    held = _sit(client, recorder, world.bureau, {"person": A, "status": "excused"})
    sitting = client.get(
        f"/bodies/{world.bureau}/sittings/{held.json()['sitting_id']}", headers=reader
    ).json()
    assert (sitting["present_or_represented"], sitting["quorum_reached"]) == (0, False)


@pytest.mark.parametrize(
    ("attendance", "status", "code", "words"),
    [
        (
            [{"person": "Inconnu", "status": "present"}],
            409,
            "NotSeatedOnThatDayError",
            ("Inconnu", "no seat", "Bureau"),
        ),
        (
            [
                {"person": "Élu régional", "status": "present"},
                {"person": B, "status": "represented", "represented_by": "Élu régional"},
            ],
            409,
            "ProxyHolderError",
            ("Élu régional", "voting member present"),
        ),
        (
            [
                {"person": A, "status": "absent"},
                {"person": B, "status": "represented", "represented_by": A},
            ],
            409,
            "ProxyHolderError",
            (A, "voting member present"),
        ),
        (
            [
                {"person": A, "status": "present"},
                {"person": B, "status": "represented", "represented_by": A},
                {"person": "Troisième", "status": "represented", "represented_by": A},
            ],
            409,
            "SecondProxyError",
            (A, "at most one"),
        ),
        (
            [{"person": A, "status": "present", "represented_by": B}],
            422,
            None,
            ("represented_by",),
        ),
        (
            [{"person": A, "status": "present"}, {"person": A, "status": "absent"}],
            422,
            None,
            ("more than once",),
        ),
    ],
)
def test_attendance_the_seats_do_not_allow_is_refused_and_writes_nothing(
    services, client, world, recorder, reader, attendance, status, code, words
):
    assert _seat(client, recorder, world.bureau, "Troisième", world.partner_a).status_code == 200
    version = client.get(f"/bodies/{world.bureau}", headers=reader).json()["version"]
    before = event_count(services)

    refused = _sit(client, recorder, world.bureau, *attendance)

    problem = assert_problem(refused, status, *words)
    if code:
        assert problem["code"] == code
    assert event_count(services) == before
    assert client.get(f"/bodies/{world.bureau}", headers=reader).json()["version"] == version
    assert client.get(f"/bodies/{world.bureau}/sittings", headers=reader).json()["items"] == []


def test_a_member_unseated_before_the_day_does_not_attend(services, client, world, recorder):
    client.post(
        f"/bodies/{world.bureau}/members/unseat",
        json={"person": B, "until": "2010-12-31"},
        headers=recorder,
    )
    refused = _sit(client, recorder, world.bureau, {"person": B, "status": "present"})
    assert assert_problem(refused, 409, B, "2011-12-15")["code"] == "NotSeatedOnThatDayError"


def test_an_unknown_sitting_is_404(client, world, reader):
    missing = client.get(
        f"/bodies/{world.bureau}/sittings/00000000-0000-0000-0000-000000000000", headers=reader
    )
    assert_problem(missing, 404)
