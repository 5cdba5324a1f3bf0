"""No input, however malformed, yields a 5xx or writes anything: it is refused, naming the field."""

import base64
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from api.bootstrap import build
from application.context import CommandContext
from application.funding_commands import GrantFunding
from tests.api.http import assert_problem, event_count
from tests.application.refusals import a_project, closed_call, open_call
from tests.conftest import BACKENDS, copy_of
from tests.world import make_world

NO_BODY = object()
_PLACEHOLDER = re.compile(r"^\{(\w+)\}$")

# Valid bodies: each case below breaks one thing in one of them, so the
# refusal can only come from that thing (test_the_valid_bodies_are_accepted).
DECISION = {
    "body_id": "{bureau}",
    "decided_on": "2012-02-15",
    "decided_by": ["Présidente A"],
    "sitting_not_published": True,
    "rationale": "Le bureau approuve.",
    "reference": "PV du bureau du 15/02/2012",
    "vote": {"for": 2, "against": 0, "abstain": 0},
}
ORGANISATION = {"name": "Scierie du Forez", "kind": "company"}
BODY = {"name": "Comité technique", "kind": "advisory_council"}
SEAT = {
    "person": "Nouveau Membre",
    "organisation_id": "{partner_a}",
    "role": "voting",
    "from": "2012-01-01",
}
FILIERE = {
    "name": "Bois",
    "kind": "filiere",
    "lead_partner_id": "{partner_b}",
    "launched_on": "2012-02-15",
    "decision": DECISION,
}
LEAD_PARTNER = {"lead_partner_id": "{partner_b}", "decision": DECISION}
CALL = {
    "filiere_id": "{filiere}",
    "title": "Appel Bois",
    "kind": "call_for_projects",
    "issuer_id": "{association}",
    "opens_on": "2012-03-01",
    "closes_on": "2012-06-30",
    "decision": DECISION,
    "budget_envelope": "50000.00",
    "max_selected": 3,
}
CANDIDACY = {
    "candidate_id": "{company}",
    "project_title": "Atelier de découpe",
    "submitted_on": "2011-04-01",
    "requested_amount": "1000.00",
}
REVIEW = {"reviewer": "Expert", "opinion": "Solide.", "reviewed_on": "2011-07-15", "score": 80}
CANDIDACY_DECISION = {"outcome": "selected", "decision": DECISION}
PROJECT = {
    "filiere_id": "{filiere}",
    "title": "Plateforme logistique",
    "proposed_on": "2012-01-10",
    "partners": [{"organisation_id": "{company}", "role": "porteur"}],
    "estimated_budget": "5000.00",
}
STATUS = {"status": "approved", "effective_on": "2012-02-15", "decision": DECISION}
FUNDING = {
    "project_id": "{project}",
    "funder_id": "{association}",
    "kind": "grant",
    "decision": DECISION,
    "amount": "1000.00",
}
AMOUNT = {"amount": "2000.00", "decision": DECISION}
DISBURSEMENT = {"amount": "100.00", "paid_on": "2012-03-01"}

BASES = {
    "organisation": ("/organisations", ORGANISATION),
    "body": ("/bodies", BODY),
    "seat": ("/bodies/{bureau}/members", SEAT),
    "filiere": ("/filieres", FILIERE),
    "lead partner": ("/filieres/{filiere}/lead-partner", LEAD_PARTNER),
    "call": ("/calls", CALL),
    "candidacy": ("/calls/{call}/candidacies", CANDIDACY),
    "review": ("/calls/{closed_call}/candidacies/{candidacy}/reviews", REVIEW),
    "candidacy decision": (
        "/calls/{closed_call}/candidacies/{candidacy}/decision",
        CANDIDACY_DECISION,
    ),
    "project": ("/projects", PROJECT),
    "project status": ("/projects/{project}/status", STATUS),
    "funding": ("/fundings", FUNDING),
    "funding amount": ("/fundings/{funding}/amount", AMOUNT),
    "disbursement": ("/fundings/{funding}/disbursements", DISBURSEMENT),
}


@dataclass(frozen=True)
class Case:
    path: str
    body: Any = NO_BODY
    """JSON-serialised (NaN allowed) unless `content` gives the raw bytes."""
    content: bytes | None = None
    method: str = "POST"
    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    status: int | frozenset[int] = 422
    loc: str | None = None
    """A name that the `loc` of one of the 422's `errors` must hold."""
    words: tuple[str, ...] = ()


def post(base: str, body: Any, loc: str | None = None, **options: Any) -> Case:
    return Case(BASES[base][0], body, loc=loc, **options)


def changed(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**base, **changes}


def without(base: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in base.items() if k != key}


def decision(**changes: Any) -> dict[str, Any]:
    return changed(DECISION, **changes)


def vote(**changes: Any) -> dict[str, Any]:
    return decision(vote={"for": 2, "against": 0, "abstain": 0, **changes})


def amount(value: Any, **options: Any) -> Case:
    return post("funding", changed(FUNDING, amount=value), "amount", **options)


def decisions(**params: str) -> Case:
    return Case("/decisions", method="GET", params=params, loc=next(iter(params)))


def cursor_of(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


JSON = {"content-type": "application/json"}
ETAG_PROBLEM = ("If-Match",)

CASES: dict[str, Case] = {
    # The body is not a JSON object
    "malformed JSON": Case("/organisations", content=b'{"name": ', headers=JSON, loc="body"),
    "empty body": Case("/organisations", content=b"", headers=JSON, loc="body"),
    "JSON array": post("organisation", [ORGANISATION], "body"),
    "JSON string": post("organisation", "Scierie du Forez", "body"),
    "JSON null": post("organisation", None, "body"),
    "JSON number": post("organisation", 42, "body"),
    "form-encoded body": Case(
        "/organisations",
        content=b"name=Scierie&kind=company",
        headers={"content-type": "application/x-www-form-urlencoded"},
        status=415,
        words=("application/json",),
    ),
    "text/plain body": Case(
        "/organisations",
        content=json.dumps(ORGANISATION).encode(),
        headers={"content-type": "text/plain"},
        status=415,
        words=("application/json",),
    ),
    "body not UTF-8": Case(
        "/organisations",
        content=b'{"name": "\xff\xfe", "kind": "company"}',
        headers=JSON,
        status=frozenset({400, 422}),
    ),
    "JSON nested 100 000 deep": Case(
        "/organisations",
        content=b'{"name": ' + b"[" * 100_000 + b"]" * 100_000 + b', "kind": "company"}',
        headers=JSON,
        status=frozenset({400, 422}),
    ),
    "integer of 5000 digits": Case(
        "/calls",
        content=json.dumps(CALL)
        .replace('"max_selected": 3', '"max_selected": ' + "9" * 5000)
        .encode(),
        headers=JSON,
        status=frozenset({400, 422}),
    ),
    "lone surrogate in a name": Case(
        "/organisations",
        content=b'{"name": "a\\ud800b", "kind": "company"}',
        headers=JSON,
        loc="name",
    ),
    # Wrong types
    "name a number": post("organisation", changed(ORGANISATION, name=123), "name"),
    "name null": post("organisation", changed(ORGANISATION, name=None), "name"),
    "name a list": post("organisation", changed(ORGANISATION, name=["Scierie"]), "name"),
    "name blank": post("organisation", changed(ORGANISATION, name="   "), "name"),
    "name missing": post("organisation", without(ORGANISATION, "name"), "name"),
    "kind null": post("organisation", changed(ORGANISATION, kind=None), "kind"),
    "siren of 5 digits": post("organisation", changed(ORGANISATION, siren="12345"), "siren"),
    "date 2011-13-45": post(
        "organisation", changed(ORGANISATION, registered_on="2011-13-45"), "registered_on"
    ),
    "date yesterday": post(
        "organisation", changed(ORGANISATION, registered_on="yesterday"), "registered_on"
    ),
    "date as a timestamp": post(
        "organisation", changed(ORGANISATION, registered_on=1_300_000_000), "registered_on"
    ),
    "date 2011-02-30": post("filiere", changed(FILIERE, launched_on="2011-02-30"), "launched_on"),
    "date 2012-06-31": post("call", changed(CALL, closes_on="2012-06-31"), "closes_on"),
    "seat from 2012-01-32": post("seat", changed(SEAT, **{"from": "2012-01-32"}), "from"),
    "date null": post("candidacy", changed(CANDIDACY, submitted_on=None), "submitted_on"),
    "id not a UUID": post(
        "filiere", changed(FILIERE, lead_partner_id="not-a-uuid"), "lead_partner_id"
    ),
    "id a number": post("filiere", changed(FILIERE, lead_partner_id=42), "lead_partner_id"),
    "candidacy id not a UUID": post(
        "candidacy", changed(CANDIDACY, candidacy_id="c-1"), "candidacy_id"
    ),
    "path id not a UUID": Case("/filieres/not-a-uuid/lead-partner", LEAD_PARTNER, loc="filiere_id"),
    "path candidacy id not a UUID": Case(
        "/calls/{closed_call}/candidacies/42/decision", CANDIDACY_DECISION, loc="candidacy_id"
    ),
    "decision a string": post("filiere", changed(FILIERE, decision="yes"), "decision"),
    "decision missing": post("filiere", without(FILIERE, "decision"), "decision"),
    "decision body_id not a UUID": post(
        "lead partner", changed(LEAD_PARTNER, decision=decision(body_id="bureau")), "body_id"
    ),
    "decided_on yesterday": post(
        "lead partner",
        changed(LEAD_PARTNER, decision=decision(decided_on="yesterday")),
        "decided_on",
    ),
    # pydantic reads a number as a Unix timestamp: 0 would be 1970-01-01.
    "decided_on a number": post(
        "lead partner", changed(LEAD_PARTNER, decision=decision(decided_on=0)), "decided_on"
    ),
    "constituted_on a tiny float": post(
        "body", changed(BODY, constituted_on=5.458e-264), "constituted_on"
    ),
    "decided_by a string": post(
        "lead partner",
        changed(LEAD_PARTNER, decision=decision(decided_by="Présidente A")),
        "decided_by",
    ),
    "decided_by an empty name": post(
        "lead partner", changed(LEAD_PARTNER, decision=decision(decided_by=[""])), "decided_by"
    ),
    "rationale empty": post(
        "lead partner", changed(LEAD_PARTNER, decision=decision(rationale="")), "rationale"
    ),
    "rationale missing": post(
        "lead partner", changed(LEAD_PARTNER, decision=without(DECISION, "rationale")), "rationale"
    ),
    "reverses zero": post(
        "lead partner", changed(LEAD_PARTNER, decision=decision(reverses=0)), "reverses"
    ),
    "reverses a string": post(
        "lead partner", changed(LEAD_PARTNER, decision=decision(reverses="1")), "reverses"
    ),
    "reverses beyond any log position": post(
        "lead partner",
        changed(LEAD_PARTNER, decision=decision(reverses=2**63)),
        status=422,
        loc="reverses",
    ),
    "partners not a list": post("project", changed(PROJECT, partners="{company}"), "partners"),
    "partner without a role": post(
        "project", changed(PROJECT, partners=[{"organisation_id": "{company}"}]), "role"
    ),
    "origin call without its candidacy": post("project", changed(PROJECT, origin_call_id="{call}")),
    "max_selected a string": post("call", changed(CALL, max_selected="3"), "max_selected"),
    "max_selected a boolean": post("call", changed(CALL, max_selected=True), "max_selected"),
    "max_selected zero": post("call", changed(CALL, max_selected=0), "max_selected"),
    "score a string": post("review", changed(REVIEW, score="80"), "score"),
    "score above 100": post("review", changed(REVIEW, score=101), "score"),
    # Values outside the enumerations
    "organisation kind nope": post("organisation", changed(ORGANISATION, kind="nope"), "kind"),
    "organisation kind in capitals": post(
        "organisation", changed(ORGANISATION, kind="Company"), "kind"
    ),
    "organisation kind empty": post("organisation", changed(ORGANISATION, kind=""), "kind"),
    "body kind parliament": post("body", changed(BODY, kind="parliament"), "kind"),
    "seat role king": post("seat", changed(SEAT, role="king"), "role"),
    "filiere kind sector": post("filiere", changed(FILIERE, kind="sector"), "kind"),
    "call kind tender": post("call", changed(CALL, kind="tender"), "kind"),
    "outcome maybe": post(
        "candidacy decision", changed(CANDIDACY_DECISION, outcome="maybe"), "outcome"
    ),
    "project status proposed": post(
        "project status", changed(STATUS, status="proposed"), status=frozenset({409, 422})
    ),
    "project status in capitals": post(
        "project status", changed(STATUS, status="APPROVED"), "status"
    ),
    "funding kind gift": post("funding", changed(FUNDING, kind="gift"), "kind"),
    # Amounts are decimal strings with at most 2 places, positive
    "amount a JSON float": amount(1.5),
    "amount a JSON integer": amount(100),
    "amount a boolean": amount(True),
    "amount with 3 decimals": amount("10.005"),
    "amount negative": amount("-5.00"),
    "amount zero": post("funding", changed(FUNDING, amount="0.00"), words=("amount", "positive")),
    "amount with an exponent": amount("1e3"),
    "amount too large": amount("1000000000000.00"),
    "amount NaN literal": amount(float("nan")),
    "amount Infinity literal": amount(float("inf")),
    "amount NaN string": amount("NaN"),
    "amount empty": amount(""),
    "amount with spaces": amount(" 10.00"),
    "amount with a decimal comma": amount("10,00"),
    "amount with a thousands separator": amount("1 000.00"),
    "disbursement zero": post(
        "disbursement", changed(DISBURSEMENT, amount="0.00"), words=("amount", "positive")
    ),
    "disbursement negative": post("disbursement", changed(DISBURSEMENT, amount="-1.00"), "amount"),
    "disbursement a JSON float": post("disbursement", changed(DISBURSEMENT, amount=2.5), "amount"),
    "revision without amount": post("funding amount", without(AMOUNT, "amount"), "amount"),
    "requested amount with 3 decimals": post(
        "candidacy", changed(CANDIDACY, requested_amount="10.005"), "requested_amount"
    ),
    "estimated budget a JSON float": post(
        "project", changed(PROJECT, estimated_budget=1e3), "estimated_budget"
    ),
    "budget envelope not a number": post(
        "call", changed(CALL, budget_envelope="abc"), "budget_envelope"
    ),
    # Sizes
    "name of 1 MB": post("organisation", changed(ORGANISATION, name="x" * 1_000_000), "name"),
    "rationale of 10 000 characters": post(
        "lead partner",
        changed(LEAD_PARTNER, decision=decision(rationale="r" * 10_000)),
        "rationale",
    ),
    "reference of 501 characters": post(
        "lead partner", changed(LEAD_PARTNER, decision=decision(reference="r" * 501)), "reference"
    ),
    "decider name of 201 characters": post(
        "lead partner",
        changed(LEAD_PARTNER, decision=decision(decided_by=["p" * 201])),
        "decided_by",
    ),
    "101 deciders": post(
        "lead partner",
        changed(LEAD_PARTNER, decision=decision(decided_by=[f"P{i}" for i in range(101)])),
        "decided_by",
    ),
    "project title of 501 characters": post("project", changed(PROJECT, title="t" * 501), "title"),
    "51 objectives": post(
        "filiere", changed(FILIERE, objectives=[f"O{i}" for i in range(51)]), "objectives"
    ),
    # Unknown fields
    "unknown field": post("organisation", changed(ORGANISATION, colour="red"), "colour"),
    "id chosen by the client": post("organisation", changed(ORGANISATION, id="{company}"), "id"),
    "recorded_by in the body": post(
        "organisation", changed(ORGANISATION, recorded_by="Someone"), "recorded_by"
    ),
    "unknown field in the decision": post(
        "lead partner", changed(LEAD_PARTNER, decision=decision(approved=True)), "approved"
    ),
    "unknown field in the vote": post(
        "lead partner", changed(LEAD_PARTNER, decision=vote(blank=1)), "blank"
    ),
    "unknown field in a partner": post(
        "project",
        changed(
            PROJECT, partners=[{"organisation_id": "{company}", "role": "porteur", "share": 50}]
        ),
        "share",
    ),
    # Decisions naming a person twice
    "decided_by twice (lead partner)": post(
        "lead partner",
        changed(LEAD_PARTNER, decision=decision(decided_by=["Présidente A", "Présidente A"])),
    ),
    "decided_by twice (project status)": post(
        "project status",
        changed(STATUS, decision=decision(decided_by=["Présidente A", "Présidente A"])),
    ),
    "decided_by twice up to spaces (funding)": post(
        "funding",
        changed(FUNDING, decision=decision(decided_by=["Présidente A", " Présidente A "])),
    ),
    # Votes
    "vote for negative": post(
        "lead partner", changed(LEAD_PARTNER, decision=vote(**{"for": -1})), "for"
    ),
    "vote against a string": post(
        "lead partner", changed(LEAD_PARTNER, decision=vote(against="2")), "against"
    ),
    "vote abstain a float": post(
        "lead partner", changed(LEAD_PARTNER, decision=vote(abstain=1.0)), "abstain"
    ),
    "vote for a boolean": post(
        "lead partner", changed(LEAD_PARTNER, decision=vote(**{"for": True})), "for"
    ),
    "vote for 10 001": post(
        "lead partner", changed(LEAD_PARTNER, decision=vote(**{"for": 10_001})), "for"
    ),
    "vote a string": post(
        "lead partner", changed(LEAD_PARTNER, decision=decision(vote="2-0-0")), "vote"
    ),
    "vote without abstain": post(
        "lead partner",
        changed(LEAD_PARTNER, decision=decision(vote={"for": 2, "against": 0})),
        "abstain",
    ),
    # Text holding U+0000
    "NUL in a name": post("organisation", changed(ORGANISATION, name="Scierie\x00"), "name"),
    # Headers
    "If-Match abc": post(
        "lead partner", LEAD_PARTNER, headers={"If-Match": "abc"}, words=ETAG_PROBLEM
    ),
    "If-Match negative": post(
        "lead partner", LEAD_PARTNER, headers={"If-Match": '"-1"'}, words=ETAG_PROBLEM
    ),
    "If-Match of 41 characters": post(
        "lead partner", LEAD_PARTNER, "If-Match", headers={"If-Match": '"' + "1" * 39 + '"'}
    ),
    "Idempotency-Key of 300 characters": post(
        "organisation", ORGANISATION, "Idempotency-Key", headers={"Idempotency-Key": "k" * 300}
    ),
    "Idempotency-Key empty": post(
        "organisation", ORGANISATION, "Idempotency-Key", headers={"Idempotency-Key": ""}
    ),
    "X-Correlation-ID not a UUID": post(
        "organisation", ORGANISATION, "X-Correlation-ID", headers={"X-Correlation-ID": "nope"}
    ),
    # Query parameters
    "limit 0": decisions(limit="0"),
    "limit 1001": decisions(limit="1001"),
    "limit negative": decisions(limit="-1"),
    "limit not a number": decisions(limit="ten"),
    "cursor garbage": Case(
        "/decisions", method="GET", params={"cursor": "not a cursor!"}, words=("cursor",)
    ),
    "cursor garbage as CSV": Case(
        "/decisions",
        method="GET",
        params={"cursor": "not a cursor!"},
        headers={"Accept": "text/csv"},
        words=("cursor",),
    ),
    "cursor of 501 characters": decisions(cursor="c" * 501),
    "cursor with a position beyond the log": Case(
        "/decisions",
        method="GET",
        params={"cursor": cursor_of("2011-01-01|" + "9" * 25)},
    ),
    "from yesterday": decisions(**{"from": "yesterday"}),
    "to 2011-13-45": decisions(to="2011-13-45"),
    "to a timestamp": decisions(to="0.0"),
    "as_of a timestamp": Case("/filieres", method="GET", params={"as_of": "86400"}, loc="as_of"),
    "known_at a timestamp": Case(
        "/filieres", method="GET", params={"known_at": "0"}, loc="known_at"
    ),
    "filiere_id not a UUID": decisions(filiere_id="nope"),
    "person of 201 characters": decisions(person="p" * 201),
    "person holding U+0000": Case(
        "/decisions",
        method="GET",
        params={"person": "Présidente\x00A"},
        loc="person",
    ),
    "calls without filiere_id": Case("/calls", method="GET", loc="filiere_id"),
    "fundings with project_id not a UUID": Case(
        "/fundings", method="GET", params={"project_id": "nope"}, loc="project_id"
    ),
    "calls with limit 0": Case(
        "/calls", method="GET", params={"filiere_id": "{filiere}", "limit": "0"}, loc="limit"
    ),
    "filiere id not a UUID": Case("/filieres/nope", method="GET", loc="filiere_id"),
}


IDS = pytest.StashKey[dict[str, str]]()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A copy of a store holding what `ids` names, recorded once per run and backend: the
    cases only read it, or are refused."""
    with copy_of(request.param, "malformed input", _record_ids, request) as (url, ids):
        request.node.stash[IDS] = ids
        yield url


@pytest.fixture
def ids(database_url: str, request: pytest.FixtureRequest) -> dict[str, str]:
    """The world, an open call, a closed call with its candidacy, a project and its funding."""
    return request.node.stash[IDS]


def _record_ids(url: str) -> dict[str, str]:
    services = build(database_url=url)
    try:
        app, ctx = services.app, CommandContext(actor="setup")
        world = make_world(app, ctx)
        call = open_call(app, ctx, world)
        closed, (candidacy,) = closed_call(app, ctx, world)
        project = a_project(app, ctx, world)
        funding = app.grant_funding(
            ctx,
            GrantFunding(
                project_id=project,
                funder_id=world.association,
                kind="study",
                decision=world.decision(date(2012, 1, 10)),
                amount="1000.00",
            ),
        ).id
    finally:
        services.close()
    named = {**vars(world), "call": call, "closed_call": closed, "candidacy": candidacy}
    named |= {"project": project, "funding": funding}
    return {name: str(value) for name, value in named.items()}


def fill(value: Any, ids: dict[str, str]) -> Any:
    """`value` with each "{name}" string replaced by the id of that name."""
    if isinstance(value, str):
        match = _PLACEHOLDER.match(value)
        return ids[match.group(1)] if match else value
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    return value


def fill_path(path: str, ids: dict[str, str]) -> str:
    return "/".join(fill(part, ids) for part in path.split("/"))


def send(client, case: Case, ids: dict[str, str], auth: dict[str, str]):
    content = case.content
    headers = {**auth, **case.headers}
    if case.body is not NO_BODY:
        content = json.dumps(fill(case.body, ids)).encode()  # NaN and Infinity as literals
        headers.setdefault("content-type", "application/json")
    return client.request(
        case.method,
        fill_path(case.path, ids),
        content=content,
        params=fill(case.params, ids),
        headers=headers,
    )


@pytest.mark.parametrize("base", BASES)
def test_the_valid_bodies_are_accepted(base, services, client, ids, recorder):
    path, body = BASES[base]
    before = event_count(services)
    response = send(client, Case(path, body), ids, recorder)
    assert response.status_code in (200, 201), response.text
    assert event_count(services) > before


@pytest.mark.parametrize("name", CASES)
def test_malformed_input_is_refused_and_writes_nothing(name, services, client, ids, recorder):
    case = CASES[name]
    before = event_count(services)

    response = send(client, case, ids, recorder)

    statuses = case.status if isinstance(case.status, frozenset) else {case.status}
    assert response.status_code in statuses, f"{name}: {response.status_code} {response.text}"
    assert event_count(services) == before, f"{name} wrote to the log"
    if response.status_code < 400:
        return
    problem = assert_problem(response, response.status_code, *case.words)
    if case.loc is not None:
        locs = [error["loc"] for error in problem.get("errors", [])]
        assert any(case.loc in loc for loc in locs), f"{case.loc} not in {locs}"


def test_text_with_u0000_cannot_break_the_views(services, client, ids, recorder):
    refused = client.post(
        "/organisations", json={"name": "Scierie\x00", "kind": "company"}, headers=recorder
    )
    assert_problem(refused, 422, "control characters")

    for path in (f"/filieres/{ids['filiere']}", "/filieres", "/decisions"):
        response = client.get(path, headers=recorder)
        assert response.status_code == 200, f"{path}: {response.text}"


@pytest.mark.parametrize(
    "name",
    ["\u200b", "Scierie \u202eedirF", "\ufeffScierie", "Scierie\uffff", "Scierie\x85du Forez"],
    ids=["zero-width space only", "RTL override", "BOM", "non-character", "NEL"],
)
def test_names_that_hide_or_reorder_text_are_refused(name, services, client, recorder):
    before = event_count(services)
    body = {"name": name, "kind": "company"}
    refused = client.post("/organisations", json=body, headers=recorder)
    assert_problem(refused, 422)
    assert event_count(services) == before


def test_names_are_stored_in_composed_form(services, client, recorder):
    created = client.post(
        "/organisations", json={"name": "Scie\u0301rie", "kind": "company"}, headers=recorder
    )
    assert created.status_code == 201, created.text
    read = client.get(created.headers["Location"], headers=recorder)
    assert read.json()["name"] == "Sci\u00e9rie"
