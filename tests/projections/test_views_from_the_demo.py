"""What the views say about the Roannais history, and that a rebuild says exactly the same."""

from collections.abc import Iterator
from decimal import Decimal

import pytest

from api.bootstrap import Services, build
from application.projections.records import RegisterFilter
from application.roannais_history import RoannaisIds, record_roannais_history
from tests.projections.conftest import contents, positions


@pytest.fixture
def services(demo_url: str) -> Iterator[Services]:
    """The demo's store as its recording left it, views built command by command: a copy of
    the demo recorded once per run (tests/conftest.py)."""
    built = build(database_url=demo_url)
    yield built
    built.close()


def test_viandes_overview_reads_seven_submitted_four_selected_three_rejected(
    services: Services, demo_ids: RoannaisIds
) -> None:
    ids = demo_ids
    viandes = services.read_models.filiere_overview(ids.filieres["viandes"])
    assert viandes.name == "Viandes"
    assert (viandes.candidacies.submitted, viandes.candidacies.selected) == (7, 4)
    assert (viandes.candidacies.rejected, viandes.candidacies.withdrawn) == (3, 0)
    assert [(c.id, c.status) for c in viandes.calls] == [(ids.viandes_call, "concluded")]
    assert viandes.projects_by_status["approved"] == 4
    assert viandes.lead_partner.name == "Roannais Pays de Rhône-Alpes"
    assert viandes.last_decision is not None
    assert viandes.last_decision.decided_on.year == 2012


def test_deconstruction_overview_counts_the_state_support_as_a_line_without_amount(
    services: Services, demo_ids: RoannaisIds
) -> None:
    ids = demo_ids
    overview = services.read_models.filiere_overview(ids.filieres["deconstruction"])
    assert overview.funding.granted == Decimal("0.00")
    assert overview.funding.lines_without_amount == 1
    (state,) = overview.funding.by_funder
    assert (state.funder_id, state.name) == (ids.organisations["etat"], "État")
    assert overview.last_decision is not None
    assert overview.last_decision.event == "Funding.Granted"
    assert overview.last_decision.body_id == ids.state_body


def test_every_filiere_has_an_overview_in_launch_order(
    services: Services, demo_ids: RoannaisIds
) -> None:
    ids = demo_ids
    overviews = services.read_models.filiere_overviews()
    assert [o.id for o in overviews] == list(ids.filieres.values())
    assert overviews[-1].kind == "axis"
    assert all(o.version_position <= services.app.event_count() for o in overviews)


def test_register_names_who_decided_each_viandes_selection(
    services: Services, demo_ids: RoannaisIds
) -> None:
    ids = demo_ids
    page = services.read_models.decisions(
        RegisterFilter(filiere_id=ids.filieres["viandes"]), limit=100
    )
    selections = [e for e in page.items if e.event == "Call.CandidacySelected"]
    assert [e.candidacy_id for e in selections] == list(ids.viandes_selected)
    for entry in selections:
        assert entry.body_id == ids.bureau
        assert entry.body_name.startswith("Bureau")
        assert entry.decided_by == []  # the sheet names no one who decided
        assert entry.filiere_name == "Viandes"
        assert entry.recorded_by == "filieres demo"
        assert entry.subject.startswith("Démarche innovante")
    assert page.next_cursor is None


def test_dropping_every_view_and_rebuilding_gives_back_the_same_tables(
    services: Services,
) -> None:
    incremental = contents(services.views)
    before = positions(services.views)

    services.views.rebuild()

    assert contents(services.views) == incremental
    assert positions(services.views) == before == dict.fromkeys(before, 137)


def test_views_catch_up_at_start_with_events_recorded_while_no_one_followed(
    unfollowed: Services,
) -> None:
    ids: RoannaisIds = record_roannais_history(unfollowed.app)
    assert all(s.position == 0 and s.lag > 0 for s in unfollowed.views.status())

    restarted = build(database_url=unfollowed.settings.database_url)
    try:
        assert all(s.lag == 0 for s in restarted.views.status())
        viandes = restarted.read_models.filiere_overview(ids.filieres["viandes"])
        assert viandes.candidacies.selected == 4
        incremental = contents(restarted.views)
        restarted.views.rebuild()
        assert contents(restarted.views) == incremental
    finally:
        restarted.close()
