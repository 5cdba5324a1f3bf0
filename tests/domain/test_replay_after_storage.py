"""An aggregate built by its commands equals the one replayed from its events after they
went through the stored JSON form and back."""

from datetime import date
from decimal import Decimal
from functools import reduce
from typing import Any
from uuid import uuid4

import orjson
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from domain.agreement import Agreement
from domain.base import Aggregate
from domain.call import Call
from domain.de_minimis import DeMinimisRegister
from domain.decision import Decision, Vote
from domain.events import ALL_EVENTS
from domain.filiere import Filiere
from domain.funding import Funding
from domain.governing_body import GoverningBody
from domain.identifier_claim import IdentifierClaim
from domain.organisation import Organisation
from domain.project import Project, ProjectPartner
from domain.project_financing import ProjectFinancing
from domain.sitting import Attendance
from infrastructure.transcoding import OrjsonTranscoder, PydanticMapper

mapper = PydanticMapper(transcoder=OrjsonTranscoder())
D_CLAIM = date(2012, 6, 1)


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


def an_organisation() -> Organisation:
    live = Organisation(
        name="CIDER", kind="association", effective_on=date(2011, 6, 1), siren="123456789"
    )
    live.rename("CIDER Roannais", date(2012, 1, 1))
    live.set_identifiers(None, "73282932000074", "W423001234", date(2012, 6, 1))
    live.state_fact("membres", "Une douzaine d'entreprises adhérentes", date(2012, 6, 1))
    live.archive(date(2013, 1, 1))
    return live


def a_governing_body() -> GoverningBody:
    partner = uuid4()
    live = GoverningBody(name="Bureau", kind="bureau", effective_on=date(2009, 1, 15))
    live.seat_member("Georges Bernat", partner, "voting", date(2009, 1, 15))
    live.seat_member("Région", uuid4(), "invitee", date(2009, 1, 15))
    live.hold_meeting(date(2011, 12, 15), ("Georges Bernat",), "PV 2011-12")
    live.declare_conflict_of_interest("Georges Bernat", partner, date(2011, 3, 1), "président")
    live.unseat_member("Région", date(2012, 12, 31))
    sitting = uuid4()
    live.hold_sitting(
        sitting,
        date(2012, 3, 1),
        (Attendance(person="Georges Bernat", status="present"),),
        "PV 2012-03",
    )
    live.number_deliberation(sitting, date(2012, 3, 1), uuid4(), "a project", ())
    return live


def an_identifier_claim() -> IdentifierClaim:
    live = IdentifierClaim(
        scheme="siret", value="73282932000074", organisation_id=uuid4(), effective_on=D_CLAIM
    )
    live.hold(None, date(2013, 1, 1))
    return live


def test_identifier_claim() -> None:
    assert_replays(an_identifier_claim())


def test_organisation() -> None:
    assert_replays(an_organisation())


def test_governing_body() -> None:
    assert_replays(a_governing_body())


def a_programme() -> tuple[Filiere, Call, Project, Funding]:
    """A filière with every kind of event its call, project and funding can have."""
    lead, other = a_partner(), a_partner("CCI du Roannais")
    filiere = Filiere.launch("Viandes", "filiere", lead, decision(date(2009, 6, 15)), ("Fédérer",))
    filiere.add_to_project_group(other, date(2009, 7, 1))
    filiere.set_objective("Déceler les démarches innovantes", date(2010, 1, 1))
    filiere.change_lead_partner(other, decision(date(2010, 6, 1)))
    filiere.remove_from_project_group(other, date(2011, 1, 1))

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
    first, second, third, fourth = uuid4(), uuid4(), uuid4(), uuid4()
    call.submit_candidacy(first, other, "Abattoir mobile", date(2011, 12, 1), "12000.50")
    call.submit_candidacy(second, lead, "Circuit court", date(2011, 12, 2))
    call.submit_candidacy(third, lead, "Salle de découpe", date(2011, 12, 3))
    call.submit_candidacy(fourth, other, "Fumoir", date(2011, 12, 4))
    call.review_candidacy(first, "Expert", "Solide", date(2011, 12, 20), score=16)
    call.withdraw_candidacy(second, date(2011, 12, 10))
    call.close_submissions(date(2011, 12, 16))
    call.select_candidacy(first, decision(date(2012, 1, 20)))
    call.reject_candidacy(third, decision(date(2012, 1, 20)))
    call.select_candidacy(fourth, decision(date(2012, 1, 20)))
    call.withdraw_selection(fourth, decision(date(2012, 1, 21)))
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
    filiere.close(decision(date(2013, 12, 31)))
    return filiere, call, project, funding


def test_filiere_call_project_and_funding() -> None:
    for live in a_programme():
        assert_replays(live)


def public_funding() -> tuple[Funding, ProjectFinancing, DeMinimisRegister]:
    """A signed, paid and partly recovered line, its project's financing, its de minimis aid."""
    lead = a_partner()
    filiere = Filiere.launch("Bois", "filiere", lead, decision(date(2009, 6, 15)))
    project = Project.propose(filiere, "Scierie", date(2012, 4, 2), (), Decimal("50000.00"))
    funding = Funding.grant(project, lead, "grant", decision(date(2012, 4, 2)), "20000.00", lead)
    funding.sign_agreement(
        Agreement.model_validate(
            {
                "signed_on": date(2012, 5, 2),
                "reference": "CONV 2012-04",
                "purpose": "Scierie mobile",
                "payment_terms": "instalments",
                "payment_period": {"from": date(2012, 5, 2), "to": date(2013, 5, 2)},
                "eu_notified": False,
                "state_aid_regime": "de_minimis",
                "rae_id": "12345",
                "aid_scheme": "Aide aux entreprises",
            }
        )
    )
    funding.record_disbursement("5000.00", date(2012, 6, 1))
    funding.record_recovery("1000.00", date(2012, 12, 1))
    financing = ProjectFinancing(project_id=project.id, lines=(), effective_on=date(2012, 4, 2))
    financing.set_line(funding.id, Decimal("20000.00"), Decimal("50000.00"), "Scierie", D_CLAIM)
    financing.set_line(funding.id, None, Decimal("50000.00"), "Scierie", D_CLAIM)
    register = DeMinimisRegister(beneficiary_id=lead.id, effective_on=date(2012, 5, 2))
    register.record_aid(funding.id, date(2012, 5, 2), Decimal("20000.00"), "Lead")
    return funding, financing, register


def test_signed_funding_its_project_financing_and_de_minimis_register() -> None:
    for live in public_funding():
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


# Each event's topic and its own fields, in the order its stored JSON holds them: what every
# store written so far holds, and its integrity chain hashes. A change here needs an upcast.
STORED_AS = {
    "domain.organisation:Organisation.Registered": ("name", "kind", "siren", "territory"),
    "domain.organisation:Organisation.Renamed": ("name",),
    "domain.organisation:Organisation.Archived": (),
    "domain.organisation:Organisation.IdentifiersSet": ("siren", "siret", "rna"),
    "domain.identifier_claim:IdentifierClaim.Claimed": ("scheme", "value", "organisation_id"),
    "domain.identifier_claim:IdentifierClaim.HolderChanged": ("organisation_id",),
    "domain.organisation:Organisation.FactStated": ("topic", "statement"),
    "domain.governing_body:GoverningBody.Constituted": (
        "name",
        "kind",
        "organisation_id",
        "constitution_date_unknown",
        "quorum",
        "composition",
    ),
    "domain.governing_body:GoverningBody.MemberSeated": (
        "person",
        "organisation_id",
        "role",
        "from_date",
        "class_version",
    ),
    "domain.governing_body:GoverningBody.MemberUnseated": ("person", "until"),
    "domain.governing_body:GoverningBody.SittingHeld": (
        "sitting_id",
        "held_on",
        "attendance",
        "minutes_reference",
        "voting_members",
        "taking_part",
        "quorum_required",
    ),
    "domain.governing_body:GoverningBody.DeliberationNumbered": (
        "deliberation_number",
        "sitting_id",
        "decided_on",
        "subject_id",
        "subject",
        "recused",
        "interests",
    ),
    "domain.governing_body:GoverningBody.MeetingHeld": ("held_on", "attendees", "minutes_ref"),
    "domain.governing_body:GoverningBody.ConflictOfInterestDeclared": (
        "person",
        "organisation_id",
        "declared_on",
        "reason",
        "ends_on",
    ),
    "domain.filiere:Filiere.Launched": (
        "name",
        "kind",
        "lead_partner_id",
        "objectives",
        "decision",
    ),
    "domain.filiere:Filiere.LeadPartnerChanged": ("lead_partner_id", "decision"),
    "domain.filiere:Filiere.ProjectGroupMemberJoined": ("organisation_id",),
    "domain.filiere:Filiere.ProjectGroupMemberLeft": ("organisation_id",),
    "domain.filiere:Filiere.ObjectiveSet": ("objective",),
    "domain.filiere:Filiere.Closed": ("decision",),
    "domain.call:Call.Launched": (
        "filiere_id",
        "title",
        "kind",
        "issuer_id",
        "opens_on",
        "closes_on",
        "budget_envelope",
        "max_selected",
        "decision",
    ),
    "domain.call:Call.CandidacySubmitted": (
        "candidacy_id",
        "candidate_id",
        "project_title",
        "requested_amount",
    ),
    "domain.call:Call.CandidacyWithdrawn": ("candidacy_id",),
    "domain.call:Call.CandidacyReviewed": ("candidacy_id", "reviewer", "score", "opinion"),
    "domain.call:Call.SubmissionsClosed": (),
    "domain.call:Call.CandidacySelected": ("candidacy_id", "decision"),
    "domain.call:Call.CandidacyRejected": ("candidacy_id", "decision"),
    "domain.call:Call.SelectionWithdrawn": ("candidacy_id", "decision"),
    "domain.call:Call.Concluded": ("decision",),
    "domain.project:Project.Proposed": (
        "filiere_id",
        "title",
        "partners",
        "estimated_budget",
        "origin_candidacy",
    ),
    "domain.project:Project.PartnerJoined": ("organisation_id", "role"),
    "domain.project:Project.StatusChanged": ("status", "decision"),
    "domain.project:Project.MilestoneReached": ("label",),
    "domain.funding:Funding.Granted": (
        "project_id",
        "funder_id",
        "kind",
        "amount",
        "currency",
        "beneficiary_id",
        "nature",
        "decision",
    ),
    "domain.funding:Funding.AmountRevised": ("amount", "decision"),
    "domain.funding:Funding.DisbursementRecorded": ("amount", "paid_on"),
    "domain.funding:Funding.Cancelled": ("decision",),
    "domain.funding:Funding.AgreementSigned": ("agreement",),
    "domain.funding:Funding.RecoveryRecorded": ("amount", "recovered_on"),
    "domain.project_financing:ProjectFinancing.Opened": ("project_id", "lines"),
    "domain.project_financing:ProjectFinancing.LineSet": ("funding_id", "amount"),
    "domain.de_minimis:DeMinimisRegister.Opened": ("beneficiary_id",),
    "domain.de_minimis:DeMinimisRegister.AidRecorded": ("funding_id", "granted_on", "amount"),
}


def test_every_event_is_stored_under_its_topic_with_its_fields_in_order() -> None:
    assert {get_topic(event_class) for event_class in ALL_EVENTS} == set(STORED_AS)
    histories = (
        an_organisation(),
        a_governing_body(),
        *a_programme(),
        an_identifier_claim(),
        *public_funding(),
    )
    stored = [event for live in histories for event in through_storage(live)[1]]
    assert {event.topic for event in stored} == set(STORED_AS)
    for event in stored:
        keys = list(orjson.loads(event.state))
        created = ["originator_topic"] if event.originator_version == 1 else []
        own = list(STORED_AS[event.topic])
        assert keys == ["timestamp", *created, "effective_on", "meta", *own], event.topic
