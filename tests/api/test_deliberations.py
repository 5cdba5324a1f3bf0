"""Délibérations over HTTP: a decision checked against its sitting, numbered within its body.

Each refusal has its status and code, and writes nothing: not the decided aggregate, not the
body's numbering.
"""

import csv
import io
import json
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli.app import app as cli
from infrastructure.auth_store import Role
from tests.api.http import assert_problem, bearer, event_count, served
from tests.projections.conftest import contents
from tests.world import PRESIDENTS

A, B = PRESIDENTS
HELD_ON = "2012-03-01"


@pytest.fixture
def project(client, world, recorder) -> str:
    """A project whose partner is Partner B: Président B has an interest in it."""
    answer = client.post(
        "/projects",
        json={
            "filiere_id": str(world.filiere),
            "title": "Abattoir mobile",
            "proposed_on": "2012-01-10",
            "partners": [{"organisation_id": str(world.partner_b), "role": "porteur"}],
        },
        headers=recorder,
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def _sitting(client, world, recorder, *attendance: dict[str, str], held_on=HELD_ON) -> str:
    answer = client.post(
        f"/bodies/{world.bureau}/sittings",
        json={"held_on": held_on, "attendance": list(attendance)},
        headers=recorder,
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["sitting_id"])


def _both_present(client, world, recorder, held_on=HELD_ON) -> str:
    return _sitting(
        client,
        world,
        recorder,
        {"person": A, "status": "present"},
        {"person": B, "status": "present"},
        held_on=held_on,
    )


def _approve(client, recorder, world, project, sitting_id, **decision: Any):
    body = {
        "body_id": str(world.bureau),
        "decided_on": HELD_ON,
        "sitting_id": sitting_id,
        "rationale": "Le bureau approuve le projet.",
        "vote": {"for": 1, "against": 0, "abstain": 0},
        "recused": [B],
        **decision,
    }
    return client.post(
        f"/projects/{project}/status",
        json={"status": "approved", "effective_on": HELD_ON, "decision": body},
        headers=recorder,
    )


def _approved_in_a_sitting(client, world, recorder, project) -> str:
    """A sitting where both sit, and the project approved in it: the sitting's id."""
    sitting_id = _both_present(client, world, recorder)
    assert _approve(client, recorder, world, project, sitting_id).status_code == 200
    return sitting_id


def _declare(client, world, recorder, organisation, reason: str, ends_on: str | None = None):
    """Présidente A declares, from 2011-01-01, an interest in `organisation`."""
    declared = {"declared_on": "2011-01-01", "reason": reason}
    if ends_on is not None:
        declared["ends_on"] = ends_on
    return client.post(
        f"/bodies/{world.bureau}/conflicts-of-interest",
        json={"person": A, "organisation_id": str(organisation), **declared},
        headers=recorder,
    )


def test_a_decision_in_a_sitting_is_numbered_and_shown_in_the_register_and_provenance(
    services, client, world, recorder, reader, tokens, project
):
    sitting_id = _both_present(client, world, recorder)

    approved = _approve(client, recorder, world, project, sitting_id)

    assert approved.status_code == 200, approved.text
    assert approved.json()["deliberation_number"] == 1
    register = client.get(
        "/decisions", params={"body_id": str(world.bureau)}, headers=reader
    ).json()["items"]
    row = next(r for r in register if r["aggregate_id"] == project)
    assert row["sitting_id"] == sitting_id
    assert row["deliberation_number"] == 1
    assert row["decided_by"] == [A]  # derived from the sitting, less the recused
    assert row["recused"] == [B]
    assert row["present_or_represented"] == 2
    assert row["vote"] == {"for": 1, "against": 0, "abstain": 0}
    assert row["verified"] is True
    unpublished = next(r for r in register if r["event"] == "Filiere.Launched")
    assert (unpublished["verified"], unpublished["deliberation_number"]) == (False, None)
    sitting = client.get(f"/bodies/{world.bureau}/sittings/{sitting_id}", headers=reader).json()
    assert [d["deliberation_number"] for d in sitting["deliberations"]] == [1]
    assert sitting["deliberations"][0]["recused"] == [B]
    auditor = bearer(tokens[Role.AUDITOR])
    trace = client.get(f"/audit/provenance/{project}", headers=auditor).json()
    step = next(s for s in trace["steps"] if s["event_type"] == "Project.StatusChanged")
    assert (step["sitting_id"], step["deliberation_number"], step["recused"]) == (
        sitting_id,
        1,
        [B],
    )
    assert (step["present_or_represented"], step["verified"]) == (2, True)


def test_the_next_decision_of_the_body_gets_the_next_number(client, world, recorder, project):
    sitting_id = _both_present(client, world, recorder)
    assert _approve(client, recorder, world, project, sitting_id).json()["deliberation_number"] == 1
    closed = client.post(
        f"/filieres/{world.filiere}/close",
        json={
            "decision": {
                "body_id": str(world.bureau),
                "decided_on": HELD_ON,
                "sitting_id": sitting_id,
                "decided_by": [A, B],
                "rationale": "Fin de la filière.",
                "vote": {"for": 2, "against": 0, "abstain": 0},
            }
        },
        headers=recorder,
    )
    assert closed.status_code == 200, closed.text
    assert closed.json()["deliberation_number"] == 2


@pytest.mark.parametrize(
    ("case", "code", "words"),
    [
        ("no sitting", "SittingError", ("names the sitting",)),
        ("unknown sitting", "SittingError", ("has no sitting",)),
        ("sitting of another day", "SittingError", ("was held on 2012-02-01",)),
        ("no quorum", "QuorumNotReachedError", ("1 are needed",)),
        ("no vote", "VoteError", ("gives its vote",)),
        ("more votes than voters", "VoteError", ("2 votes for 1",)),
        ("no majority", "VoteError", ("more votes for",)),
        ("interested member not recused", "UndeclaredInterestError", ("Président B", "Partner B")),
        ("decided_by not the sitting", "DecidedByError", ("decided_by must be",)),
        ("recused not at the sitting", "SittingError", ("did not take part",)),
    ],
)
def test_a_decision_the_sitting_does_not_support_is_refused_and_writes_nothing(
    services, client, world, recorder, reader, project, case, code, words
):
    sitting_id = _both_present(client, world, recorder)
    other_day = _both_present(client, world, recorder, held_on="2012-02-01")
    empty = _sitting(client, world, recorder, {"person": A, "status": "absent"}, held_on=HELD_ON)
    decision: dict[str, Any] = {
        "no sitting": {"sitting_id": None},
        "unknown sitting": {"sitting_id": "00000000-0000-4000-8000-000000000000"},
        "sitting of another day": {"sitting_id": other_day},
        "no quorum": {"sitting_id": empty, "recused": []},
        "no vote": {"vote": None},
        "more votes than voters": {"vote": {"for": 1, "against": 0, "abstain": 1}},
        "no majority": {"vote": {"for": 0, "against": 1, "abstain": 0}},
        "interested member not recused": {
            "recused": [],
            "vote": {"for": 2, "against": 0, "abstain": 0},
        },
        "decided_by not the sitting": {"decided_by": [A, B]},
        "recused not at the sitting": {"recused": [B, "Élu régional"]},
    }[case]
    before = event_count(services)
    body_version = client.get(f"/bodies/{world.bureau}", headers=reader).json()["version"]

    refused = _approve(client, recorder, world, project, **{"sitting_id": sitting_id, **decision})

    problem = assert_problem(refused, 409, *words)
    assert problem["code"] == code
    assert event_count(services) == before
    assert client.get(f"/bodies/{world.bureau}", headers=reader).json()["version"] == body_version
    assert client.get(f"/projects/{project}", headers=reader).json()["status"] == "proposed"


def test_a_declared_conflict_must_be_recused_too(services, client, world, recorder, project):
    _declare(client, world, recorder, world.partner_b, "administrateur du porteur")
    sitting_id = _both_present(client, world, recorder)
    before = event_count(services)

    refused = _approve(client, recorder, world, project, sitting_id)

    problem = assert_problem(refused, 409, A, "conflict of interest")
    assert problem["code"] == "UndeclaredInterestError"
    assert event_count(services) == before


@pytest.mark.parametrize(
    ("decided_by", "code", "words"),
    [
        ([A], "RecusalError", (A, "declared on 2011-01-01", "administrateur du porteur")),
        ([B], "UndeclaredInterestError", (B, "Partner B", "must be recused")),
    ],
)
def test_history_whose_sitting_was_not_published_names_no_one_with_an_interest(
    services, client, world, recorder, reader, project, decided_by, code, words
):
    """No sitting to be recused from: a named decider with an interest is refused."""
    declared = _declare(client, world, recorder, world.partner_b, "administrateur du porteur")
    assert declared.status_code == 200, declared.text
    before = event_count(services)
    body_version = client.get(f"/bodies/{world.bureau}", headers=reader).json()["version"]

    refused = _approve(
        client,
        recorder,
        world,
        project,
        None,
        sitting_not_published=True,
        decided_by=decided_by,
        recused=[],
        vote=None,
    )

    assert assert_problem(refused, 409, *words)["code"] == code
    assert event_count(services) == before
    assert client.get(f"/bodies/{world.bureau}", headers=reader).json()["version"] == body_version
    assert client.get(f"/projects/{project}", headers=reader).json()["status"] == "proposed"
    unnamed = _approve(
        client, recorder, world, project, None, sitting_not_published=True, recused=[], vote=None
    )
    assert unnamed.status_code == 200, unnamed.text  # naming no one, as the demo does


def test_sitting_id_and_sitting_not_published_together_are_malformed(
    services, client, world, recorder, project
):
    sitting_id = _both_present(client, world, recorder)
    before = event_count(services)
    refused = _approve(client, recorder, world, project, sitting_id, sitting_not_published=True)
    assert_problem(refused, 422)
    assert event_count(services) == before


def test_the_interests_of_a_body_list_declarations_and_each_decisions_recused_interests(
    client, world, recorder, reader, project
):
    _declare(
        client, world, recorder, world.company, "salarié de l'entreprise", ends_on="2011-12-31"
    )
    _approved_in_a_sitting(client, world, recorder, project)

    interests = client.get(f"/bodies/{world.bureau}/interests", headers=reader)

    assert interests.status_code == 200, interests.text
    answer = interests.json()
    assert [(d["person"], d["organisation_name"], d["ends_on"]) for d in answer["declared"]] == [
        (A, "Company C", "2011-12-31")
    ]
    (deliberation,) = answer["deliberations"]
    assert deliberation["deliberation_number"] == 1
    assert deliberation["subject_id"] == project
    assert [
        (i["person"], i["organisation_name"], i["kind"]) for i in deliberation["interests"]
    ] == [(B, "Partner B", "structural")]


def test_a_declaration_no_longer_holds_after_its_end(services, client, world, recorder):
    """Présidente A declared an interest in Partner B until 2011: in 2012 A decides on it."""
    _declare(
        client, world, recorder, world.partner_b, "mandat terminé fin 2011", ends_on="2011-12-31"
    )
    refused_end = _declare(
        client, world, recorder, world.partner_b, "fin avant le début", ends_on="2010-12-31"
    )
    assert_problem(refused_end, 422, "ends_on")
    project = client.post(
        "/projects",
        json={
            "filiere_id": str(world.filiere),
            "title": "Projet de Partner B",
            "proposed_on": "2012-01-10",
            "partners": [{"organisation_id": str(world.partner_b), "role": "porteur"}],
        },
        headers=recorder,
    ).json()["id"]
    _approved_in_a_sitting(client, world, recorder, project)


def test_filieres_report_interests_prints_them(database_url, client, world, recorder, project):
    _approved_in_a_sitting(client, world, recorder, project)

    result = CliRunner().invoke(
        cli,
        [
            *("report", "interests", "--body", str(world.bureau), "--format", "csv"),
            *("--database-url", database_url),
        ],
    )

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["délibération"], r["person"], r["organisation"], r["interest"]) for r in rows] == [
        ("1", B, "Partner B", "structural, recused")
    ]


@pytest.mark.parametrize("output", ["table", "csv", "md", "json"])
def test_filieres_report_interests_asks_a_server_and_prints_the_same(
    services, database_url, client, world, recorder, tokens, project, tmp_path, output
):
    _declare(
        client, world, recorder, world.company, "salarié de l'entreprise", ends_on="2011-12-31"
    )
    sitting_id = _approved_in_a_sitting(client, world, recorder, project)
    wide = {"COLUMNS": "200"}

    def report(*args: str) -> str:
        result = CliRunner().invoke(cli, ["report", "interests", *args], env=wide)
        assert result.exit_code == 0, result.output
        return result.stdout

    unused = tmp_path / "never-created.db"
    with served(services) as url:
        for body in ((), ("--body", str(world.bureau))):
            here = report(*body, "--format", output, "--database-url", database_url)
            there = report(
                *body,
                *("--format", output, "--api", url, "--token", tokens[Role.READER]),
                *("--database-url", f"sqlite:///{unused}"),
            )
            assert there == here
    assert not unused.exists(), "the command opened a local store"
    assert "Company C" in here and "Partner B" in here
    if output == "json":
        (bureau,) = json.loads(here)
        assert bureau["deliberations"][0]["sitting_id"] == sitting_id
        assert [i["kind"] for i in bureau["deliberations"][0]["interests"]] == ["structural"]


def test_filieres_report_interests_through_a_server_never_reads_a_store(world, tmp_path):
    unused = tmp_path / "never-created.db"
    result = CliRunner().invoke(
        cli,
        ["report", "interests", "--database-url", f"sqlite:///{unused}"],
        env={"FILIERES_API_URL": "http://127.0.0.1:9", "FILIERES_TOKEN": "flt_x"},
    )
    assert result.exit_code == 2, result.output
    assert "cannot reach the server" in result.output
    assert not unused.exists()


def test_the_rebuilt_register_equals_the_incremental_one_and_time_travel_shows_sittings(
    services, client, world, recorder, reader, project
):
    sitting_id = _approved_in_a_sitting(client, world, recorder, project)
    incremental = contents(services.views)

    services.views.rebuild()

    assert contents(services.views) == incremental
    on_the_day = client.get(
        "/decisions", params={"body_id": str(world.bureau), "as_of": HELD_ON}, headers=reader
    ).json()["items"]
    row = next(r for r in on_the_day if r["aggregate_id"] == project)
    assert (row["sitting_id"], row["deliberation_number"], row["verified"]) == (
        sitting_id,
        1,
        True,
    )
    the_day_before = client.get(
        "/decisions", params={"body_id": str(world.bureau), "as_of": "2012-02-29"}, headers=reader
    ).json()["items"]
    assert all(r["sitting_id"] is None for r in the_day_before)
    sittings_before = client.get(
        f"/bodies/{world.bureau}/sittings", params={"as_of": "2012-02-29"}, headers=reader
    ).json()["items"]
    assert sittings_before == []


def test_an_external_body_names_no_sitting(services, client, world, recorder, project):
    sitting_id = _both_present(client, world, recorder)
    before = event_count(services)

    refused = client.post(
        "/fundings",
        json={
            "project_id": project,
            "funder_id": str(world.state),
            "kind": "grant",
            "decision": {
                "body_id": str(world.state_body),
                "decided_on": HELD_ON,
                "sitting_id": sitting_id,
                "rationale": "Soutien de l'État",
            },
        },
        headers=recorder,
    )

    assert assert_problem(refused, 409, "external body")["code"] == "SittingError"
    assert event_count(services) == before


def _external_grant(client, world, recorder, project, **cited: Any):
    answer = client.post(
        "/fundings",
        json={
            "project_id": project,
            "funder_id": str(world.state),
            "kind": "grant",
            "decision": {
                "body_id": str(world.state_body),
                "decided_on": HELD_ON,
                "rationale": "Soutien de l'État",
            },
            **cited,
        },
        headers=recorder,
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_the_register_filters_verified_decisions_from_unpublished_ones(
    services, client, world, recorder, reader, project
):
    sitting_id = _both_present(client, world, recorder)
    approved = _approve(client, recorder, world, project, sitting_id).json()
    granted = _external_grant(client, world, recorder, project, assumptions=["Forme supposée."])

    def positions(**params: str) -> list[int]:
        answer = client.get("/decisions", params=params, headers=reader)
        assert answer.status_code == 200, answer.text
        return [r["position"] for r in answer.json()["items"]]

    every = client.get("/decisions", headers=reader).json()["items"]
    unpublished = [r["position"] for r in every if r["verified"] is False]
    assert unpublished and approved["position"] not in unpublished
    assert positions(verified="true") == [approved["position"]]
    assert positions(verified="false") == unpublished
    # An external body sits in no sitting: its decision is neither verified nor unverified.
    external = next(r for r in every if r["position"] == granted["position"])
    assert external["verified"] is None
    assert granted["position"] in positions()
    assert granted["position"] not in positions(verified="true") + positions(verified="false")
    # Combined with the other filters.
    assert positions(verified="true", body_id=str(world.state_body)) == []
    assert positions(verified="true", assumed="true") == []
    assert positions(verified="false", assumed="true") == []
    assert positions(verified="true", person=A) == [approved["position"]]
    assert positions(verified="true", person=B) == []
    assert positions(verified="true", filiere_id=str(world.filiere)) == [approved["position"]]
    assert positions(verified="true", to="2012-02-29") == []
    assert positions(verified="true", as_of="2012-02-29") == []
    assert positions(verified="true", as_of=HELD_ON) == [approved["position"]]
    as_csv = client.get(
        "/decisions", params={"verified": "true"}, headers={**reader, "Accept": "text/csv"}
    )
    (line,) = csv.DictReader(io.StringIO(as_csv.text))
    assert (line["position"], line["verified"]) == (str(approved["position"]), "True")


@pytest.mark.parametrize("value", ["maybe", "", "2", "null"])
def test_a_verified_filter_that_is_no_boolean_is_a_422(client, reader, value):
    answer = client.get("/decisions", params={"verified": value}, headers=reader)
    assert "verified" in str(assert_problem(answer, 422).get("errors")), answer.text


def test_filieres_report_decisions_verified_or_unverified(
    database_url, client, world, recorder, project
):
    sitting_id = _both_present(client, world, recorder)
    approved = _approve(client, recorder, world, project, sitting_id).json()

    def reported(*flags: str) -> list[dict[str, str]]:
        result = CliRunner().invoke(
            cli,
            [
                *("report", "decisions", *flags, "--format", "csv"),
                *("--database-url", database_url),
            ],
        )
        assert result.exit_code == 0, result.output
        return list(csv.DictReader(io.StringIO(result.output)))

    verified = reported("--verified")
    assert [(r["position"], r["deliberation_number"]) for r in verified] == [
        (str(approved["position"]), "1")
    ]
    unverified = reported("--unverified", "--filiere", str(world.filiere))
    assert unverified and all(r["verified"] == "False" for r in unverified)
    assert reported("--verified", "--to", "2012-02-29") == []
    table = CliRunner().invoke(
        cli,
        ["report", "decisions", "--unverified", "--database-url", database_url],
        env={"COLUMNS": "200"},
    )
    assert table.exit_code == 0, table.output
    assert "sitting not published" in table.output


def _instant_after_the_last_write() -> str:
    """An instant after every event recorded so far and before any recorded next."""
    time.sleep(0.01)
    moment = datetime.now(UTC).isoformat()
    time.sleep(0.01)
    return moment


def test_sittings_as_of_a_day_and_as_known_at_an_instant(client, world, recorder, reader, project):
    def sittings(**when: str) -> list[str]:
        answer = client.get(f"/bodies/{world.bureau}/sittings", params=when, headers=reader)
        assert answer.status_code == 200, answer.text
        return [s["sitting_id"] for s in answer.json()["items"]]

    def one(sitting_id: str, **when: str):
        return client.get(
            f"/bodies/{world.bureau}/sittings/{sitting_id}", params=when, headers=reader
        )

    before_any = _instant_after_the_last_write()
    earlier = _both_present(client, world, recorder, held_on="2011-12-15")
    after_the_first = _instant_after_the_last_write()
    later = _both_present(client, world, recorder)
    after_both = _instant_after_the_last_write()
    assert _approve(client, recorder, world, project, later).status_code == 200

    # Effective time: a sitting held after the day does not show, alone or in the list.
    assert sittings(as_of="2011-12-14") == []
    assert sittings(as_of="2012-02-29") == [earlier]
    assert sittings(as_of=HELD_ON) == [earlier, later]
    assert_problem(one(later, as_of="2012-02-29"), 404, "after 2012-02-29")
    assert one(earlier, as_of="2012-02-29").status_code == 200
    on_the_day = one(later, as_of=HELD_ON).json()
    assert [d["deliberation_number"] for d in on_the_day["deliberations"]] == [1]
    # Recorded time: what the system knew then, délibérations included.
    assert sittings(known_at=before_any) == []
    assert sittings(known_at=after_the_first) == [earlier]
    assert_problem(one(later, known_at=after_the_first), 404)
    known_then = one(later, known_at=after_both)
    assert known_then.status_code == 200, known_then.text
    assert known_then.json()["deliberations"] == []  # the decision came after that instant
    assert [d["deliberation_number"] for d in one(later).json()["deliberations"]] == [1]
    both = {"as_of": "2012-02-29", "known_at": after_both}
    assert sittings(**both) == [earlier]
    # A body not recorded yet at the instant is not found.
    before_the_body = "2001-01-01T00:00:00+00:00"
    answer = client.get(
        f"/bodies/{world.bureau}/sittings", params={"known_at": before_the_body}, headers=reader
    )
    assert_problem(answer, 404, "not recorded yet")


def test_the_register_as_known_at_an_instant_shows_the_decisions_sitting_then(
    client, world, recorder, reader, project
):
    sitting_id = _both_present(client, world, recorder)
    before_the_decision = _instant_after_the_last_write()
    approved = _approve(client, recorder, world, project, sitting_id).json()
    after_the_decision = _instant_after_the_last_write()

    def register(**when: str) -> dict[int, dict[str, Any]]:
        answer = client.get(
            "/decisions", params={"body_id": str(world.bureau), **when}, headers=reader
        )
        assert answer.status_code == 200, answer.text
        return {r["position"]: r for r in answer.json()["items"]}

    assert approved["position"] not in register(known_at=before_the_decision)
    row = register(known_at=after_the_decision, as_of=HELD_ON)[approved["position"]]
    assert (
        row["sitting_id"],
        row["deliberation_number"],
        row["present_or_represented"],
        row["recused"],
        row["vote"],
        row["verified"],
    ) == (sitting_id, 1, 2, [B], {"for": 1, "against": 0, "abstain": 0}, True)
    assert register(known_at=after_the_decision, verified="true").keys() == {approved["position"]}
