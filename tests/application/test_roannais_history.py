"""The Roannais history as a user of the demo would check it against the seed."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from application.context import CommandContext
from application.filieres_app import FilieresApplication
from application.organisation_commands import RegisterOrganisation
from application.roannais_history import (
    BUREAU_VOTERS,
    REGION_INVITEE,
    RoannaisIds,
    record_roannais_history,
)
from domain.call import Call, CallKind
from domain.candidacy import CandidacyStatus
from domain.errors import AlreadyRecordedError
from domain.filiere import Filiere, FiliereKind
from domain.funding import Funding, FundingKind
from domain.governing_body import BodyKind, GoverningBody, SeatRole
from domain.organisation import Organisation, OrganisationKind
from domain.project import Project, ProjectStatus


@pytest.fixture
def ids(app: FilieresApplication) -> RoannaisIds:
    return record_roannais_history(app)


def stored_events(app: FilieresApplication) -> list[Any]:
    notifications = app.recorder.select_notifications(start=1, limit=10000)
    assert len(notifications) == app.event_count()
    return [app.mapper.to_domain_event(n) for n in notifications]


def decision_events(app: FilieresApplication) -> list[Any]:
    return [e for e in stored_events(app) if getattr(e, "decision", None) is not None]


def test_viandes_seven_candidacies_four_selected_three_rejected(
    app: FilieresApplication, ids: RoannaisIds
) -> None:
    call = app.load(Call, ids.viandes_call)
    assert call.kind == CallKind.CALL_FOR_PROJECTS
    assert call.issuer_id == ids.association
    assert len(call.candidacies) == 7
    assert len(call.with_status(CandidacyStatus.SELECTED)) == 4
    assert len(call.with_status(CandidacyStatus.REJECTED)) == 3
    assert {c.submitted_on.year for c in call.candidacies.values()} == {2011}
    assert all(c.requested_amount is None for c in call.candidacies.values())

    projects = [app.load(Project, p) for p in ids.viandes_projects]
    assert len(projects) == 4
    assert {p.origin_candidacy.candidacy_id for p in projects if p.origin_candidacy} == set(
        ids.viandes_selected
    )
    assert all(p.status == ProjectStatus.APPROVED for p in projects)


def test_deconstruction_estimated_at_18_million_supported_by_the_state_amount_unknown(
    app: FilieresApplication, ids: RoannaisIds
) -> None:
    project = app.load(Project, ids.deconstruction_global_project)
    assert project.estimated_budget == Decimal("18000000.00")
    assert project.filiere_id == ids.filieres["deconstruction"]

    funding = app.load(Funding, ids.state_funding)
    assert funding.amount is None
    assert funding.kind == FundingKind.GRANT
    assert funding.project_id == ids.deconstruction_global_project
    assert funding.funder_id == ids.organisations["etat"]
    assert app.load(Organisation, funding.funder_id).name == "État"

    (granted,) = [e for e in stored_events(app) if e.originator_id == ids.state_funding]
    assert type(granted).__name__ == "Granted"
    assert granted.decision.body_id == ids.state_body
    assert "non publié" in granted.decision.rationale
    state_body = app.load(GoverningBody, ids.state_body)
    assert state_body.kind == BodyKind.EXTERNAL
    assert state_body.organisation_id == ids.organisations["etat"]


def test_each_partner_leads_at_least_one_active_filiere(
    app: FilieresApplication, ids: RoannaisIds
) -> None:
    assert app.partners_without_active_filiere() == []
    filieres = [app.load(Filiere, f) for f in ids.filieres.values()]
    assert sorted(f.kind for f in filieres) == ["axis"] + ["filiere"] * 5
    assert {f.lead_partner_id for f in filieres} >= set(ids.partners.values())
    for partner in ids.partners.values():
        assert app.load(Organisation, partner).kind == OrganisationKind.PARTNER


def test_region_is_a_permanent_invitee_who_never_decides(
    app: FilieresApplication, ids: RoannaisIds
) -> None:
    bureau = app.load(GoverningBody, ids.bureau)
    (seat,) = [s for s in bureau.seats if s.organisation_id == ids.organisations["region"]]
    assert seat.person == REGION_INVITEE
    assert seat.role == SeatRole.INVITEE
    assert seat.until is None

    decisions = decision_events(app)
    assert decisions
    for event in decisions:
        assert REGION_INVITEE not in event.decision.decided_by
        assert not any("Région" in person for person in event.decision.decided_by)


def test_every_decision_was_taken_by_voting_members_of_a_deciding_body(
    app: FilieresApplication, ids: RoannaisIds
) -> None:
    bodies: dict[Any, GoverningBody] = {}
    for event in decision_events(app):
        decision = event.decision
        body = bodies.setdefault(decision.body_id, app.load(GoverningBody, decision.body_id))
        assert body.kind in (BodyKind.BUREAU, BodyKind.EXTERNAL), type(event).__name__
        assert event.effective_on == decision.decided_on
        if body.kind == BodyKind.BUREAU:
            # The sheet publishes no sitting and names no one who decided.
            assert decision.sitting_not_published and decision.decided_by == ()
        for person in decision.decided_by:
            assert body.is_voting_member(person, decision.decided_on), (person, decision)
    bureau = app.load(GoverningBody, ids.bureau)
    assert sorted(bureau.voting_members(bureau.constituted_on)) == sorted(BUREAU_VOTERS)
    assert "Georges Bernat" in BUREAU_VOTERS


def test_no_invented_names_for_the_viandes_candidates(
    app: FilieresApplication, ids: RoannaisIds
) -> None:
    names = [app.load(Organisation, c).name for c in ids.viandes_candidates]
    assert names == [f"Candidat {n} (nom non publié)" for n in range(1, 8)]
    call = app.load(Call, ids.viandes_call)
    assert {c.candidate_id for c in call.candidacies.values()} == set(ids.viandes_candidates)
    for person in BUREAU_VOTERS:
        assert person == "Georges Bernat" or "nom non publié" in person


def test_assumptions_are_marked_in_the_rationales(
    app: FilieresApplication, ids: RoannaisIds
) -> None:
    launches = [e for e in stored_events(app) if isinstance(e, Filiere.Launched)]
    assert len(launches) == 6
    for event in launches:
        rationale = event.decision.rationale
        assert "Hypothèse" in rationale
        assert "chef de file" in rationale
    # The selection of candidates 1 to 4 is not in the seed either.
    for event in decision_events(app):
        if type(event).__name__ in ("CandidacySelected", "CandidacyRejected"):
            assert "Hypothèse" in event.decision.rationale


def test_the_ami_answer_and_the_pending_projects_stay_undecided(
    app: FilieresApplication, ids: RoannaisIds
) -> None:
    ami = app.load(Call, ids.telemedecine_call)
    assert ami.kind == CallKind.CALL_FOR_EXPRESSIONS_OF_INTEREST
    assert ami.issuer_id == ids.organisations["massif_central"]
    assert ami.candidacy(ids.telemedecine_candidacy).status == CandidacyStatus.SUBMITTED
    assert ami.candidacy(ids.telemedecine_candidacy).candidate_id == ids.association
    telemedecine = app.load(Project, ids.projects["telemedecine"])
    assert telemedecine.partner_ids >= {
        ids.organisations[k] for k in ("carestream", "numeriparc", "numelink")
    }
    ecologie = app.load(Project, ids.projects["ecologie_industrielle"])
    assert ecologie.status == ProjectStatus.PROPOSED

    study = app.load(Funding, ids.wood_energy_study)
    assert study.kind == FundingKind.STUDY
    assert study.amount is None
    assert study.funder_id == ids.association

    axis = app.load(Filiere, ids.filieres["marketing_territorial"])
    assert axis.kind == FiliereKind.AXIS
    assert axis.launched_on.year == 2012
    assert {ids.organisations["region"], ids.organisations["ville_de_roanne"]} <= set(
        axis.project_group
    )


def test_recording_twice_is_refused_and_writes_nothing(app: FilieresApplication) -> None:
    record_roannais_history(app)
    count = app.event_count()
    with pytest.raises(AlreadyRecordedError, match=f"{count} events"):
        record_roannais_history(app)
    assert app.event_count() == count


def test_a_store_with_any_event_is_refused(app: FilieresApplication, ctx: CommandContext) -> None:
    app.register_organisation(
        ctx,
        RegisterOrganisation(
            name="Une organisation", kind="company", registered_on=date(2020, 1, 1)
        ),
    )
    with pytest.raises(AlreadyRecordedError, match="1 events"):
        record_roannais_history(app)
    assert app.event_count() == 1


def test_every_event_is_recorded_by_the_given_actor(app: FilieresApplication) -> None:
    record_roannais_history(app, actor="demo check")
    assert {e.meta.recorded_by for e in stored_events(app)} == {"demo check"}
