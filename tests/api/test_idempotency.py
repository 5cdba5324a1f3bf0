"""Idempotency-Key on POST: a retry returns the first answer and writes nothing."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from threading import Barrier
from uuid import UUID

import httpx
import pytest
from eventsourcing.persistence import IntegrityError
from fastapi.testclient import TestClient

from api.bootstrap import Services, build
from api.http.command_runner import etag
from api.http.main import create_app
from application.call_commands import SubmitCandidacy
from application.context import CommandContext
from domain.call import Call
from infrastructure.auth_store import Role
from infrastructure.idempotency_store import StoredAnswer
from tests.api.http import assert_problem, bearer, event_count
from tests.application.refusals import OPENS, open_call
from tests.world import FOUNDED, World, make_world

RECORDER = "Recorder Person"
THREADS = 8


def candidacy(world: World, title: str = "Abattoir mobile") -> dict[str, object]:
    return {
        "candidate_id": str(world.company),
        "project_title": title,
        "submitted_on": OPENS.isoformat(),
        "requested_amount": "12000.00",
    }


def keyed(token: str, key: str) -> dict[str, str]:
    return bearer(token, **{"Idempotency-Key": key})


def same_answer(first: httpx.Response, again: httpx.Response) -> None:
    assert again.status_code == first.status_code
    assert again.content == first.content
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers.get("Location") == first.headers.get("Location")


@pytest.fixture
def other_services(database_url: str, services: Services) -> Iterator[Services]:
    """A second set of services on the same database, as another worker process has."""
    built = build(database_url=database_url)
    yield built
    built.close()


def test_a_retry_with_the_same_key_and_body_replays_the_first_answer_and_writes_nothing(
    client, services, tokens, world, call
) -> None:
    headers = keyed(tokens[Role.RECORDER], "submit-1")
    first = client.post(f"/calls/{call}/candidacies", json=candidacy(world), headers=headers)
    assert first.status_code == 201, first.text
    assert "Idempotent-Replayed" not in first.headers
    assert first.headers["ETag"] == etag(first.json()["version"])
    written = event_count(services)

    again = client.post(f"/calls/{call}/candidacies", json=candidacy(world), headers=headers)

    same_answer(first, again)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["candidacy_id"] == first.json()["candidacy_id"]
    assert event_count(services) == written
    assert len(services.app.load(Call, call).candidacies) == 1


def test_a_replayed_creation_gives_the_same_id_and_location(client, services, tokens) -> None:
    headers = keyed(tokens[Role.RECORDER], "register-scierie")
    body = {"name": "Scierie du Forez", "kind": "company", "registered_on": "2010-05-01"}
    first = client.post("/organisations", json=body, headers=headers)
    assert first.status_code == 201, first.text
    written = event_count(services)

    again = client.post("/organisations", json=body, headers=headers)

    same_answer(first, again)
    assert again.headers["Location"] == f"/organisations/{first.json()['id']}"
    assert again.headers["Idempotent-Replayed"] == "true"
    assert event_count(services) == written


def test_the_same_key_with_another_body_is_refused_and_writes_nothing(
    client, services, tokens, world, call
) -> None:
    headers = keyed(tokens[Role.RECORDER], "submit-1")
    first = client.post(f"/calls/{call}/candidacies", json=candidacy(world), headers=headers)
    assert first.status_code == 201, first.text
    written = event_count(services)

    other = client.post(
        f"/calls/{call}/candidacies", json=candidacy(world, "Atelier de découpe"), headers=headers
    )

    assert_problem(other, 422, "Idempotency-Key")
    assert event_count(services) == written
    replay = client.post(f"/calls/{call}/candidacies", json=candidacy(world), headers=headers)
    same_answer(first, replay)


def test_the_same_key_and_body_on_another_path_is_refused(
    client, services, tokens, world, call
) -> None:
    second_call = open_call(services.app, CommandContext(actor="setup"), world)
    headers = keyed(tokens[Role.RECORDER], "submit-1")
    first = client.post(f"/calls/{call}/candidacies", json=candidacy(world), headers=headers)
    assert first.status_code == 201, first.text
    written = event_count(services)

    elsewhere = client.post(
        f"/calls/{second_call}/candidacies", json=candidacy(world), headers=headers
    )

    assert_problem(elsewhere, 422, "Idempotency-Key")
    assert event_count(services) == written
    assert services.app.load(Call, second_call).candidacies == {}


def test_keys_are_per_actor_so_another_actor_may_use_the_same_key(
    client, services, tokens, world, call
) -> None:
    other_token = services.tokens.issue("Autre Saisisseur", Role.RECORDER)
    first = client.post(
        f"/calls/{call}/candidacies",
        json=candidacy(world),
        headers=keyed(tokens[Role.RECORDER], "shared-key"),
    )
    assert first.status_code == 201, first.text
    written = event_count(services)

    second = client.post(
        f"/calls/{call}/candidacies",
        json=candidacy(world),
        headers=keyed(other_token, "shared-key"),
    )

    assert second.status_code == 201, second.text
    assert "Idempotent-Replayed" not in second.headers
    assert second.json()["candidacy_id"] != first.json()["candidacy_id"]
    assert second.json()["version"] == first.json()["version"] + 1
    assert event_count(services) == written + 1
    mine = services.idempotency.find(RECORDER, "shared-key")
    theirs = services.idempotency.find("Autre Saisisseur", "shared-key")
    assert mine is not None and theirs is not None
    assert mine.body == first.text and theirs.body == second.text


def test_a_key_survives_a_restart(database_url) -> None:
    before = build(database_url=database_url)
    token = before.tokens.issue(RECORDER, Role.RECORDER)
    ctx = CommandContext(actor="setup")
    world = make_world(before.app, ctx)
    call = open_call(before.app, ctx, world)
    headers = keyed(token, "before-restart")
    with TestClient(create_app(before), raise_server_exceptions=False) as client:
        first = client.post(f"/calls/{call}/candidacies", json=candidacy(world), headers=headers)
    assert first.status_code == 201, first.text
    written = event_count(before)
    before.close()

    after = build(database_url=database_url)
    try:
        with TestClient(create_app(after), raise_server_exceptions=False) as client:
            again = client.post(
                f"/calls/{call}/candidacies", json=candidacy(world), headers=headers
            )
        same_answer(first, again)
        assert again.headers["Idempotent-Replayed"] == "true"
        assert event_count(after) == written
    finally:
        after.close()


def test_a_key_stored_by_an_earlier_release_still_replays(client, services, tokens) -> None:
    """The fingerprint is a hash of method, path and body as validated (names stripped, fields
    not given as null, in the schema's order): computed so since keys were first stored."""
    body = {"name": " Scierie Dupont ", "kind": "company"}
    stored = StoredAnswer(
        fingerprint="3c0f07cd2d116b063387e7eca174e2abcd3122016eb35d418bfa3c214c23c1bf",
        status_code=201,
        body='{"id":"00000000-0000-0000-0000-000000000001","version":1,"position":1}',
        etag='"1"',
        location="/organisations/00000000-0000-0000-0000-000000000001",
    )
    with services.transaction():
        services.idempotency.remember(RECORDER, "stored-earlier", stored)

    again = client.post(
        "/organisations", json=body, headers=keyed(tokens[Role.RECORDER], "stored-earlier")
    )

    assert again.status_code == 201, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.text == stored.body
    assert event_count(services) == 0


def test_a_refused_command_does_not_burn_its_key(client, services, tokens, world) -> None:
    """Refused because the decider does not sit yet; once seated, the same request runs."""
    body = {
        "filiere_id": str(world.filiere),
        "title": "Appel Bois",
        "kind": "call_for_projects",
        "issuer_id": str(world.association),
        "opens_on": "2011-03-01",
        "closes_on": "2011-06-30",
        "decision": {
            "body_id": str(world.bureau),
            "decided_on": "2011-02-01",
            "decided_by": ["Nouvelle Présidente"],
            "sitting_not_published": True,
            "rationale": "lancer l'appel",
        },
    }
    headers = keyed(tokens[Role.RECORDER], "launch-bois")
    before = event_count(services)

    refused = client.post("/calls", json=body, headers=headers)

    assert_problem(refused, 409, "Nouvelle Présidente")
    assert event_count(services) == before
    assert services.idempotency.find(RECORDER, "launch-bois") is None

    seated = client.post(
        f"/bodies/{world.bureau}/members",
        json={
            "person": "Nouvelle Présidente",
            "organisation_id": str(world.partner_a),
            "role": "voting",
            "from": FOUNDED.isoformat(),
        },
        headers=bearer(tokens[Role.RECORDER]),
    )
    assert seated.status_code == 200, seated.text

    executed = client.post("/calls", json=body, headers=headers)

    assert executed.status_code == 201, executed.text
    assert "Idempotent-Replayed" not in executed.headers
    stored = services.idempotency.find(RECORDER, "launch-bois")
    assert stored is not None and stored.body == executed.text
    replay = client.post("/calls", json=body, headers=headers)
    same_answer(executed, replay)
    assert replay.headers["Idempotent-Replayed"] == "true"


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/calls/{call}/candidacies", {"submitted_on": "2010-01-01"}, 409),  # before it opens
        ("/calls/{unknown}/candidacies", {}, 404),
        ("/calls/{call}/candidacies", {"requested_amount": "-5"}, 422),
    ],
    ids=["409", "404", "422"],
)
def test_a_request_that_fails_stores_nothing_of_its_key(
    client, services, tokens, world, call, path, body, status
) -> None:
    before = event_count(services)
    url = path.format(call=call, unknown=UUID(int=7))

    failed = client.post(
        url, json={**candidacy(world), **body}, headers=keyed(tokens[Role.RECORDER], "failing")
    )

    assert_problem(failed, status)
    assert services.idempotency.find(RECORDER, "failing") is None
    assert event_count(services) == before


def test_the_key_and_the_events_commit_together_or_not_at_all(services, world, call) -> None:
    """A command whose key row cannot be stored leaves no event behind: one transaction."""
    answer = StoredAnswer(fingerprint="f" * 64, status_code=201, body="{}", etag='"2"')
    ctx = CommandContext(actor=RECORDER)
    with services.transaction():
        services.app.submit_candidacy(
            ctx,
            SubmitCandidacy(
                call_id=call,
                candidate_id=world.company,
                project_title="Premier",
                submitted_on=OPENS,
            ),
        )
        services.idempotency.remember(RECORDER, "once", answer)
    written = event_count(services)

    with pytest.raises(IntegrityError), services.transaction():
        services.app.submit_candidacy(
            ctx,
            SubmitCandidacy(
                call_id=call, candidate_id=world.company, project_title="Second", submitted_on=OPENS
            ),
        )
        services.idempotency.remember(RECORDER, "once", answer)

    assert event_count(services) == written
    titles = [c.project_title for c in services.app.load(Call, call).candidacies.values()]
    assert titles == ["Premier"]

    with pytest.raises(RuntimeError), services.transaction():
        services.app.submit_candidacy(
            ctx,
            SubmitCandidacy(
                call_id=call,
                candidate_id=world.company,
                project_title="Troisième",
                submitted_on=OPENS,
            ),
        )
        services.idempotency.remember(RECORDER, "never", answer)
        raise RuntimeError("the request fails after the command")

    assert services.idempotency.find(RECORDER, "never") is None
    assert event_count(services) == written


def _post_all_at_once(
    apps: list, url: str, body: dict | list[dict], headers: dict[str, str]
) -> list[httpx.Response]:
    """THREADS clients, spread over `apps`, post at the same moment; the i-th takes the i-th
    of `body` when it is a list."""
    barrier = Barrier(THREADS)
    with ExitStack() as stack:
        clients = [
            stack.enter_context(TestClient(apps[i % len(apps)], raise_server_exceptions=False))
            for i in range(THREADS)
        ]

        def post(i: int) -> httpx.Response:
            payload = body[i % len(body)] if isinstance(body, list) else body
            barrier.wait(timeout=30)
            return clients[i].post(url, json=payload, headers=headers)

        with ThreadPoolExecutor(THREADS) as pool:
            return list(pool.map(post, range(THREADS)))


def test_concurrent_retries_with_one_key_execute_the_command_once(
    services, tokens, world, call
) -> None:
    before = event_count(services)
    headers = keyed(tokens[Role.RECORDER], "racing")

    answers = _post_all_at_once(
        [create_app(services)], f"/calls/{call}/candidacies", candidacy(world), headers
    )

    assert [a.status_code for a in answers] == [201] * THREADS, [a.text for a in answers]
    assert len({a.content for a in answers}) == 1
    assert len({a.headers["ETag"] for a in answers}) == 1
    assert sum(a.headers.get("Idempotent-Replayed") == "true" for a in answers) == THREADS - 1
    assert event_count(services) == before + 1
    assert len(services.app.load(Call, call).candidacies) == 1


def test_concurrent_retries_with_one_key_through_two_workers_execute_the_command_once(
    services, other_services, tokens, world, call
) -> None:
    before = event_count(services)
    headers = keyed(tokens[Role.RECORDER], "racing-workers")
    apps = [create_app(services), create_app(other_services)]

    answers = _post_all_at_once(apps, f"/calls/{call}/candidacies", candidacy(world), headers)

    assert [a.status_code for a in answers] == [201] * THREADS, [a.text for a in answers]
    assert len({a.content for a in answers}) == 1
    assert event_count(services) == before + 1
    assert len(services.app.load(Call, call).candidacies) == 1
    stored = other_services.idempotency.find(RECORDER, "racing-workers")
    assert stored is not None and stored.body == answers[0].text


def test_concurrent_uses_of_one_key_with_two_bodies_execute_one_and_refuse_the_other(
    services, other_services, tokens, world, call
) -> None:
    before = event_count(services)
    headers = keyed(tokens[Role.RECORDER], "racing-bodies")
    apps = [create_app(services), create_app(other_services)]
    bodies = [candidacy(world, "Projet A"), candidacy(world, "Projet B")]

    answers = _post_all_at_once(apps, f"/calls/{call}/candidacies", bodies, headers)

    assert event_count(services) == before + 1
    stored = services.app.load(Call, call)
    assert len(stored.candidacies) == 1
    kept = next(iter(stored.candidacies.values())).project_title
    for answer, body in zip(answers, bodies * THREADS, strict=False):
        if body["project_title"] == kept:
            assert answer.status_code == 201, answer.text
            assert answer.json()["version"] == 2
        else:
            assert_problem(answer, 422, "Idempotency-Key")


def test_a_replay_is_the_first_answer_even_after_the_aggregate_moved_on(
    client, services, tokens, world, call
) -> None:
    headers = keyed(tokens[Role.RECORDER], "first")
    first = client.post(f"/calls/{call}/candidacies", json=candidacy(world), headers=headers)
    later = client.post(
        f"/calls/{call}/candidacies",
        json=candidacy(world, "Autre"),
        headers=bearer(tokens[Role.RECORDER]),
    )
    assert later.json()["version"] == first.json()["version"] + 1

    again = client.post(f"/calls/{call}/candidacies", json=candidacy(world), headers=headers)

    same_answer(first, again)
    assert again.headers["ETag"] == etag(first.json()["version"])


def test_a_key_longer_than_allowed_is_refused(client, services, tokens, world, call) -> None:
    before = event_count(services)
    too_long = client.post(
        f"/calls/{call}/candidacies",
        json=candidacy(world),
        headers=keyed(tokens[Role.RECORDER], "k" * 201),
    )
    assert_problem(too_long, 422)
    assert event_count(services) == before
