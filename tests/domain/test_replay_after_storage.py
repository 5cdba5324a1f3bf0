"""An aggregate built by its commands equals the one replayed from its events after they
went through the stored JSON form and back."""

from datetime import date
from functools import reduce
from typing import Any
from uuid import uuid4

from eventsourcing.persistence import StoredEvent

from domain.base import Aggregate
from domain.call import Call
from domain.decision import Decision, Vote
from domain.filiere import Filiere
from domain.funding import Funding
from domain.governing_body import GoverningBody
from domain.organisation import Organisation
from domain.project import Project, ProjectPartner
from infrastructure.transcoding import OrjsonTranscoder, PydanticMapper

mapper = PydanticMapper(transcoder=OrjsonTranscoder())


def decision(on: date) -> Decision:
    return Decision(
        body_id=uuid4(),
        decided_on=on,
        decided_by=("Georges Bernat",),
        rationale="PV du bureau",
        reference="Délibération 12",
        vote=Vote.model_validate({"for": 4, "against": 0, "abstain": 0}),
    )


def through_storage(aggregate: Aggregate) -> tuple[Aggregate, list[StoredEvent]]:
    """Collect the aggregate's events, store and read them back, and replay them."""
    stored = [mapper.to_stored_event(event) for event in aggregate.collect_events()]
    events = [mapper.to_domain_event(s) for s in stored]
    return reduce(lambda state, event: event.mutate(state), events, None), stored


def state(aggregate: Aggregate) -> dict[str, Any]:
    return {k: v for k, v in vars(aggregate).items() if k != "_pending_events"}


def assert_replays(live: Aggregate) -> None:
    replayed, stored = through_storage(live)
    assert len(stored) == live.version
    assert type(replayed) is type(live)
    assert state(replayed) == state(live)


def a_partner(name: str = "Grand Roanne Agglomération") -> Organisation:
    partner = Organisation(name=name, kind="partner", effective_on=date(2009, 1, 15))
    partner.collect_events()
    return partner


def test_organisation() -> None:
    live = Organisation(
        name="CIDER", kind="association", effective_on=date(2011, 6, 1), siren="123456789"
    )
    live.rename("CIDER Roannais", date(2012, 1, 1))
    live.archive(date(2013, 1, 1))
    assert_replays(live)


def test_governing_body() -> None:
    partner = uuid4()
    live = GoverningBody(name="Bureau", kind="bureau", effective_on=date(2009, 1, 15))
    live.seat_member("Georges Bernat", partner, "voting", date(2009, 1, 15))
    live.seat_member("Région", uuid4(), "invitee", date(2009, 1, 15))
    live.hold_meeting(date(2011, 12, 15), ("Georges Bernat",), "PV 2011-12")
    live.declare_conflict_of_interest("Georges Bernat", partner, date(2011, 3, 1), "président")
    live.unseat_member("Région", date(2012, 12, 31))
    assert_replays(live)


def test_filiere_call_project_and_funding() -> None:
    lead, other = a_partner(), a_partner("CCI du Roannais")
    filiere = Filiere.launch("Viandes", "filiere", lead, decision(date(2009, 6, 15)), ("Fédérer",))
    filiere.add_to_project_group(other, date(2009, 7, 1))
    filiere.set_objective("Déceler les démarches innovantes", date(2010, 1, 1))
    filiere.change_lead_partner(other, decision(date(2010, 6, 1)))
    filiere.remove_from_project_group(other.id, date(2011, 1, 1))

    call = Call.launch(
        filiere,
        "AAP Viandes",
        "call_for_projects",
        uuid4(),
        date(2011, 9, 15),
        date(2011, 12, 16),
        decision(date(2011, 9, 1)),
        budget_envelope="50000.00",
        max_selected=4,
    )
    first, second = uuid4(), uuid4()
    call.submit_candidacy(first, other, "Abattoir mobile", date(2011, 12, 1), "12000.50")
    call.submit_candidacy(second, lead, "Circuit court", date(2011, 12, 2))
    call.review_candidacy(first, "Expert", "Solide", date(2011, 12, 20), score=16)
    call.withdraw_candidacy(second, date(2011, 12, 10))
    call.close_submissions(date(2011, 12, 16))
    call.select_candidacy(first, decision(date(2012, 1, 20)))
    call.conclude(decision(date(2012, 1, 21)))

    project = Project.propose(
        filiere,
        "Abattoir mobile",
        date(2012, 2, 1),
        (ProjectPartner(organisation_id=other.id, role="porteur"),),
        "18000000.00",
        call,
        first,
    )
    project.change_status("approved", date(2012, 3, 1), decision(date(2012, 3, 1)))
    project.change_status("in_progress", date(2012, 4, 1))
    project.reach_milestone("Unité en service", date(2012, 9, 1))
    project.join_partner(lead, "soutien", date(2012, 10, 1))

    funding = Funding.grant(project, lead, "grant", decision(date(2012, 3, 15)))
    funding.revise_amount("10000.00", decision(date(2012, 4, 15)))
    funding.record_disbursement("2500.25", date(2012, 5, 1))
    funding.cancel(decision(date(2013, 1, 10)))

    for live in (filiere, call, project, funding):
        assert_replays(live)


def test_amounts_and_decisions_are_stored_as_text_not_floats() -> None:
    lead = a_partner()
    filiere = Filiere.launch("Bois", "filiere", lead, decision(date(2009, 6, 15)))
    project = Project.propose(filiere, "Enquête bois énergie", date(2012, 4, 2))
    funding = Funding.grant(project, lead, "study", decision(date(2012, 4, 2)), "1234.50")
    _, stored = through_storage(funding)
    assert b'"amount":"1234.50"' in stored[0].state
    assert b'"decision":{"body_id":' in stored[0].state
    assert b'"for":4' in stored[0].state
