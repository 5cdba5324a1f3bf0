"""Governing bodies: seats over time, who votes on a date, declared conflicts of interest."""

from datetime import date
from uuid import uuid4

import pytest

from domain.errors import ChronologyError, InvalidValueError, SeatError
from domain.governing_body import GoverningBody, SeatRole

CONSTITUTED = date(2009, 1, 15)
PARTNER, REGION, COMPANY = uuid4(), uuid4(), uuid4()


def bureau() -> GoverningBody:
    body = GoverningBody(name="Bureau", kind="bureau", effective_on=CONSTITUTED)
    body.seat_member("Présidente A", PARTNER, SeatRole.VOTING, CONSTITUTED)
    body.seat_member("Élu régional", REGION, SeatRole.INVITEE, CONSTITUTED)
    body.collect_events()
    return body


def test_constituting_and_seating_record_their_events() -> None:
    body = GoverningBody(name="Bureau", kind="bureau", effective_on=CONSTITUTED)
    body.seat_member("Présidente A", PARTNER, SeatRole.VOTING, CONSTITUTED)
    body.unseat_member("Présidente A", date(2012, 1, 1))
    body.hold_meeting(date(2011, 3, 1), ("Présidente A",), "CR 2011-03")
    body.declare_conflict_of_interest("Présidente A", COMPANY, date(2011, 1, 1), "administratrice")
    assert [type(e).__name__ for e in body.collect_events()] == [
        "Constituted",
        "MemberSeated",
        "MemberUnseated",
        "MeetingHeld",
        "ConflictOfInterestDeclared",
    ]


def test_an_external_body_names_its_organisation() -> None:
    with pytest.raises(InvalidValueError, match="an external body names the organisation"):
        GoverningBody(name="État", kind="external", effective_on=CONSTITUTED)


def test_seating_someone_already_seated_is_refused() -> None:
    body = bureau()
    with pytest.raises(SeatError, match="Présidente A already sits in Bureau as voting since 2009"):
        body.seat_member("Présidente A", PARTNER, SeatRole.INVITEE, date(2011, 1, 1))
    assert body.collect_events() == []
    assert len(body.seats) == 2


def test_seating_before_the_body_exists_is_refused() -> None:
    body = bureau()
    with pytest.raises(ChronologyError, match="Bureau was constituted on 2009-01-15"):
        body.seat_member("Président B", PARTNER, SeatRole.VOTING, date(2008, 12, 31))
    assert body.collect_events() == []


def test_a_body_constituted_on_an_unknown_date_seats_members_from_any_date() -> None:
    recorded = date(2026, 11, 27)
    body = GoverningBody(
        name="Bureau", kind="bureau", effective_on=recorded, constitution_date_unknown=True
    )
    body.seat_member("Présidente A", PARTNER, SeatRole.VOTING, date(2005, 1, 1))
    body.hold_meeting(date(2005, 2, 1), ("Présidente A",))
    assert body.constituted_on is None
    assert body.is_voting_member("Présidente A", date(2005, 1, 1))


def test_unseating_someone_not_seated_is_refused() -> None:
    body = bureau()
    with pytest.raises(SeatError, match="Inconnu does not sit in Bureau"):
        body.unseat_member("Inconnu", date(2011, 1, 1))
    body.unseat_member("Présidente A", date(2011, 1, 1))
    body.collect_events()
    with pytest.raises(SeatError, match="Présidente A does not sit in Bureau"):
        body.unseat_member("Présidente A", date(2012, 1, 1))
    assert body.collect_events() == []


def test_leaving_before_being_seated_is_refused() -> None:
    body = bureau()
    with pytest.raises(ChronologyError, match="cannot leave Bureau on 2009-01-14"):
        body.unseat_member("Présidente A", date(2009, 1, 14))
    assert body.collect_events() == []


def test_a_member_can_sit_again_after_leaving() -> None:
    body = bureau()
    body.unseat_member("Présidente A", date(2010, 12, 31))
    body.seat_member("Présidente A", PARTNER, SeatRole.VOTING, date(2012, 1, 1))
    assert [type(e).__name__ for e in body.collect_events()] == ["MemberUnseated", "MemberSeated"]
    assert body.is_voting_member("Présidente A", date(2010, 6, 1))
    assert not body.is_voting_member("Présidente A", date(2011, 6, 1))
    assert body.is_voting_member("Présidente A", date(2012, 6, 1))


def test_voting_is_decided_by_role_and_date() -> None:
    body = bureau()
    body.unseat_member("Présidente A", date(2011, 6, 30))
    assert not body.is_voting_member("Présidente A", date(2009, 1, 14))
    assert body.is_voting_member("Présidente A", CONSTITUTED)
    assert body.is_voting_member("Présidente A", date(2011, 6, 30)), "the last day still counts"
    assert not body.is_voting_member("Présidente A", date(2011, 7, 1))
    assert not body.is_voting_member("Élu régional", date(2010, 1, 1)), "an invitee never votes"
    assert body.current_seat("Élu régional", date(2010, 1, 1)).role == SeatRole.INVITEE  # type: ignore[union-attr]
    assert not body.is_voting_member("Inconnu", date(2010, 1, 1))
    assert body.voting_members(date(2010, 1, 1)) == ["Présidente A"]
    assert body.voting_members(date(2012, 1, 1)) == []


def test_a_conflict_of_interest_applies_from_its_declaration_to_its_organisation() -> None:
    body = bureau()
    body.declare_conflict_of_interest(
        "Présidente A", COMPANY, date(2011, 5, 1), "salariée de Company C"
    )
    conflict = body.conflict_of("Présidente A", {COMPANY, uuid4()}, date(2011, 9, 1))
    assert conflict is not None
    assert (conflict.declared_on, conflict.reason) == (date(2011, 5, 1), "salariée de Company C")
    assert conflict.version == body.version
    assert body.conflict_of("Présidente A", {COMPANY}, date(2011, 4, 30)) is None
    assert body.conflict_of("Présidente A", {uuid4()}, date(2011, 9, 1)) is None
    assert body.conflict_of("Élu régional", {COMPANY}, date(2011, 9, 1)) is None


def test_the_directoire_and_the_council_may_not_decide() -> None:
    deciding = {
        kind: GoverningBody(
            name=kind, kind=kind, effective_on=CONSTITUTED, organisation_id=uuid4()
        ).may_decide
        for kind in ("bureau", "directoire", "advisory_council", "external")
    }
    assert deciding == {
        "bureau": True,
        "directoire": False,
        "advisory_council": False,
        "external": True,
    }
