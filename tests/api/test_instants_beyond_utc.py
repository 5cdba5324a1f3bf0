"""An instant whose offset carries it outside years 1-9999 in UTC is a 422, never a 500.

Python cannot convert `9999-12-31T23:59:59-23:59` (or `0001-01-01T00:00:00+23:59`) to UTC;
each query parameter that takes an instant refuses them at the edge, on both backends.
"""

import pytest

from infrastructure.auth_store import Role
from tests.api.http import assert_problem, bearer, event_count
from tests.api.test_malformed_input import BASES, Case, send

# The malformed input cases' store (recorded once per run, a world and more) and its ids.
from tests.api.test_malformed_input import database_url as database_url
from tests.api.test_malformed_input import ids as ids

BEYOND_UTC = ("9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59")
EDGES_OF_UTC = ("9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59+23:59")
# Each route and instant parameter a client can send, with the role that may read it.
INSTANT_PARAMETERS = [
    ("/filieres", "known_at", Role.READER),
    ("/decisions", "known_at", Role.READER),
    ("/audit/events", "recorded_from", Role.AUDITOR),
    ("/audit/events", "recorded_to", Role.AUDITOR),
]


@pytest.fixture
def recorded(ids) -> None:
    """Something recorded to read: the store of `ids`."""


@pytest.mark.parametrize(("path", "parameter", "role"), INSTANT_PARAMETERS)
@pytest.mark.parametrize("instant", BEYOND_UTC)
def test_an_instant_beyond_utc_is_refused_naming_the_parameter(
    services, client, tokens, recorded, path, parameter, role, instant
):
    before = event_count(services)

    response = client.get(path, params={parameter: instant}, headers=bearer(tokens[role]))

    problem = assert_problem(response, 422, parameter, "UTC")
    assert event_count(services) == before
    assert problem["status"] == 422
    # The connection stays usable: the next request on it is answered.
    assert client.get("/health").status_code == 200


@pytest.mark.parametrize(("path", "parameter", "role"), INSTANT_PARAMETERS)
@pytest.mark.parametrize("instant", EDGES_OF_UTC)
def test_the_first_and_last_instants_utc_can_hold_are_answered(
    client, tokens, recorded, path, parameter, role, instant
):
    response = client.get(path, params={parameter: instant}, headers=bearer(tokens[role]))

    assert response.status_code == 200, response.text


def test_a_known_at_with_an_offset_is_the_same_instant_in_utc(client, tokens, recorded):
    reader = bearer(tokens[Role.READER])
    paris = client.get(
        "/decisions", params={"known_at": "2100-01-01T01:00:00+01:00"}, headers=reader
    )
    utc = client.get("/decisions", params={"known_at": "2100-01-01T00:00:00Z"}, headers=reader)

    assert paris.status_code == utc.status_code == 200
    assert paris.json() == utc.json() and paris.json()["items"]


def _day_fields(body: dict) -> list[str]:
    return [name for name in body if name.endswith("_on") or name in ("from", "until")]


DAY_FIELDS = [(base, name) for base, (_, body) in BASES.items() for name in _day_fields(body)]


@pytest.mark.parametrize(("base", "name"), DAY_FIELDS)
def test_a_day_in_a_command_given_as_an_instant_beyond_utc_is_refused(
    services, client, ids, recorder, base, name
):
    path, body = BASES[base]
    before = event_count(services)
    for instant in BEYOND_UTC:
        response = send(client, Case(path, {**body, name: instant}), ids, recorder)

        assert_problem(response, 422)
        assert name in str(response.json()["errors"]), response.text
    assert event_count(services) == before
