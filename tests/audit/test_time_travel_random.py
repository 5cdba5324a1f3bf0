"""Random histories: the past the historical views compute is what the views said back then.

The steps of a random history happen one week apart and are recorded in that
order, so right after step k the views showed the state as of step k's day,
and as known at that instant: both cutoffs must give it back.
"""

from contextlib import suppress
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings

from api.bootstrap import build
from application.context import CommandContext
from application.projections.time_travel import Cutoff
from domain.errors import DomainError
from tests.conftest import fresh_store
from tests.projections.test_random_histories import START, STEPS, Story, play
from tests.world import make_world

CHECK_EVERY = 6
"""Compare every sixth step (and the last): a historical read costs a fold."""


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_the_past_is_what_the_views_said_then(
    backend: str, request: pytest.FixtureRequest, steps: list[tuple[str, int, int, Decimal | None]]
) -> None:
    with fresh_store(backend, request) as database_url:
        services = build(database_url=database_url)
        read = services.read_models
        try:
            story = Story(make_world(services.app, CommandContext(actor="world")))
            said = []
            for step, (action, a, b, amount) in enumerate(steps):
                with suppress(DomainError):
                    play(services, story, step, action, a, b, amount)
                if step % CHECK_EVERY and step != len(steps) - 1:
                    continue
                said.append(
                    (
                        START + timedelta(days=7 * step),
                        datetime.now(UTC),
                        read.filiere_overview(story.world.filiere),
                        [read.call(c) for c in story.calls],
                        [read.project(p) for p in story.projects],
                        [read.funding(f) for f in story.fundings],
                    )
                )
            for day, instant, overview, calls, projects, fundings in said:
                for cutoff in (Cutoff(as_of=day), Cutoff(known_at=instant)):
                    assert read.filiere_overview(story.world.filiere, cutoff) == overview
                    assert [read.call(c.id, cutoff) for c in calls] == calls
                    assert [read.project(p.id, cutoff) for p in projects] == projects
                    assert [read.funding(f.id, cutoff) for f in fundings] == fundings
        finally:
            services.close()
