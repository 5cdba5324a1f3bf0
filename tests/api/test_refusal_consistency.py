"""Refusals alike everywhere: one status per nature, names with ids, `loc` where the input was,
instants written alike in JSON and CSV (issue 17)."""

import csv
import io
from datetime import date
from uuid import UUID

import pytest

from api.bootstrap import Services
from application.context import CommandContext
from application.funding_commands import GrantFunding
from tests.api.http import assert_problem, event_count
from tests.application.refusals import a_project
from tests.world import PRESIDENTS, World

SETUP = CommandContext(actor="setup")
GRANTED_ON = date(2012, 1, 10)


@pytest.fixture
def funding(services: Services, world: World) -> UUID:
    """1,000.00 EUR granted by the association on GRANTED_ON, nothing paid yet."""
    project = a_project(services.app, SETUP, world)
    command = GrantFunding(
        project_id=project,
        funder_id=world.association,
        kind="grant",
        decision=world.decision(GRANTED_ON),
        amount="1000.00",
    )
    return services.app.grant_funding(SETUP, command).id


@pytest.mark.parametrize(
    ("payment", "code", "words"),
    [
        ({"amount": "10.00", "paid_on": "2012-01-09"}, "ChronologyError", ("precedes the grant",)),
        (
            {"amount": "1000.01", "paid_on": "2012-02-01"},
            "DisbursementExceedsGrantError",
            ("above",),
        ),
    ],
    ids=["a payment before the grant", "more paid than granted"],
)
def test_both_broken_invariants_of_a_payment_are_409_and_write_nothing(
    client, services, recorder, funding, payment, code, words
) -> None:
    before = event_count(services)

    refused = client.post(f"/fundings/{funding}/disbursements", json=payment, headers=recorder)

    problem = assert_problem(refused, 409, *words)
    assert problem["code"] == code
    assert event_count(services) == before


def test_a_date_that_contradicts_the_request_itself_stays_a_422(
    client, services, recorder, world
) -> None:
    """Not a broken rule of what is recorded: the request is malformed on its own."""
    body = {
        "filiere_id": str(world.filiere),
        "title": "Appel",
        "kind": "call_for_projects",
        "issuer_id": str(world.association),
        "opens_on": "2011-06-30",
        "closes_on": "2011-03-01",
        "decision": {
            "body_id": str(world.bureau),
            "decided_on": "2011-02-01",
            "decided_by": list(PRESIDENTS),
            "sitting_not_published": True,
            "rationale": "appel",
        },
    }
    before = event_count(services)
    assert_problem(client.post("/calls", json=body, headers=recorder), 422, "before it opens")
    assert event_count(services) == before


def test_a_refusal_names_the_body_and_the_organisation_with_their_ids(
    client, services, recorder, world, funding
) -> None:
    """The bureau grants the association's money; the state's body may not."""
    by_the_state = {
        "body_id": str(world.state_body),
        "decided_on": "2012-02-01",
        "decided_by": [],
        "sitting_not_published": True,
        "rationale": "révision",
    }
    before = event_count(services)

    refused = client.post(
        f"/fundings/{funding}/amount",
        json={"amount": "900.00", "decision": by_the_state},
        headers=recorder,
    )

    problem = assert_problem(refused, 409, "État", str(world.state_body))
    assert "Association" in problem["detail"] and str(world.association) in problem["detail"]
    assert event_count(services) == before


def test_a_decision_by_a_body_that_does_not_decide_names_it_with_its_id(
    client, services, recorder, world, funding
) -> None:
    by_the_council = {
        "body_id": str(world.council),
        "decided_on": "2012-02-01",
        "decided_by": ["Conseiller"],
        "sitting_not_published": True,
        "rationale": "révision",
    }
    refused = client.post(
        f"/fundings/{funding}/amount",
        json={"amount": "900.00", "decision": by_the_council},
        headers=recorder,
    )
    assert_problem(refused, 409, "Conseil d'orientation", str(world.council), "does not decide")


@pytest.mark.parametrize(
    ("params", "loc"),
    [
        ({"cursor": "zz"}, ["query", "cursor"]),
        ({"from": "2012-01-01", "to": "2011-01-01"}, ["query"]),
        ({"from": "yesterday"}, ["query", "from"]),
    ],
    ids=["cursor", "from after to", "malformed from"],
)
def test_a_refused_query_parameter_is_located_in_the_query(
    client, reader, world, params, loc
) -> None:
    problem = assert_problem(client.get("/decisions", params=params, headers=reader), 422)
    assert problem["errors"][0]["loc"] == loc


def test_a_malformed_if_match_is_located_in_the_headers(client, recorder, world) -> None:
    refused = client.post(
        f"/organisations/{world.company}/rename",
        json={"name": "Autre", "effective_on": "2012-01-01"},
        headers={**recorder, "If-Match": "abc"},
    )
    problem = assert_problem(refused, 422, "If-Match")
    assert problem["errors"][0]["loc"] == ["header", "If-Match"]


def test_instants_are_written_alike_in_json_and_csv(client, reader, world) -> None:
    as_json = client.get("/decisions", headers=reader).json()["items"]
    as_csv = list(
        csv.DictReader(
            io.StringIO(client.get("/decisions", headers={**reader, "Accept": "text/csv"}).text)
        )
    )

    assert [row["recorded_at"] for row in as_csv] == [e["recorded_at"] for e in as_json]
    assert all(row["recorded_at"].endswith("Z") for row in as_csv)
