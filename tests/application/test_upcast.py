"""Seats stored by version 1 (`voting: bool`) load as version 2 (`role`)."""

from datetime import UTC, date, datetime
from uuid import UUID

import orjson
import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from application.body_commands import ConstituteBody, SeatMember
from application.context import CommandContext
from application.filiere_commands import LaunchFiliere
from application.filieres_app import FilieresApplication
from domain.errors import NotAVotingMemberError
from domain.filiere import Filiere
from domain.governing_body import GoverningBody, SeatRole
from tests.application.refusals import refused
from tests.world import World

FOUNDED = date(2009, 1, 15)


def version_1_seat(
    body_id: UUID, version: int, person: str, organisation: UUID, voting: bool
) -> StoredEvent:
    """A MemberSeated event as version 1 of the class stored it: no class_version, no role."""
    state = {
        "timestamp": datetime(2009, 1, 16, tzinfo=UTC).isoformat(),
        "effective_on": FOUNDED.isoformat(),
        "meta": {
            "recorded_by": "v1 importer",
            "correlation_id": str(UUID(int=1)),
            "causation": None,
        },
        "person": person,
        "organisation_id": str(organisation),
        "voting": voting,
        "from_date": FOUNDED.isoformat(),
    }
    return StoredEvent(
        originator_id=body_id,
        originator_version=version,
        topic=get_topic(GoverningBody.MemberSeated),
        state=orjson.dumps(state),
    )


@pytest.fixture
def old_bureau(app: FilieresApplication, ctx: CommandContext, world: World) -> UUID:
    """A bureau constituted through the app, whose two seats were stored by version 1."""
    body = app.constitute_body(
        ctx,
        ConstituteBody(
            name="Ancien bureau",
            kind="bureau",
            constituted_on=FOUNDED,
            organisation_id=world.association,
        ),
    ).id
    app.recorder.insert_events(
        [
            version_1_seat(body, 2, "Président historique", world.partner_a, voting=True),
            version_1_seat(body, 3, "Observateur", world.partner_b, voting=False),
        ]
    )
    return body


def test_version_1_seats_load_with_their_role(app, old_bureau) -> None:
    body = app.load(GoverningBody, old_bureau)
    assert body.version == 3
    roles = {seat.person: seat.role for seat in body.seats}
    assert roles == {"Président historique": SeatRole.VOTING, "Observateur": SeatRole.PARTICIPANT}
    assert body.voting_members(date(2010, 1, 1)) == ["Président historique"]


def test_upcast_seats_decide_as_their_role_says(app, ctx, world, old_bureau) -> None:
    decision = world.decision(date(2010, 1, 1), body=old_bureau, by=("Observateur",))
    with refused(
        app,
        NotAVotingMemberError,
        "Observateur sits as participant in Ancien bureau",
        (GoverningBody, old_bureau),
    ):
        app.launch_filiere(
            ctx,
            LaunchFiliere(
                name="Bois", kind="filiere", lead_partner_id=world.partner_b, decision=decision
            ),
        )
    decision = world.decision(date(2010, 1, 1), body=old_bureau, by=("Président historique",))
    filiere = app.launch_filiere(
        ctx,
        LaunchFiliere(
            name="Bois", kind="filiere", lead_partner_id=world.partner_b, decision=decision
        ),
    ).id
    assert app.load(Filiere, filiere).name == "Bois"


def test_a_version_2_seat_is_stored_with_its_role_and_reads_back(
    app, ctx, world, old_bureau
) -> None:
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
    stored = app.recorder.select_events(old_bureau)[-1]
    state = orjson.loads(stored.state)
    assert stored.topic == get_topic(GoverningBody.MemberSeated)
    assert (state["class_version"], state["role"]) == (2, "invitee")
    assert "voting" not in state

    event = app.mapper.to_domain_event(stored)
    assert isinstance(event, GoverningBody.MemberSeated)
    assert (event.person, event.role, event.originator_version) == (
        "Élue régionale",
        SeatRole.INVITEE,
        4,
    )
    roles = [seat.role for seat in app.load(GoverningBody, old_bureau).seats]
    assert roles == [SeatRole.VOTING, SeatRole.PARTICIPANT, SeatRole.INVITEE]


def test_the_upcast_history_replays_to_the_same_state(app, ctx, world, old_bureau) -> None:
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
    events = list(app.events.get(old_bureau))
    assert [type(e).__name__ for e in events] == [
        "Constituted",
        "MemberSeated",
        "MemberSeated",
        "MemberSeated",
    ]
    assert [e.role for e in events[1:]] == [  # type: ignore[attr-defined]
        SeatRole.VOTING,
        SeatRole.PARTICIPANT,
        SeatRole.INVITEE,
    ]
