"""The Roannais history as a user of the demo would check it against the seed."""

from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
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
from application.roannais_history.facts import (
    BUREAU_DECIDERS_UNKNOWN,
    PAYS_PRESIDENT_2013,
    PROGRAMME_START,
    SHEET,
    SHEET_UPDATED,
)
from domain.call import Call, CallKind
from domain.candidacy import CandidacyStatus
from domain.errors import AlreadyRecordedError
from domain.filiere import Filiere, FiliereKind
from domain.funding import Funding, FundingKind
from domain.governing_body import BodyKind, GoverningBody, SeatRole
from domain.organisation import Organisation, OrganisationKind
from domain.project import Project, ProjectStatus
from infrastructure.persistence import event_store_env
from tests.conftest import BACKENDS, demo_copy

DEMO_IDS = pytest.StashKey[RoannaisIds]()


@pytest.fixture(params=BACKENDS)
def app(request: pytest.FixtureRequest) -> Iterator[FilieresApplication]:
    """The application on a store of its own, on SQLite then PostgreSQL. A test that takes
    `ids` only reads the history: its store is a copy of the demo recorded once per run
    (seconds saved per test); the others record into an empty store."""
    if "ids" in request.fixturenames:
        store: AbstractContextManager[tuple[str, RoannaisIds | None]] = demo_copy(
            request.param, request
        )
    else:
        store = nullcontext((request.getfixturevalue(f"{request.param}_url"), None))
    with store as (url, ids):
        if ids is not None:
            request.node.stash[DEMO_IDS] = ids
        application = FilieresApplication(event_store_env(url))
        yield application
        application.close()


@pytest.fixture
def ids(app: FilieresApplication, request: pytest.FixtureRequest) -> RoannaisIds:
    return request.node.stash[DEMO_IDS]


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
    # One global project with its two actions, not three projects.
    projects = [app.load(Project, p) for p in ids.projects.values()]
    assert [p.id for p in projects if p.filiere_id == ids.filieres["deconstruction"]] == [
        project.id
    ]
    assert project.status == ProjectStatus.IN_PROGRESS
    actions = [label for _, label in project.milestones]
    assert len(actions) == 2 and all(a.startswith("Action engagée") for a in actions)

    funding = app.load(Funding, ids.state_funding)
    assert funding.amount is None
    assert (funding.kind, funding.nature, funding.beneficiary_id) == (
        FundingKind.UNKNOWN,
        None,
        None,
    )
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
    # A strengthening of the initial governance, true at the sheet's date: not from 2009.
    assert seat.from_date == SHEET_UPDATED

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
    assert sorted(bureau.voting_members(PROGRAMME_START)) == sorted(BUREAU_VOTERS)


def test_no_invented_names_for_the_viandes_candidates(
    app: FilieresApplication, ids: RoannaisIds
) -> None:
    names = [app.load(Organisation, c).name for c in ids.viandes_candidates]
    assert names == [f"Candidat {n} (nom non publié)" for n in range(1, 8)]
    call = app.load(Call, ids.viandes_call)
    assert {c.candidate_id for c in call.candidacies.values()} == set(ids.viandes_candidates)
    for person in BUREAU_VOTERS:
        assert "nom non publié" in person


def test_no_event_names_a_person_the_source_does_not_tie_to_it(
    app: FilieresApplication, ids: RoannaisIds
) -> None:
    """The sheet names one person in a role, Georges Bernat, president of the Pays in April
    2013: he decides nothing, sits from that date only; everyone else is "nom non publié"."""
    named: list[tuple[str, Any]] = []
    for event in stored_events(app):
        decision = getattr(event, "decision", None)
        people = [*(decision.decided_by if decision else ()), getattr(event, "person", None)]
        named += [(person, event) for person in people if person]
    assert named
    for person, event in named:
        if person == PAYS_PRESIDENT_2013:
            assert type(event).__name__ == "MemberSeated", event
            assert event.effective_on == SHEET_UPDATED
        else:
            assert "nom non publié" in person, person
    bureau = app.load(GoverningBody, ids.bureau)
    assert PAYS_PRESIDENT_2013 not in bureau.voting_members(date(2012, 12, 31))
    assert PAYS_PRESIDENT_2013 in bureau.voting_members(SHEET_UPDATED)


def test_the_bodies_constitution_dates_are_unknown(
    app: FilieresApplication, ids: RoannaisIds
) -> None:
    for body_id in (ids.bureau, ids.directoire, ids.advisory_council, ids.state_body):
        assert app.load(GoverningBody, body_id).constituted_on is None


def test_the_association_facts_the_sheet_states(app: FilieresApplication, ids: RoannaisIds) -> None:
    facts = {f.topic: f for f in app.load(Organisation, ids.association).facts}
    assert "5 communautés de communes et 1 communauté d'agglomération" in (
        facts["périmètre"].statement
    )
    assert "6 000 entreprises" in facts["entreprises concernées"].statement
    assert facts["ouverture"].stated_on.year == 2008
    assert "agglomération" in facts["ouverture"].statement
    assert facts["membres"].stated_on.year == 2009
    assert "pays" in facts["membres"].statement


def test_every_event_cites_the_sheet_and_lists_its_assumptions(
    app: FilieresApplication, ids: RoannaisIds
) -> None:
    events = stored_events(app)
    for event in events:
        assert event.meta.source.document == SHEET
        assert event.meta.source.locator, event
    launches = [e for e in events if isinstance(e, Filiere.Launched)]
    assert len(launches) == 6
    for event in launches:
        assert any("chef de file" in a for a in event.meta.assumptions)
    # The selection of candidates 1 to 4 is not in the seed either.
    for event in decision_events(app):
        if type(event).__name__ in ("CandidacySelected", "CandidacyRejected"):
            assert any("arbitraire" in a for a in event.meta.assumptions)
            assert event.meta.source.locator == "Résultats obtenus – Filière Viandes"
        if event.decision.body_id == ids.bureau:
            assert BUREAU_DECIDERS_UNKNOWN in event.meta.assumptions
        # Assumptions are in the metadata, no longer mixed into the grounds.
        assert "Hypothèse" not in event.decision.rationale


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
    # Under way, with more than 20 companies; the waste decision is still to come.
    ecologie = app.load(Project, ids.projects["ecologie_industrielle"])
    assert ecologie.status == ProjectStatus.IN_PROGRESS
    assert any("Plus de 20 entreprises" in label for _, label in ecologie.milestones)
    # The Bois actions are the filière's lines of work: the sheet reports no approval.
    for key in ("reseau_bois", "recrutement_collectif", "ecoconstruction", "formation_enise"):
        assert app.load(Project, ids.projects[key]).status == ProjectStatus.PROPOSED

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
