"""Concurrent commands on one aggregate: serialised or retried, none lost, none applied twice."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import date
from threading import Barrier
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.bootstrap import Services, build
from api.http.main import create_app
from application.call_commands import CloseSubmissions, SubmitCandidacy
from application.context import CommandContext
from application.funding_commands import GrantFunding
from domain.call import Call, CandidacyStatus
from domain.funding import Funding
from infrastructure.auth_store import Role
from tests.api.http import assert_problem, bearer, event_count
from tests.application.refusals import CLOSED_ON, DECIDED_ON, OPENS, a_project, open_call
from tests.world import World

THREADS = 16


@pytest.fixture(params=[1, 2], ids=["one-worker", "two-workers"])
def apps(request, database_url: str, services: Services) -> Iterator[list[FastAPI]]:
    """The app of each worker: one, or two with their own services on the same database."""
    if request.param == 1:
        yield [create_app(services)]
        return
    other = build(database_url=database_url)
    try:
        yield [create_app(services), create_app(other)]
    finally:
        other.close()


def all_at_once(
    apps: list[FastAPI], requests: list[tuple[str, dict, dict]]
) -> list[httpx.Response]:
    """Each (url, body, headers) posted by its own client, all released at the same moment."""
    barrier = Barrier(len(requests))
    with ExitStack() as stack:
        clients = [
            stack.enter_context(TestClient(apps[i % len(apps)], raise_server_exceptions=False))
            for i in range(len(requests))
        ]

        def post(i: int) -> httpx.Response:
            url, body, headers = requests[i]
            barrier.wait(timeout=30)
            return clients[i].post(url, json=body, headers=headers)

        with ThreadPoolExecutor(len(requests)) as pool:
            return list(pool.map(post, range(len(requests))))


def candidacy(world: World, n: int) -> dict[str, object]:
    return {
        "candidate_id": str(world.company),
        "project_title": f"Projet {n}",
        "submitted_on": OPENS.isoformat(),
        "requested_amount": f"{1000 + n}.00",
    }


def decision(world: World, body: UUID | None = None, by: list[str] | None = None) -> dict:
    return {
        "body_id": str(body or world.bureau),
        "decided_on": DECIDED_ON.isoformat(),
        "decided_by": ["Présidente A", "Président B"] if by is None else by,
        "sitting_not_published": True,
        "rationale": "décidé en bureau",
    }


def test_concurrent_candidacies_to_one_call_are_all_kept_once(
    apps, services, tokens, world, call
) -> None:
    headers = bearer(tokens[Role.RECORDER])
    requests = [
        (f"/calls/{call}/candidacies", candidacy(world, n), headers) for n in range(THREADS)
    ]

    answers = all_at_once(apps, requests)

    assert [a.status_code for a in answers] == [201] * THREADS, [a.text for a in answers]
    assert sorted(a.json()["version"] for a in answers) == list(range(2, THREADS + 2))
    assert len({a.json()["position"] for a in answers}) == THREADS
    assert len({a.json()["candidacy_id"] for a in answers}) == THREADS
    read = TestClient(apps[-1]).get(f"/calls/{call}", headers=bearer(tokens[Role.READER]))
    assert read.status_code == 200, read.text
    details = read.json()
    assert details["version"] == 1 + THREADS
    assert read.headers["ETag"] == f'"{1 + THREADS}"'
    assert sorted(c["project_title"] for c in details["candidacies"]) == sorted(
        f"Projet {n}" for n in range(THREADS)
    )
    assert {c["id"] for c in details["candidacies"]} == {a.json()["candidacy_id"] for a in answers}
    assert details["candidacies_by_status"]["submitted"] == THREADS
    assert len(services.app.load(Call, call).candidacies) == THREADS


def test_concurrent_commands_expecting_the_same_version_let_exactly_one_through(
    apps, services, tokens, world, call
) -> None:
    headers = bearer(tokens[Role.RECORDER], **{"If-Match": '"1"'})
    requests = [
        (f"/calls/{call}/candidacies", candidacy(world, n), headers) for n in range(THREADS)
    ]
    before = event_count(services)

    answers = all_at_once(apps, requests)

    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201] + [409] * (THREADS - 1), [a.text for a in answers]
    for refused in (a for a in answers if a.status_code == 409):
        assert_problem(refused, 409)
    winner = next(a for a in answers if a.status_code == 201)
    assert winner.json()["version"] == 2
    assert event_count(services) == before + 1
    stored = services.app.load(Call, call)
    assert stored.version == 2
    assert [c.id for c in stored.candidacies.values()] == [UUID(winner.json()["candidacy_id"])]


def test_concurrent_candidacies_with_one_client_chosen_id_are_kept_once(
    apps, services, tokens, world, call
) -> None:
    chosen = str(uuid4())
    headers = bearer(tokens[Role.RECORDER])
    requests = [
        (f"/calls/{call}/candidacies", {**candidacy(world, n), "candidacy_id": chosen}, headers)
        for n in range(THREADS)
    ]

    answers = all_at_once(apps, requests)

    kept = [a for a in answers if a.status_code == 201]
    assert len(kept) == 1, [a.text for a in answers]
    for refused in (a for a in answers if a.status_code != 201):
        assert_problem(refused, 409, "already exists")
    assert list(services.app.load(Call, call).candidacies) == [UUID(chosen)]
    assert services.app.load(Call, call).version == 2


def test_concurrent_disbursements_never_exceed_the_grant(apps, services, tokens, world) -> None:
    ctx = CommandContext(actor="setup")
    project = a_project(services.app, ctx, world)
    funding = services.app.grant_funding(
        ctx,
        GrantFunding(
            project_id=project,
            funder_id=world.association,
            kind="grant",
            decision=world.decision(date(2012, 1, 10)),
            amount="1000.00",
        ),
    ).id
    headers = bearer(tokens[Role.RECORDER])
    body = {"amount": "100.00", "paid_on": "2012-02-01"}

    answers = all_at_once(apps, [(f"/fundings/{funding}/disbursements", body, headers)] * THREADS)

    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] * 10 + [409] * (THREADS - 10), [a.text for a in answers]
    stored = services.app.load(Funding, funding)
    assert stored.disbursed == 1000
    assert stored.version == 11
    ledger = TestClient(apps[-1]).get(f"/fundings/{funding}", headers=bearer(tokens[Role.READER]))
    assert ledger.json()["disbursed"] == "1000.00"
    assert ledger.json()["remaining"] == "0.00"
    assert len([e for e in ledger.json()["entries"] if e["kind"] == "disbursed"]) == 10


def test_concurrent_selections_respect_the_calls_maximum(apps, services, tokens, world) -> None:
    ctx = CommandContext(actor="setup")
    call = open_call(services.app, ctx, world, max_selected=3)
    candidacies = []
    for n in range(THREADS):
        result = services.app.submit_candidacy(
            ctx,
            SubmitCandidacy(
                call_id=call,
                candidate_id=world.company,
                project_title=f"Projet {n}",
                submitted_on=OPENS,
            ),
        )
        candidacies.append(result.candidacy_id)
    services.app.close_submissions(ctx, CloseSubmissions(call_id=call, closed_on=CLOSED_ON))
    headers = bearer(tokens[Role.RECORDER])
    requests = [
        (
            f"/calls/{call}/candidacies/{candidacy_id}/decision",
            {"outcome": "selected", "decision": decision(world)},
            headers,
        )
        for candidacy_id in candidacies
    ]

    answers = all_at_once(apps, requests)

    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] * 3 + [409] * (THREADS - 3), [a.text for a in answers]
    assert len(services.app.load(Call, call).with_status(CandidacyStatus.SELECTED)) == 3
    details = TestClient(apps[-1]).get(f"/calls/{call}", headers=bearer(tokens[Role.READER]))
    by_status = details.json()["candidacies_by_status"]
    assert (by_status["selected"], by_status["submitted"]) == (3, THREADS - 3)
