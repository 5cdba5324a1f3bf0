"""Each event applied to each view once: after a crash, with two followers, with a runner."""

import threading
from collections.abc import Iterator
from datetime import date

import pytest
from eventsourcing.persistence import IntegrityError, Tracking

from api.bootstrap import Services, build
from api.cli.projections_runner import follow_log
from application.context import CommandContext
from application.organisation_commands import RegisterOrganisation
from application.projections.views import filiere_overview
from application.roannais_history import RoannaisIds, record_roannais_history
from domain.call import Call
from infrastructure.views.view_store import SQLAlchemyViewStore
from tests.conftest import BACKENDS, unfollowed_demo_copy
from tests.projections.conftest import contents, positions


class Crash(Exception):
    pass


@pytest.fixture(params=BACKENDS)
def demo_unfollowed(request: pytest.FixtureRequest) -> Iterator[tuple[Services, RoannaisIds]]:
    """The demo recorded while nothing kept the views current (a copy of a recording made
    once per run), with services that do not follow either."""
    with unfollowed_demo_copy(request.param, request) as (url, ids):
        services = build(database_url=url, follow_in_process=False)
        try:
            yield services, ids
        finally:
            services.close()


def rebuilt_contents(services: Services) -> dict[str, dict[str, list[tuple[object, ...]]]]:
    reference = build(database_url=services.settings.database_url, follow_in_process=False)
    try:
        reference.views.rebuild()
        return contents(reference.views)
    finally:
        reference.close()


def test_a_crash_between_the_view_write_and_its_tracking_leaves_neither(
    demo_unfollowed: tuple[Services, RoannaisIds], monkeypatch: pytest.MonkeyPatch
) -> None:
    services, ids = demo_unfollowed
    empty = contents(services.views)

    def crash(*_args: object, **_kwargs: object) -> None:
        raise Crash("the process died before recording its position")

    monkeypatch.setattr(SQLAlchemyViewStore, "_record_position", crash)
    with pytest.raises(Crash):
        services.views.catch_up()
    assert contents(services.views) == empty
    assert set(positions(services.views).values()) == {0}

    monkeypatch.undo()
    services.views.catch_up()
    viandes = services.read_models.filiere_overview(ids.filieres["viandes"])
    assert (viandes.candidacies.submitted, viandes.candidacies.selected) == (7, 4)
    assert contents(services.views) == rebuilt_contents(services)


def test_an_event_delivered_twice_is_applied_once(
    demo_unfollowed: tuple[Services, RoannaisIds],
) -> None:
    services, ids = demo_unfollowed
    services.views.catch_up()
    (overview,) = [p for p in services.views.projections if p.name == filiere_overview.VIEW.name]
    submitted = [
        n
        for n in services.app.recorder.select_notifications(start=1, limit=1000)
        if n.topic.endswith("Call.CandidacySubmitted")
    ]
    for notification in submitted:  # a redelivery, as a restarted subscription would do
        event = services.app.mapper.to_domain_event(notification)
        assert isinstance(event, Call.CandidacySubmitted)
        overview.process_event(event, Tracking(services.app.name, notification.id))

    viandes = services.read_models.filiere_overview(ids.filieres["viandes"])
    assert viandes.candidacies.submitted == 7
    assert contents(services.views) == rebuilt_contents(services)


def test_two_processes_catching_up_at_once_apply_each_event_once(
    demo_unfollowed: tuple[Services, RoannaisIds],
) -> None:
    services, ids = demo_unfollowed
    # Two composition roots: two engines, as two API workers would have.
    other = build(database_url=services.settings.database_url, follow_in_process=False)
    try:
        for followers in (services, other):
            followers.views.batch_size = 7  # many small transactions, so they interleave
        errors: list[BaseException] = []

        def follow(followers: Services) -> None:
            try:
                followers.views.catch_up()
            except BaseException as error:  # surfaced by the assertion below
                errors.append(error)

        threads = [threading.Thread(target=follow, args=(s,)) for s in (services, other)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
    finally:
        other.close()
    viandes = services.read_models.filiere_overview(ids.filieres["viandes"])
    assert (viandes.candidacies.submitted, viandes.candidacies.rejected) == (7, 3)
    assert contents(services.views) == rebuilt_contents(services)


def test_the_runner_keeps_views_current_for_a_process_that_does_not_catch_up(
    unfollowed: Services,
) -> None:
    stop = threading.Event()
    failure: list[BaseException] = []

    def run() -> None:
        try:
            follow_log(unfollowed.settings.database_url, stop)
        except BaseException as error:
            failure.append(error)

    runner = threading.Thread(target=run)
    runner.start()
    try:
        ids = record_roannais_history(unfollowed.app)
        unfollowed.read_models.fresh()  # waits for the runner; never applies anything itself
        viandes = unfollowed.read_models.filiere_overview(ids.filieres["viandes"])
        assert (viandes.candidacies.selected, viandes.candidacies.rejected) == (4, 3)
    finally:
        stop.set()
        runner.join(timeout=30)
    assert failure == []
    assert contents(unfollowed.views) == rebuilt_contents(unfollowed)


def test_a_reader_waiting_for_views_no_one_updates_gets_a_timeout(unfollowed: Services) -> None:
    record_roannais_history(unfollowed.app)
    unfollowed.read_models.wait_timeout = 0.2
    with pytest.raises(TimeoutError, match="position 137"):
        unfollowed.read_models.fresh()


def test_a_view_whose_version_the_code_bumped_is_rebuilt_at_start(
    demo_unfollowed: tuple[Services, RoannaisIds], monkeypatch: pytest.MonkeyPatch
) -> None:
    services, _ids = demo_unfollowed
    services.views.start()
    expected = contents(services.views)
    overview = next(v for v in services.views.views if v.name == filiere_overview.VIEW.name)
    assert overview.stored_version() == 1

    monkeypatch.setattr(filiere_overview.VIEW, "version", 2)
    status = {s.name: s for s in services.views.status()}[filiere_overview.VIEW.name]
    assert (status.version, status.stored_version) == (2, 1)
    restarted = build(database_url=services.settings.database_url)
    try:
        rebuilt = {v.name: v.stored_version() for v in restarted.views.views}
        assert rebuilt[filiere_overview.VIEW.name] == 2
        assert contents(restarted.views) == expected
    finally:
        restarted.close()


def test_a_failing_view_does_not_fail_the_command_and_catches_up_later(
    services: Services, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    overview = next(p for p in services.views.projections if p.name == filiere_overview.VIEW.name)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise Crash("a bug in the view")

    monkeypatch.setattr(overview, "process_event", broken)
    before = services.app.event_count()
    result = services.app.register_organisation(
        CommandContext(actor="test"),
        RegisterOrganisation(name="Numériparc", kind="cluster", registered_on=date(2011, 1, 1)),
    )
    assert result.position == before + 1  # the command is stored and answered
    assert "failed after the command" in caplog.text
    assert {s.name: s.lag for s in services.views.status()}[filiere_overview.VIEW.name] == 1

    monkeypatch.undo()
    services.read_models.fresh()
    assert all(s.lag == 0 for s in services.views.status())


def test_a_view_that_keeps_conflicting_surfaces_instead_of_looping(
    demo_unfollowed: tuple[Services, RoannaisIds], monkeypatch: pytest.MonkeyPatch
) -> None:
    services, _ids = demo_unfollowed
    overview = next(p for p in services.views.projections if p.name == filiere_overview.VIEW.name)

    def duplicate(*_args: object, **_kwargs: object) -> None:
        raise IntegrityError("duplicate key in a view")

    monkeypatch.setattr(overview, "process_event", duplicate)
    with pytest.raises(IntegrityError, match="duplicate key"):
        services.views.catch_up()
    assert set(positions(services.views).values()) == {0}
