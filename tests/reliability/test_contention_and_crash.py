"""Contention and a crash, through `filieres serve --workers 2` on PostgreSQL.

Contention: 16 clients send 320 commands at once to two calls, three
organisations and one funding. Every command acknowledged (2xx) must be in the
log exactly once, as answered; every conflict must be a 409 that wrote
nothing; no answer may be a 5xx.

Crash: 16 clients send 256 commands, each with its own Idempotency-Key; a
third of the way through, the server's master and workers are killed with
SIGKILL and the server is started again. Each client sends every request that
got no answer again, same key and body, until answered. Then every command is
in the log exactly once (a write committed just before the kill is replayed,
not repeated; one not committed is executed on retry), a replay of any key
gives its first answer, the integrity chain verifies and the views equal a
rebuild from the log.

The log is read from the store itself; each request carries its own
X-Correlation-ID, which the server stamps on the events of its command.
"""

import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from threading import Barrier
from uuid import UUID

import httpx
import pytest

from api.bootstrap import build
from application.context import CommandContext
from application.funding_commands import GrantFunding
from domain.funding import FundingKind
from infrastructure.auth_store import Role
from tests.api.test_served import STARTUP_SECONDS, _free_port
from tests.api.test_served_workers_and_runner import stop
from tests.application.refusals import OPENS, a_project, open_call
from tests.reliability.served_load import (
    Figures,
    Sent,
    account,
    audit_verifies,
    connect,
    kill_hard,
    logged_events,
    send,
    serving,
    views_equal_a_rebuild,
)
from tests.world import make_world

pytestmark = [pytest.mark.postgres, pytest.mark.reliability]

CLIENTS = 16
GRANTED = Decimal("10000.00")


@dataclass(frozen=True)
class Programme:
    """What the clients write to: few aggregates, so that they meet on each."""

    calls: tuple[UUID, ...]
    organisations: tuple[UUID, ...]
    funding: UUID
    company: UUID
    token: str
    setup_end: int
    """The log's last position before the load."""


@pytest.fixture
def programme(postgres_url: str) -> Programme:
    services = build(database_url=postgres_url)
    try:
        ctx = CommandContext(actor="setup")
        world = make_world(services.app, ctx)
        calls = (open_call(services.app, ctx, world), open_call(services.app, ctx, world))
        project = a_project(services.app, ctx, world)
        decision = world.decision(date(2012, 1, 10))
        funding = services.app.grant_funding(
            ctx,
            GrantFunding(
                project_id=project,
                funder_id=world.association,
                kind=FundingKind.GRANT,
                decision=decision,
                amount=str(GRANTED),
            ),
        ).id
        end = services.app.recorder.max_notification_id()
        assert end is not None
        return Programme(
            calls=calls,
            organisations=(world.association, world.partner_a, world.partner_b),
            funding=funding,
            company=world.company,
            token=services.tokens.issue("Charge", Role.RECORDER),
            setup_end=end,
        )
    finally:
        services.close()


def candidacy(p: Programme, n: int, k: int) -> Sent:
    body = {
        "candidate_id": str(p.company),
        "project_title": f"Projet {n}.{k}",
        "submitted_on": OPENS.isoformat(),
    }
    return Sent(f"/calls/{p.calls[(n + k) % len(p.calls)]}/candidacies", body)


def rename(p: Programme, n: int, k: int, if_match: bool) -> Sent:
    path = f"/organisations/{p.organisations[(n + k) % len(p.organisations)]}"
    body = {"name": f"Nom {n}.{k}", "effective_on": "2012-01-01"}
    return Sent(f"{path}/rename", body, etag_from=path if if_match else None)


def disbursement(p: Programme, amount: Decimal) -> Sent:
    body = {"amount": str(amount), "paid_on": "2012-02-01"}
    return Sent(f"/fundings/{p.funding}/disbursements", body)


def registration(n: int, k: int) -> Sent:
    body = {"name": f"Organisation {n}.{k}", "kind": "partner", "registered_on": "2012-01-01"}
    return Sent("/organisations", body)


def load(
    base: str, token: str, plans: list[list[Sent]], retry_for: float = 0.0
) -> list[Future[None]]:
    """Each client sends its plan in order, all starting together; a future per client."""
    barrier = Barrier(len(plans))

    def client(plan: list[Sent]) -> None:
        with connect(base, token) as http:
            barrier.wait(timeout=60)
            for request in plan:
                send(http, request, retry_for)

    pool = ThreadPoolExecutor(len(plans))
    try:
        return [pool.submit(client, plan) for plan in plans]
    finally:
        pool.shutdown(wait=False)  # the futures run on; the caller waits for them


def check_answers(requests: list[Sent], allowed: set[int]) -> Counter[int]:
    statuses = Counter(r.status for r in requests if r.status is not None)
    assert not [s for s in statuses if s >= 500], statuses
    assert set(statuses) <= allowed, statuses
    for refused in (r for r in requests if r.status == 409):
        assert refused.answer == {}, refused.text  # a problem+json, not a command's answer
    return statuses


def check_the_log(requests: list[Sent], p: Programme, database_url: str) -> Figures:
    figures = account(requests, logged_events(database_url), after=p.setup_end)
    assert (figures.lost, figures.duplicates, figures.strays) == (0, 0, 0), figures.problems
    assert not figures.problems, figures.problems
    return figures


def check_what_reads_show(http: httpx.Client, requests: list[Sent], p: Programme) -> None:
    """The calls, organisations and funding as the API shows them: every acknowledged command
    once, nothing of the others."""
    kept = [r for r in requests if r.acknowledged]
    for call in p.calls:
        titles = [r.body["project_title"] for r in kept if r.path == f"/calls/{call}/candidacies"]
        shown = http.get(f"/calls/{call}").json()["candidacies"]
        assert sorted(c["project_title"] for c in shown) == sorted(titles)
    for organisation in p.organisations:
        renames = [r for r in kept if r.path == f"/organisations/{organisation}/rename"]
        if renames:
            last = max(renames, key=lambda r: r.answer["version"])
            assert http.get(f"/organisations/{organisation}").json()["name"] == last.body["name"]
    paid = [r for r in kept if r.path == f"/fundings/{p.funding}/disbursements"]
    ledger = http.get(f"/fundings/{p.funding}").json()
    assert Decimal(ledger["disbursed"]) == sum(Decimal(r.body["amount"]) for r in paid)
    assert len([e for e in ledger["entries"] if e["kind"] == "disbursed"]) == len(paid)


def report(title: str, figures: Figures, **more: int) -> None:
    shown = {
        "requests sent": figures.sent,
        "acknowledged": figures.acknowledged,
        "409s": figures.conflicts,
        **{name.replace("_", " "): value for name, value in more.items()},
        "writes lost": figures.lost,
        "duplicates": figures.duplicates,
    }
    print(f"\n{title}: " + ", ".join(f"{name} {value}" for name, value in shown.items()))


# --- Contention ----------------------------------------------------------------------------

COMMANDS_PER_CLIENT = 20
PAYMENT = Decimal("250.00")  # the grant allows 40, 80 are sent


def contention_plan(p: Programme, n: int) -> list[Sent]:
    plan: list[Sent] = []
    for k in range(COMMANDS_PER_CLIENT):
        kind = (n + k) % 4
        if kind == 1:
            # Read the organisation, rename it if still as read: 409 when another came first.
            plan.append(rename(p, n, k, if_match=True))
        elif kind == 2:
            plan.append(disbursement(p, PAYMENT))
        else:
            plan.append(candidacy(p, n, k))
    return plan


def test_concurrent_clients_on_few_aggregates_each_command_once_or_409(
    tmp_path: Path, postgres_url: str, programme: Programme
) -> None:
    p = programme
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    plans = [contention_plan(p, n) for n in range(CLIENTS)]
    requests = [r for plan in plans for r in plan]

    with serving(postgres_url, port, tmp_path, "serve") as server:
        for done in load(base, p.token, plans):
            done.result()
        statuses = check_answers(requests, {200, 201, 409})
        with connect(base, p.token) as http:
            check_what_reads_show(http, requests, p)
        stop(server)

    figures = check_the_log(requests, p, postgres_url)
    paid = [r for r in requests if "/disbursements" in r.path and r.acknowledged]
    assert len(paid) == GRANTED / PAYMENT  # never more than granted, none refused short of it
    conflicts = Counter(r.path.rsplit("/", 1)[1] for r in requests if r.status == 409)
    assert figures.conflicts == statuses[409] == sum(conflicts.values())
    audit_verifies(postgres_url)
    views_equal_a_rebuild(postgres_url)
    report(
        "contention",
        figures,
        renames_refused_409=conflicts["rename"],
        disbursements_refused_409=conflicts["disbursements"],
        candidacies_refused_409=conflicts["candidacies"],
    )


# --- Crash ---------------------------------------------------------------------------------

CRASH_COMMANDS_PER_CLIENT = 16
KILL_AFTER = CLIENTS * CRASH_COMMANDS_PER_CLIENT // 3
"""Acknowledged commands before the kill."""


def crash_plan(p: Programme, n: int) -> list[Sent]:
    plan: list[Sent] = []
    for k in range(CRASH_COMMANDS_PER_CLIENT):
        kind = (n + k) % 4
        if kind == 0:
            request = registration(n, k)
        elif kind == 1:
            request = candidacy(p, n, k)
        elif kind == 2:
            request = rename(p, n, k, if_match=False)
        else:
            request = disbursement(p, Decimal("10.00"))  # 64 of them stay within the grant
        request.key = f"crash-{n}-{k}"
        plan.append(request)
    return plan


def test_kill_9_mid_load_then_retries_with_the_same_keys_store_each_write_once(
    tmp_path: Path, postgres_url: str, programme: Programme
) -> None:
    p = programme
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    plans = [crash_plan(p, n) for n in range(CLIENTS)]
    requests = [r for plan in plans for r in plan]

    with ExitStack() as stack:
        first = stack.enter_context(serving(postgres_url, port, tmp_path, "serve"))
        # Clients keep retrying while the server is down and while it starts again.
        clients = load(base, p.token, plans, retry_for=STARTUP_SECONDS + 60)
        while sum(r.acknowledged for r in requests) < KILL_AFTER:
            assert not any(c.done() and c.exception() for c in clients), [
                c.exception() for c in clients if c.done()
            ]
            time.sleep(0.01)
        killed = kill_hard(first)
        answered_before_kill = sum(r.status is not None for r in requests)
        second = stack.enter_context(serving(postgres_url, port, tmp_path, "serve-after-crash"))
        for done in clients:
            done.result()

        check_answers(requests, {200, 201, 409})
        with connect(base, p.token) as http:
            written = http.get("/health").json()["events"]
            # Every key once more: its first answer, written nothing.
            for request in (r for r in requests if r.acknowledged):
                again = http.post(request.path, json=request.body, headers=request.headers())
                assert (again.status_code, again.text) == (request.status, request.text)
                assert again.headers["Idempotent-Replayed"] == "true"
            assert http.get("/health").json()["events"] == written
            check_what_reads_show(http, requests, p)
        stop(second)

    figures = check_the_log(requests, p, postgres_url)
    # Every request was answered in the end, a creation with the id the log holds.
    assert figures.acknowledged + figures.conflicts == figures.sent
    retried = [r for r in requests if r.unanswered]
    cut_off = [r for r in retried if r.cut_off]
    assert retried, "the kill came after the load: nothing was retried"
    # A request the server never received cannot have been committed before the kill.
    assert not [r.path for r in retried if r.replayed and not r.cut_off]
    audit_verifies(postgres_url)
    events = views_equal_a_rebuild(postgres_url)
    report(
        "crash",
        figures,
        processes_killed=len(killed),
        answered_before_the_kill=answered_before_kill,
        requests_retried_after_the_crash=len(retried),
        attempts_without_answer=sum(r.unanswered for r in retried),
        requests_cut_off_by_the_kill=len(cut_off),
        of_which_committed_before_it_and_replayed=sum(r.replayed for r in cut_off),
        of_which_executed_on_retry=sum(not r.replayed for r in cut_off),
        events_in_the_log=events,
    )
