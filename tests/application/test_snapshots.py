"""Snapshots: a long stream loads from its last snapshot and the events after it, exactly
as a full replay of its events gives it, also when its events or its snapshot were
stored by an older version of their class."""

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import orjson
import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic
from sqlalchemy import Table, select, update

from api.bootstrap import build
from application.body_commands import HoldMeeting, SeatMember
from application.call_commands import (
    CloseSubmissions,
    DecideCandidacy,
    ReviewCandidacy,
    SubmitCandidacy,
    WithdrawCandidacy,
)
from application.context import CommandContext
from application.filieres_app import FilieresApplication
from application.roannais_history import record_roannais_history
from domain.base import Aggregate
from domain.call import Call
from domain.candidacy import CandidacyStatus
from domain.governing_body import GoverningBody, SeatRole
from infrastructure.audit_log_store import AuditLogStore
from infrastructure.persistence import event_store_env
from tests.application import test_upcast
from tests.application.refusals import CLOSED_ON, DECIDED_ON, OPENS, open_call
from tests.application.test_upcast import FOUNDED
from tests.conftest import fresh_store
from tests.world import PRESIDENTS, World, make_world

INTERVAL = 100
CANDIDACIES = 110
"""Each submitted then reviewed: 220 events after the launch, past two snapshots."""


def replayed(app: FilieresApplication, aggregate_id: UUID, up_to: int | None = None) -> Any:
    """The aggregate folded from all its stored events, no snapshot read."""
    events = app.events.get(aggregate_id, lte=up_to)
    return functools.reduce(lambda aggregate, event: event.mutate(aggregate), events, None)


def state(aggregate: Aggregate) -> dict[str, Any]:
    return {k: v for k, v in aggregate.__dict__.items() if k != "_pending_events"}


def snapshot_table(app: FilieresApplication) -> Table:
    assert app.snapshots is not None
    table: Table = app.snapshots.recorder.events_record_cls.__table__  # type: ignore[attr-defined]
    return table


def stored_snapshots(app: FilieresApplication, aggregate_id: UUID) -> list[StoredEvent]:
    """The snapshot rows of an aggregate, read from the store's snapshot table by SQL."""
    table = snapshot_table(app)
    engine = app.factory.datastore.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        rows = connection.execute(
            select(table)
            .where(table.c.originator_id == aggregate_id)
            .order_by(table.c.originator_version)
        )
        return [
            StoredEvent(r.originator_id, r.originator_version, r.topic, bytes(r.state))
            for r in rows
        ]


@dataclass
class LongCall:
    app: FilieresApplication
    url: str
    call: UUID
    candidacies: list[UUID]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def long_call(request: pytest.FixtureRequest) -> Iterator[LongCall]:
    """A call of 225 events, recorded once per backend through the application's commands.

    Candidacies submitted before the snapshots are withdrawn and decided after them.
    """
    with fresh_store(request.param, request) as url:
        app = FilieresApplication(event_store_env(url))
        try:
            ctx = CommandContext(actor="test recorder")
            world = make_world(app, ctx)
            call = open_call(app, ctx, world)
            candidacies = []
            for i in range(CANDIDACIES):
                submitted = app.submit_candidacy(
                    ctx,
                    SubmitCandidacy(
                        call_id=call,
                        candidate_id=world.company,
                        project_title=f"Projet {i}",
                        submitted_on=OPENS,
                        requested_amount=f"{1000 + i}.50",
                    ),
                )
                assert submitted.candidacy_id is not None
                candidacies.append(submitted.candidacy_id)
                app.review_candidacy(
                    ctx,
                    ReviewCandidacy(
                        call_id=call,
                        candidacy_id=submitted.candidacy_id,
                        reviewer="Experte",
                        opinion=f"avis {i}",
                        reviewed_on=OPENS,
                        score=i % 90,
                    ),
                )
            app.withdraw_candidacy(
                ctx,
                WithdrawCandidacy(call_id=call, candidacy_id=candidacies[0], withdrawn_on=OPENS),
            )
            app.close_submissions(ctx, CloseSubmissions(call_id=call, closed_on=CLOSED_ON))
            app.decide_candidacy(
                ctx,
                DecideCandidacy(
                    call_id=call,
                    candidacy_id=candidacies[1],
                    outcome="selected",
                    decision=world.decision(DECIDED_ON),
                ),
            )
            app.decide_candidacy(
                ctx,
                DecideCandidacy(
                    call_id=call,
                    candidacy_id=candidacies[2],
                    outcome="rejected",
                    decision=world.decision(DECIDED_ON),
                ),
            )
            yield LongCall(app, url, call, candidacies)
        finally:
            app.close()


LAST = 1 + 2 * CANDIDACIES + 4


def test_a_long_call_is_snapshotted_every_100_events_in_the_snapshot_table(
    long_call: LongCall,
) -> None:
    app = long_call.app
    assert app.snapshotting_intervals[Call] == INTERVAL
    assert snapshot_table(app).name == f"{app.name.lower()}_snapshots"  # beside _events
    rows = stored_snapshots(app, long_call.call)
    assert [row.originator_version for row in rows] == [100, 200]
    assert {row.topic for row in rows} == {get_topic(Call.Snapshot)}

    # The stored snapshot is JSON, like the events: the call's attributes at version 200.
    stored = orjson.loads(rows[-1].state)
    assert stored["topic"] == get_topic(Call)
    assert "class_version" not in stored["state"]  # Call's state is at version 1
    assert len(stored["state"]["candidacies"]) == 100
    first = stored["state"]["candidacies"][str(long_call.candidacies[0])]
    assert (first["requested_amount"], first["status"]) == ("1000.50", "submitted")
    assert first["reviews"] == [
        {"reviewer": "Experte", "score": 0, "opinion": "avis 0", "reviewed_on": "2011-03-01"}
    ]


def test_the_call_loaded_from_snapshot_and_tail_is_the_call_a_full_replay_gives(
    long_call: LongCall,
) -> None:
    app, call, candidacies = long_call.app, long_call.call, long_call.candidacies
    loaded = app.load(Call, call)
    assert loaded.version == LAST
    assert state(loaded) == state(replayed(app, call))

    # The same store read by an application with snapshots switched off by its environment.
    without = FilieresApplication(
        {**event_store_env(long_call.url), "IS_SNAPSHOTTING_ENABLED": "n"}
    )
    try:
        assert without.snapshots is None
        assert state(without.load(Call, call)) == state(loaded)
    finally:
        without.close()

    statuses = [loaded.candidacy(c).status for c in candidacies[:4]]
    assert statuses == [
        CandidacyStatus.WITHDRAWN,
        CandidacyStatus.SELECTED,
        CandidacyStatus.REJECTED,
        CandidacyStatus.SUBMITTED,
    ]
    assert loaded.candidacy(candidacies[1]).decision_version == LAST - 1
    assert loaded.candidacy(candidacies[109]).requested_amount == Decimal("1109.50")
    assert loaded.selected_amount == Decimal("1001.50")


def test_every_earlier_version_loads_exactly_as_it_was(long_call: LongCall) -> None:
    app, call = long_call.app, long_call.call
    for version in (1, 2, 99, 100, 101, 150, 199, 200, 201, LAST - 1, LAST):
        loaded = app.load(Call, call, version=version)
        assert loaded.version == version
        assert state(loaded) == state(replayed(app, call, up_to=version)), version
    assert len(app.load(Call, call, version=99).candidacies) == 49


def test_snapshots_stay_out_of_the_event_log_and_its_integrity_chain(
    long_call: LongCall,
) -> None:
    app = long_call.app
    notifications = app.recorder.select_notifications(start=1, limit=10_000)
    assert len(notifications) == app.event_count()
    assert not any(n.topic == get_topic(Call.Snapshot) for n in notifications)
    assert len([n for n in notifications if n.originator_id == long_call.call]) == LAST

    verified = AuditLogStore.of(app).verify()
    assert verified.ok
    assert verified.events_checked == app.event_count()


# The upcast tests' fixture: the same bureau seated by version 1.
old_bureau = test_upcast.old_bureau


def hold_meetings(app: FilieresApplication, ctx: CommandContext, body: UUID, count: int) -> None:
    for day in range(count):
        held_on = FOUNDED + timedelta(days=7 * (day + 1))
        app.hold_meeting(
            ctx,
            HoldMeeting(
                body_id=body,
                held_on=held_on,
                attendees=("Président historique",),
                minutes_ref=f"CR {day}",
            ),
        )


def test_a_snapshot_taken_after_version_1_seats_were_upcast_holds_version_2(
    app: FilieresApplication, ctx: CommandContext, world: World, old_bureau: UUID
) -> None:
    hold_meetings(app, ctx, old_bureau, INTERVAL - 3)  # reaches version 100
    app.seat_member(
        ctx,
        SeatMember(
            body_id=old_bureau,
            person="Élue régionale",
            organisation_id=world.region,
            role="invitee",
            from_=FOUNDED,
        ),
    )
    hold_meetings(app, ctx, old_bureau, 2)

    (row,) = stored_snapshots(app, old_bureau)
    assert row.originator_version == INTERVAL
    stored = orjson.loads(row.state)["state"]
    assert stored["class_version"] == 2
    assert [(s["person"], s["role"]) for s in stored["seats"]] == [
        ("Président historique", "voting"),
        ("Observateur", "participant"),
    ]
    assert not any("voting" in seat for seat in stored["seats"])

    loaded = app.load(GoverningBody, old_bureau)
    assert loaded.version == INTERVAL + 3
    assert state(loaded) == state(replayed(app, old_bureau))
    assert [seat.role for seat in loaded.seats] == [
        SeatRole.VOTING,
        SeatRole.PARTICIPANT,
        SeatRole.INVITEE,
    ]
    assert len(loaded.meetings) == INTERVAL - 1
    for version in (3, INTERVAL - 1, INTERVAL, INTERVAL + 1):
        historical = app.load(GoverningBody, old_bureau, version=version)
        assert state(historical) == state(replayed(app, old_bureau, up_to=version))


def version_1_snapshot(app: FilieresApplication, body: UUID, version: int) -> StoredEvent:
    """The bureau's snapshot as version 1 of GoverningBody would have stored it: seats with
    `voting: bool`, no `class_version`. Its timestamps are those of the events it sums up."""
    events = list(app.events.get(body, lte=version))
    state = {
        "_created_on": events[0].timestamp.isoformat(),
        "_modified_on": events[-1].timestamp.isoformat(),
        "name": "Ancien bureau",
        "kind": "bureau",
        "organisation_id": str(events[0].organisation_id),  # type: ignore[attr-defined]
        "constituted_on": FOUNDED.isoformat(),
        "seats": [
            {
                "person": event.person,  # type: ignore[attr-defined]
                "organisation_id": str(event.organisation_id),  # type: ignore[attr-defined]
                "voting": event.role == SeatRole.VOTING,  # type: ignore[attr-defined]
                "from_date": FOUNDED.isoformat(),
                "until": None,
            }
            for event in events[1:]
        ],
        "meetings": [],
        "conflicts": [],
    }
    snapshot = {
        "timestamp": datetime(2010, 1, 1, tzinfo=UTC).isoformat(),
        "topic": get_topic(GoverningBody),
        "state": state,
    }
    return StoredEvent(
        originator_id=body,
        originator_version=version,
        topic=get_topic(GoverningBody.Snapshot),
        state=orjson.dumps(snapshot),
    )


def test_a_snapshot_stored_by_version_1_of_the_body_is_upcast_when_loaded(
    app: FilieresApplication, ctx: CommandContext, world: World, old_bureau: UUID
) -> None:
    assert app.snapshots is not None
    app.snapshots.recorder.insert_events([version_1_snapshot(app, old_bureau, 3)])
    app.seat_member(
        ctx,
        SeatMember(
            body_id=old_bureau,
            person="Élue régionale",
            organisation_id=world.region,
            role="invitee",
            from_=FOUNDED,
        ),
    )

    (snapshot,) = app.snapshots.get(old_bureau)
    assert isinstance(snapshot, GoverningBody.Snapshot)
    assert [seat.role for seat in snapshot.state.seats] == [SeatRole.VOTING, SeatRole.PARTICIPANT]

    loaded = app.load(GoverningBody, old_bureau)
    assert state(loaded) == state(replayed(app, old_bureau))
    assert state(app.load(GoverningBody, old_bureau, version=3)) == state(
        replayed(app, old_bureau, up_to=3)
    )
    assert loaded.voting_members(date(2010, 1, 1)) == ["Président historique"]
    assert loaded.current_seat("Élue régionale", FOUNDED).role == SeatRole.INVITEE  # type: ignore[union-attr]


def test_an_altered_snapshot_is_ignored_and_verify_names_it(
    app: FilieresApplication, ctx: CommandContext, world: World
) -> None:
    """Snapshots are derived data beside the log, sealed with a secret outside the database:
    one altered by SQL fails its seal, so the aggregate loads from its events, and verify
    names the snapshot."""
    hold_meetings(app, ctx, world.bureau, INTERVAL - 4)  # the bureau had 4 events: now 100
    app.hold_meeting(
        ctx, HoldMeeting(body_id=world.bureau, held_on=date(2012, 1, 1), attendees=PRESIDENTS)
    )
    table = snapshot_table(app)
    (row,) = stored_snapshots(app, world.bureau)
    altered = orjson.loads(row.state)
    altered["state"]["name"] = "Bureau renommé hors du journal"
    engine = app.factory.datastore.engine  # type: ignore[attr-defined]
    with engine.begin() as connection:
        connection.execute(
            update(table)
            .where(table.c.originator_id == world.bureau)
            .values(state=orjson.dumps(altered))
        )

    assert app.load(GoverningBody, world.bureau).name == "Bureau"
    assert app.load(GoverningBody, world.bureau, version=INTERVAL).name == "Bureau"
    assert replayed(app, world.bureau).name == "Bureau"
    result = AuditLogStore.of(app).verify()
    assert result.first_broken is None and result.tree is not None and result.tree.ok
    assert not result.ok and result.snapshots is not None
    assert [(b.aggregate_id, b.version) for b in result.snapshots.bad] == [(world.bureau, INTERVAL)]
    assert result.snapshots.bad[0].reason == "its seal does not match it"


def test_a_snapshot_is_written_in_its_commands_transaction(
    database_url: str, ctx: CommandContext
) -> None:
    """Inside the transaction the API opens around a command, its snapshot commits with its
    events, or rolls back with them."""
    services = build(database_url=database_url, follow_in_process=False)
    try:
        app = services.app
        world = make_world(app, ctx)
        hold_meetings(app, ctx, world.bureau, INTERVAL - 5)  # the bureau had 4 events: now 99
        with pytest.raises(RuntimeError), services.transaction():
            app.hold_meeting(
                ctx,
                HoldMeeting(body_id=world.bureau, held_on=date(2012, 1, 1), attendees=PRESIDENTS),
            )
            assert app.snapshots is not None  # read inside the transaction: taken there
            assert [s.originator_version for s in app.snapshots.get(world.bureau)] == [INTERVAL]
            raise RuntimeError("the request fails after the command")
        assert app.current_version(world.bureau) == INTERVAL - 1
        assert stored_snapshots(app, world.bureau) == []

        with services.transaction():
            app.hold_meeting(
                ctx,
                HoldMeeting(body_id=world.bureau, held_on=date(2012, 1, 1), attendees=PRESIDENTS),
            )
        assert [s.originator_version for s in stored_snapshots(app, world.bureau)] == [INTERVAL]
    finally:
        services.close()


def test_every_version_of_the_demo_loads_from_a_snapshot_as_its_replay_gives_it(
    app: FilieresApplication,
) -> None:
    """Every call, body and filière of the Roannais history, snapshotted at each of its
    versions: each snapshot reads back as the replay of the events up to it."""
    record_roannais_history(app)
    notifications = app.recorder.select_notifications(start=1, limit=10_000)
    snapshotted = {
        aggregate_id: aggregate
        for aggregate_id in {n.originator_id for n in notifications}
        if type(aggregate := app.repository.get(aggregate_id)) in app.snapshotting_intervals
    }
    assert {type(a) for a in snapshotted.values()} == set(app.snapshotting_intervals)
    for aggregate_id, aggregate in snapshotted.items():
        for version in range(1, aggregate.version + 1):
            app.take_snapshot(aggregate_id, version=version)
        for version in range(1, aggregate.version + 1):
            from_snapshot = app.repository.get(aggregate_id, version=version)
            assert state(from_snapshot) == state(replayed(app, aggregate_id, up_to=version))
        assert state(app.repository.get(aggregate_id)) == state(aggregate)
    assert AuditLogStore.of(app).verify().events_checked == len(notifications)
