"""Time travel: every view as of a day (effective time) and as known at an instant (recorded).

On the demo (recorded in one go in 2026, about 2005–2013), on histories
recorded late and on reversals; and on random histories, where the answer
for the past must equal what the views said at that moment.
"""

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from api.bootstrap import Services
from api.http.main import create_app
from application.call_commands import (
    CloseSubmissions,
    DecideCandidacy,
    LaunchCall,
    Outcome,
    SubmitCandidacy,
)
from application.context import CommandContext
from application.projections.records import RegisterFilter
from application.projections.time_travel import Cutoff
from domain.call import CallKind
from domain.errors import NotFoundError
from infrastructure.auth_store import Role
from infrastructure.time_travel.historical_views import SQLAlchemyHistoricalViews
from infrastructure.time_travel.view_snapshots import SNAPSHOTS
from tests.api.http import assert_problem, bearer
from tests.audit.demo_store import DemoStore
from tests.world import World

CTX = CommandContext(actor="Greffière")


@pytest.fixture(scope="module")
def http(demo: DemoStore) -> Iterator[tuple[TestClient, dict[str, str]]]:
    token = demo.services.tokens.issue("Jeanne Auditrice", Role.AUDITOR)
    with TestClient(create_app(demo.services), raise_server_exceptions=False) as client:
        yield client, bearer(token)


def as_of(day: str) -> Cutoff:
    return Cutoff(as_of=date.fromisoformat(day))


# --- The demo: Viandes through 2011–2013 -------------------------------------------


def test_viandes_on_2011_06_30_has_no_call_and_no_candidacy(demo: DemoStore) -> None:
    viandes = demo.services.read_models.filiere_overview(
        demo.ids.filieres["viandes"], as_of("2011-06-30")
    )
    assert viandes.name == "Viandes"
    assert viandes.calls == []
    assert viandes.candidacies.submitted == 0
    assert sum(viandes.projects_by_status.values()) == 0


def test_viandes_at_the_end_of_2011_has_seven_candidacies_none_decided(demo: DemoStore) -> None:
    viandes = demo.services.read_models.filiere_overview(
        demo.ids.filieres["viandes"], as_of("2011-12-31")
    )
    assert [(c.id, c.status) for c in viandes.calls] == [
        (demo.ids.viandes_call, "submissions_closed")
    ]
    counts = viandes.candidacies
    assert (counts.submitted, counts.selected, counts.rejected) == (7, 0, 0)


def test_viandes_on_2013_04_30_has_seven_candidacies_four_selected_three_rejected(
    demo: DemoStore,
) -> None:
    viandes = demo.services.read_models.filiere_overview(
        demo.ids.filieres["viandes"], as_of("2013-04-30")
    )
    counts = viandes.candidacies
    assert (counts.submitted, counts.selected, counts.rejected) == (7, 4, 3)
    assert viandes.projects_by_status["approved"] == 4
    assert viandes.last_decision is not None
    assert viandes.last_decision.decided_on == date(2012, 1, 20)


def test_before_its_launch_a_filiere_is_not_found(demo: DemoStore) -> None:
    with pytest.raises(NotFoundError, match="as of 2008-12-31"):
        demo.services.read_models.filiere_overview(
            demo.ids.filieres["viandes"], as_of("2008-12-31")
        )


def test_far_future_and_now_are_todays_views(demo: DemoStore) -> None:
    read = demo.services.read_models
    for key, filiere in demo.ids.filieres.items():
        today = read.filiere_overview(filiere)
        assert read.filiere_overview(filiere, as_of("2100-01-01")) == today, key
        assert read.filiere_overview(filiere, Cutoff(known_at=datetime.now(UTC))) == today, key
    for project in demo.ids.viandes_projects:
        assert read.project(project, as_of("2100-01-01")) == read.project(project)
    assert read.call(demo.ids.viandes_call, as_of("2100-01-01")) == read.call(demo.ids.viandes_call)
    funding = demo.ids.state_funding
    assert read.funding(funding, as_of("2100-01-01")) == read.funding(funding)


def test_call_and_project_as_of_a_day(demo: DemoStore) -> None:
    read = demo.services.read_models
    call = read.call(demo.ids.viandes_call, as_of("2011-12-31"))
    assert len(call.candidacies) == 7
    assert {c.status for c in call.candidacies} == {"submitted"}
    decided = read.call(demo.ids.viandes_call, as_of("2012-01-20"))
    assert sorted(c.status for c in decided.candidacies) == ["rejected"] * 3 + ["selected"] * 4
    with pytest.raises(NotFoundError):
        read.call(demo.ids.viandes_call, as_of("2011-09-14"))
    project = demo.ids.viandes_projects[0]
    with pytest.raises(NotFoundError):
        read.project(project, as_of("2011-12-31"))
    assert read.project(project, as_of("2013-04-30")).status == "approved"


def test_nothing_was_known_before_the_demo_was_recorded(demo: DemoStore) -> None:
    """The demo was recorded today about 2005–2013: in 2020 the system knew none of it."""
    read = demo.services.read_models
    in_2020 = Cutoff(known_at=datetime(2020, 1, 1, tzinfo=UTC))
    with pytest.raises(NotFoundError, match="as known at 2020-01-01"):
        read.filiere_overview(demo.ids.filieres["viandes"], in_2020)
    with pytest.raises(NotFoundError):
        read.funding(demo.ids.state_funding, in_2020)
    assert read.decisions(RegisterFilter(known_at=in_2020.known_at)).items == []


def test_the_register_as_of_a_day_holds_the_decisions_taken_by_then(demo: DemoStore) -> None:
    read = demo.services.read_models
    viandes = demo.ids.filieres["viandes"]
    end_2011 = read.decisions(RegisterFilter(filiere_id=viandes, as_of=date(2011, 12, 31)), 1000)
    assert end_2011.items
    assert all(e.decided_on <= date(2011, 12, 31) for e in end_2011.items)
    assert not [e for e in end_2011.items if e.event == "Call.CandidacySelected"]
    in_2013 = read.decisions(RegisterFilter(filiere_id=viandes, as_of=date(2013, 4, 30)), 1000)
    assert len([e for e in in_2013.items if e.event == "Call.CandidacySelected"]) == 4


# --- Over HTTP, as an auditor -------------------------------------------------------


def test_http_overview_as_of_and_known_at(
    demo: DemoStore, http: tuple[TestClient, dict[str, str]]
) -> None:
    client, auditor = http
    viandes = demo.ids.filieres["viandes"]
    past = client.get(f"/filieres/{viandes}", params={"as_of": "2011-06-30"}, headers=auditor)
    assert past.status_code == 200, past.text
    assert past.json()["candidacies"]["submitted"] == 0
    # A past answer's ETag is a hash of its body, not a version: If-Match cannot take it.
    assert not re.fullmatch(r'"\d+(-[0-9a-f]+)?"', past.headers["ETag"])
    later = client.get(f"/filieres/{viandes}", params={"as_of": "2013-04-30"}, headers=auditor)
    assert later.json()["candidacies"] == {
        "submitted": 7,
        "selected": 4,
        "rejected": 3,
        "withdrawn": 0,
    }
    today = client.get(f"/filieres/{viandes}", headers=auditor)
    assert today.headers["ETag"]
    unknown = client.get(
        f"/filieres/{viandes}", params={"known_at": "2020-01-01T00:00:00Z"}, headers=auditor
    )
    assert_problem(unknown, 404, "as known at 2020-01-01")


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("/calls/{id}", "viandes_call"),
        ("/projects/{id}", "viandes_projects"),
        ("/fundings/{id}", "state_funding"),
    ],
)
def test_http_every_view_takes_the_cutoffs(
    demo: DemoStore, http: tuple[TestClient, dict[str, str]], path: str, key: str
) -> None:
    client, auditor = http
    found = getattr(demo.ids, key)
    item = found[0] if isinstance(found, tuple) else found
    url = path.format(id=item)
    assert client.get(url, params={"as_of": "2100-01-01"}, headers=auditor).json() == (
        client.get(url, headers=auditor).json()
    )
    assert_problem(client.get(url, params={"as_of": "2005-01-01"}, headers=auditor), 404)
    early = client.get(url, params={"known_at": "2001-01-01T00:00:00+02:00"}, headers=auditor)
    assert_problem(early, 404)


def test_http_register_as_of(demo: DemoStore, http: tuple[TestClient, dict[str, str]]) -> None:
    client, auditor = http
    answer = client.get(
        "/decisions",
        params={"filiere_id": str(demo.ids.filieres["viandes"]), "as_of": "2011-12-31"},
        headers=auditor,
    )
    assert answer.status_code == 200, answer.text
    assert all(item["decided_on"] <= "2011-12-31" for item in answer.json()["items"])


@pytest.mark.parametrize(
    "params",
    [
        {"as_of": "2011-13-01"},
        {"as_of": "soon"},
        {"known_at": "yesterday"},
        {"known_at": "2020-01-01T00:00:00"},  # without an offset, a guess about the zone
    ],
)
def test_http_malformed_cutoffs_are_refused(
    demo: DemoStore, http: tuple[TestClient, dict[str, str]], params: dict[str, str]
) -> None:
    client, auditor = http
    viandes = demo.ids.filieres["viandes"]
    refused = client.get(f"/filieres/{viandes}", params=params, headers=auditor)
    problem = assert_problem(refused, 422)
    assert problem["errors"][0]["loc"][-1] in params


# --- Snapshots ------------------------------------------------------------------------


def test_snapshots_give_the_same_answers_as_folding_from_the_start(demo: DemoStore) -> None:
    services = demo.services
    events = services.app.recorder.events_record_cls.__table__  # type: ignore[attr-defined]
    datastore = services.app.factory.datastore  # type: ignore[attr-defined]
    eager = SQLAlchemyHistoricalViews(
        datastore, events, services.app.mapper, snapshot_every=3, seal_key=services.secret
    )
    never = SQLAlchemyHistoricalViews(
        datastore, events, services.app.mapper, snapshot_every=None, seal_key=services.secret
    )
    days = [date(2009, 6, 15) + timedelta(days=122 * n) for n in range(13)]
    for _ in range(2):  # the second round starts from the snapshots the first one left
        for day in days:
            for filiere in demo.ids.filieres.values():
                cutoff = Cutoff(as_of=day)
                assert eager.overview(filiere, cutoff) == never.overview(filiere, cutoff)
    with datastore.transaction(commit=False) as session:
        kept = session.connection().execute(SNAPSHOTS.select()).all()
    assert kept, "folding many events leaves snapshots"
    assert {row.scope_id for row in kept} <= set(demo.ids.filieres.values())


# --- Late recording and reversals -----------------------------------------------------


def launch_call(services: Services, world: World, title: str, on: date) -> UUID:
    return services.app.launch_call(
        CTX,
        LaunchCall(
            filiere_id=world.filiere,
            title=title,
            kind=CallKind.CALL_FOR_PROJECTS,
            issuer_id=world.association,
            opens_on=on,
            closes_on=on + timedelta(days=60),
            decision=world.decision(on),
        ),
    ).id


def test_history_recorded_late_counts_from_its_own_day(services: Services, world: World) -> None:
    """A 2013 call recorded first; a 2011 call recorded afterwards (as in 2026 for 2011)."""
    read = services.read_models
    call_2013 = launch_call(services, world, "Appel 2013", date(2013, 3, 1))
    between = datetime.now(UTC)
    call_2011 = launch_call(services, world, "Appel 2011", date(2011, 3, 1))

    def calls(cutoff: Cutoff) -> list[UUID]:
        return [c.id for c in read.filiere_overview(world.filiere, cutoff).calls]

    assert calls(Cutoff(as_of=date(2012, 6, 30))) == [call_2011]
    assert calls(Cutoff(as_of=date(2013, 6, 30))) == [call_2013, call_2011]
    assert calls(Cutoff(known_at=between)) == [call_2013]
    assert calls(Cutoff(as_of=date(2012, 6, 30), known_at=between)) == []
    with pytest.raises(NotFoundError):
        read.call(call_2011, Cutoff(known_at=between))
    assert read.call(call_2011, Cutoff(as_of=date(2012, 6, 30))).title == "Appel 2011"


def test_a_reversal_counts_from_its_own_day(services: Services, world: World) -> None:
    app, read = services.app, services.read_models
    call = launch_call(services, world, "Appel", date(2011, 9, 1))
    submitted = app.submit_candidacy(
        CTX,
        SubmitCandidacy(
            call_id=call,
            candidate_id=world.company,
            project_title="Abattoir",
            submitted_on=date(2011, 9, 15),
        ),
    )
    candidacy = submitted.candidacy_id
    assert candidacy is not None
    app.close_submissions(CTX, CloseSubmissions(call_id=call, closed_on=date(2011, 11, 1)))
    selection = app.decide_candidacy(
        CTX,
        DecideCandidacy(
            call_id=call,
            candidacy_id=candidacy,
            outcome=Outcome.SELECTED,
            decision=world.decision(date(2012, 1, 10)),
        ),
    ).position
    before_appeal = datetime.now(UTC)
    appeal = world.decision(date(2013, 3, 1), reverses=selection)
    reversal = app.decide_candidacy(
        CTX,
        DecideCandidacy(
            call_id=call, candidacy_id=candidacy, outcome=Outcome.REJECTED, decision=appeal
        ),
    ).position

    def counts(cutoff: Cutoff) -> tuple[int, int]:
        c = read.filiere_overview(world.filiere, cutoff).candidacies
        return c.selected, c.rejected

    assert counts(Cutoff(as_of=date(2012, 12, 31))) == (1, 0)
    assert counts(Cutoff(as_of=date(2013, 12, 31))) == (0, 1)
    assert counts(Cutoff(known_at=before_appeal)) == (1, 0)
    assert counts(Cutoff()) == (0, 1)

    def register(cutoff: Cutoff) -> dict[int, int | None]:
        where = RegisterFilter(
            filiere_id=world.filiere, as_of=cutoff.as_of, known_at=cutoff.known_at
        )
        return {e.position: e.reversed_by for e in read.decisions(where, 1000).items}

    in_2012 = register(Cutoff(as_of=date(2012, 12, 31)))
    assert in_2012[selection] is None and reversal not in in_2012
    assert register(Cutoff(known_at=before_appeal))[selection] is None
    in_2013 = register(Cutoff(as_of=date(2013, 12, 31)))
    assert in_2013[selection] == reversal and reversal in in_2013


def test_http_lists_as_of_a_day(demo: DemoStore, http: tuple[TestClient, dict[str, str]]) -> None:
    client, auditor = http
    ids = demo.ids

    def items(path: str, **params: str) -> list[dict[str, object]]:
        answer = client.get(path, params=params, headers=auditor)
        assert answer.status_code == 200, answer.text
        found: list[dict[str, object]] = answer.json()["items"]
        return found

    assert items("/filieres", as_of="2009-01-01") == []
    in_2010 = {f["name"] for f in items("/filieres", as_of="2010-01-01")}
    assert len(in_2010) == 5 and not any("Marketing" in str(name) for name in in_2010)
    assert len(items("/filieres", as_of="2013-01-01")) == 6
    viandes = str(ids.filieres["viandes"])
    assert items("/calls", filiere_id=viandes, as_of="2011-06-30") == []
    (call,) = items("/calls", filiere_id=viandes, as_of="2011-12-31")
    assert call["id"] == str(ids.viandes_call)
    assert items("/projects", filiere_id=viandes, as_of="2011-12-31") == []
    assert len(items("/projects", filiere_id=viandes, as_of="2013-04-30")) == 4
    global_project = str(ids.deconstruction_global_project)
    assert items("/fundings", project_id=global_project, as_of="2013-03-31") == []
    (support,) = items("/fundings", project_id=global_project, as_of="2013-04-01")
    assert support["id"] == str(ids.state_funding)
    before = client.get(
        "/calls", params={"filiere_id": viandes, "as_of": "2008-12-31"}, headers=auditor
    )
    assert_problem(before, 404, "filière")
