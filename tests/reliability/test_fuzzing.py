"""Fuzzing: schemathesis against the OpenAPI document the served API publishes, role by role.

A real `filieres serve` on 127.0.0.1, over a store of its own holding the Roannais history.
The schema is the one the server serves at /openapi.json; every operation it lists is sent
schemathesis-generated requests, valid (positive) and invalid (negative), with random ids and
with ids that exist in the demo, as each role in turn. Every answer must be no 5xx, carry a
status code, content type, headers and body the document declares for that operation, and
refuse what the schema calls invalid. Failures are collected, not stopped at: the assertion
lists every distinct non-conformance found, each with a curl command reproducing it.

SQLite, not PostgreSQL: what is fuzzed is the HTTP contract (routing, validation, refusals,
response models), which does not depend on the backend; the backends' own behaviour under
hostile values is covered by test_hostile_input on both. One backend keeps the module's
run, bounded by EXAMPLES, to a few minutes in CI.
"""

import os
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.bootstrap import build
from application.body_commands import AttendanceLine, HoldSitting
from application.context import CommandContext
from application.filieres_app import FilieresApplication
from application.roannais_history import RoannaisIds, record_roannais_history
from domain.governing_body import GoverningBody
from domain.sitting import AttendanceStatus
from infrastructure.auth_store import Role
from tests.api.test_served import FILIERES, STARTUP_SECONDS, _env, _free_port

pytestmark = [pytest.mark.reliability]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
"""Generated requests per operation, role and generation mode: bounds the module's run time in
CI (about 530 requests a role); FUZZ_EXAMPLES=100 make reliability digs deeper."""

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
ANSWER_SECONDS = 60
"""Not a performance bound: long enough for a loaded CI machine, short enough to report a hang."""
MAX_BODY_BYTES = 16 * 1024
"""The served limit on request bodies, below the default so that a body over it stays small."""
CHECKS_BY_MODE = {
    schemathesis.GenerationMode.POSITIVE: CHECKS,
    # Input the schema calls invalid must be refused (4xx), not stored.
    schemathesis.GenerationMode.NEGATIVE: [*CHECKS, negative_data_rejection],
}


CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            # schemathesis' list of refusals, and 413: a generated body over the limit is
            # refused before it is read, which is a refusal too.
            "negative_data_rejection": {
                "expected-statuses": [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429],
            }
        }
    }
)
"""Written here rather than discovered from a schemathesis.toml, so nothing outside changes it."""


@dataclass(frozen=True)
class Served:
    base: str
    tokens: dict[Role, str] = field(repr=False)
    known_ids: dict[str, str]
    """A path parameter's name → an id the demo recorded, so that requests reach real state
    (and real answers are checked against their schemas), not only 404s."""


@contextmanager
def serving(database_url: str, directory: Path) -> Iterator[str]:
    """`filieres serve` on a free port, its output in a file: a pipe nobody reads fills up after
    a few hundred access-log lines and then blocks the server (tests/api/test_served.running)."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with (directory / "serve.log").open("w") as log:
        process = subprocess.Popen(
            [str(FILIERES), "serve", "--database-url", database_url, "--port", str(port)],
            cwd=directory,
            env={**_env(), "FILIERES_MAX_BODY_BYTES": str(MAX_BODY_BYTES)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while True:
                assert process.poll() is None, (directory / "serve.log").read_text()
                try:
                    if requests.get(f"{base}/health", timeout=2).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                assert time.monotonic() < deadline, "the server did not answer in time"
                time.sleep(0.2)
            yield base
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    directory = tmp_path_factory.mktemp("fuzz")
    url = f"sqlite:///{directory / 'filieres.db'}"
    services = build(database_url=url)
    try:
        ids = record_roannais_history(services.app)
        sitting = hold_a_sitting(services.app, ids.bureau)
        tokens = {role: services.tokens.issue(f"Fuzz {role.value}", role) for role in Role}
    finally:
        services.close()
    with serving(url, Path(directory)) as base:
        yield Served(base, tokens, known_ids(ids) | {"sitting_id": str(sitting)})


def hold_a_sitting(app: FilieresApplication, body_id: UUID) -> UUID:
    """A sitting of the bureau, everyone seated that day present: the demo records none (its
    source reports none), and the sittings' routes need one to be fuzzed on a real id."""
    held_on = date(2012, 6, 1)
    body = app.load(GoverningBody, body_id)
    attendance = [
        AttendanceLine(person=seat.person, status=AttendanceStatus.PRESENT)
        for seat in body.seats
        if seat.covers(held_on)
    ]
    sitting_id = uuid4()
    command = HoldSitting(
        body_id=body_id, held_on=held_on, attendance=attendance, sitting_id=sitting_id
    )
    app.execute(CommandContext(actor="fuzz setup"), command)
    return sitting_id


def known_ids(ids: RoannaisIds) -> dict[str, str]:
    return {
        "organisation_id": str(next(iter(ids.partners.values()))),
        "body_id": str(ids.bureau),
        "filiere_id": str(ids.filieres["viandes"]),
        "call_id": str(ids.viandes_call),
        "candidacy_id": str(ids.viandes_candidates[0]),
        "project_id": str(ids.deconstruction_global_project),
        "funding_id": str(ids.state_funding),
        "aggregate_id": str(ids.viandes_call),
        "subject_id": str(ids.deconstruction_global_project),
    }


@dataclass
class Fuzzer:
    """Sends generated requests to the served API as one role, and collects what did not conform."""

    served: Served
    role: Role
    session: requests.Session
    failures: dict[tuple[str, str, int], str] = field(default_factory=dict)
    """(operation, failure title, status) → the first request that showed it, as curl."""
    unanswered: dict[str, str] = field(default_factory=dict)
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    slowest: tuple[float, str] = (0.0, "")

    @property
    def auth(self) -> dict[str, str]:
        # A fixed header, which generation leaves alone; a session header would be put back on
        # the requests negative mode sends without one, and make them look wrongly accepted.
        # (Missing and malformed credentials are test_access_matrix's.)
        return {"Authorization": f"Bearer {self.served.tokens[self.role]}"}

    def fuzz(self, operation: Any, mode: schemathesis.GenerationMode) -> None:
        """EXAMPLES generated requests, with random ids or ids the demo recorded."""
        strategies = [operation.as_strategy(generation_mode=mode, headers=self.auth)]
        names = {p.name for p in operation.path_parameters}
        if names:
            known = {name: self.served.known_ids[name] for name in names}
            strategies.append(
                operation.as_strategy(
                    generation_mode=mode, headers=self.auth, path_parameters=known
                )
            )

        # No shrinking: each failing request is reported as generated, and the next one sent.
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=st.one_of(strategies))
        def send(case: schemathesis.Case) -> None:
            self.exchange(case, CHECKS_BY_MODE[mode])

        try:
            send()
        except Unsatisfiable:
            # Negative mode on an operation with nothing to make invalid (no parameter, no body).
            assert mode is schemathesis.GenerationMode.NEGATIVE, operation.label

    def oversized(self, operation: Any) -> None:
        """One body over the served limit: the refusal generated bodies never reach."""
        body = {"padding": "x" * (MAX_BODY_BYTES + 1)}

        @settings(max_examples=1, deadline=None, database=None, phases=[Phase.generate])
        @given(case=operation.as_strategy(headers=self.auth, body=body))
        def send(case: schemathesis.Case) -> None:
            self.exchange(case, CHECKS)

        send()

    def exchange(self, case: schemathesis.Case, checks: list[Any]) -> None:
        base = self.served.base
        self.requests += 1
        sent = time.monotonic()
        try:
            response = case.call(base_url=base, session=self.session, timeout=ANSWER_SECONDS)
        except requests.RequestException as error:
            what = f"{case.operation.label}: {type(error).__name__}"
            self.unanswered.setdefault(what, case.as_curl_command(base_url=base))
            return
        label = f"{case.operation.label} {response.status_code}"
        self.slowest = max(self.slowest, (time.monotonic() - sent, label))
        self.statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=checks)
        except FailureGroup as group:
            curl = case.as_curl_command(headers=dict(response.request.headers), base_url=base)
            for failure in group.exceptions:
                key = (str(failure.operation), failure.title, response.status_code)
                message = " ".join(failure.message.split())[:400]
                self.failures.setdefault(key, f"{message}\n      {curl[:300]}")

    def report(self) -> str:
        lines = [
            f"  {operation} [{title}, {status}]: {detail}"
            for (operation, title, status), detail in sorted(self.failures.items())
        ]
        lines += [f"  no answer to {what}: {curl}" for what, curl in self.unanswered.items()]
        return "\n".join(lines)


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_every_operation_answers_each_role_as_documented(served: Served, role: Role) -> None:
    schema = schemathesis.openapi.from_url(f"{served.base}/openapi.json", config=CONFIG, timeout=30)
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"an operation schemathesis cannot read: {result.err()}"
        operations.append(result.ok())
    started = time.monotonic()
    with requests.Session() as session:
        fuzzer = Fuzzer(served, role, session)
        for operation in operations:
            for mode in CHECKS_BY_MODE:
                fuzzer.fuzz(operation, mode)
            if operation.body:
                fuzzer.oversized(operation)

    kinds = Counter(title for _, title, _ in fuzzer.failures)
    print(
        f"\nfuzzing as {role.value}: {len(operations)} operations, {fuzzer.requests} requests "
        f"in {time.monotonic() - started:.0f}s, answers {dict(sorted(fuzzer.statuses.items()))}, "
        f"{len(fuzzer.failures)} distinct failures {dict(kinds)}, {len(fuzzer.unanswered)} "
        f"requests unanswered; slowest answer "
        f"{fuzzer.slowest[0]:.2f}s ({fuzzer.slowest[1]})"
    )
    assert len(operations) > 40, "the served document lists fewer operations than the API has"
    if fuzzer.failures or fuzzer.unanswered:
        # pytest.fail rather than assert: the assertion's introspection would print the tokens.
        pytest.fail(
            f"what the API answered {role.value} and its document does not say:\n{fuzzer.report()}"
        )
