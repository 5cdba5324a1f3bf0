"""Givens and the `refused` check shared by the application tests (this module holds no test)."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from uuid import UUID

import pytest

from application.call_commands import CloseSubmissions, LaunchCall, SubmitCandidacy
from application.context import CommandContext
from application.filieres_app import FilieresApplication
from application.project_commands import ProposeProject
from domain.base import Aggregate
from domain.project import ProjectPartner
from tests.world import World

OPENS, CLOSES = date(2011, 3, 1), date(2011, 6, 30)
CLOSED_ON, DECIDED_ON = date(2011, 7, 1), date(2011, 9, 15)

Subject = tuple[type[Aggregate], UUID]


@contextmanager
def refused(
    app: FilieresApplication, error: type[Exception], match: str, *subjects: Subject
) -> Iterator[pytest.ExceptionInfo[Exception]]:
    """The block raises `error` with a message matching `match`, and nothing is written.

    Nothing written: the log's last position is unchanged, and so is the version of
    each aggregate named in `subjects`.
    """
    before = app.event_count()
    versions = [app.load(kind, aggregate_id).version for kind, aggregate_id in subjects]
    with pytest.raises(error, match=match) as caught:
        yield caught
    assert app.event_count() == before, "a refused command wrote to the log"
    after = [app.load(kind, aggregate_id).version for kind, aggregate_id in subjects]
    assert after == versions, "a refused command changed an aggregate"


def open_call(
    app: FilieresApplication, ctx: CommandContext, world: World, **limits: object
) -> UUID:
    """A call of the association open from OPENS to CLOSES, with optional limits."""
    return app.launch_call(
        ctx,
        LaunchCall(
            filiere_id=world.filiere,
            title="Appel Viandes",
            kind="call_for_projects",
            issuer_id=world.association,
            opens_on=OPENS,
            closes_on=CLOSES,
            decision=world.decision(date(2011, 2, 1)),
            **limits,
        ),
    ).id


def closed_call(
    app: FilieresApplication, ctx: CommandContext, world: World, *titles: str, **limits: object
) -> tuple[UUID, list[UUID]]:
    """A call of the association with one candidacy per title, submissions closed."""
    call = open_call(app, ctx, world, **limits)
    candidacies = []
    for title in titles or ("Abattoir mobile",):
        result = app.submit_candidacy(
            ctx,
            SubmitCandidacy(
                call_id=call, candidate_id=world.company, project_title=title, submitted_on=OPENS
            ),
        )
        assert result.candidacy_id is not None
        candidacies.append(result.candidacy_id)
    app.close_submissions(ctx, CloseSubmissions(call_id=call, closed_on=CLOSED_ON))
    return call, candidacies


def a_project(app: FilieresApplication, ctx: CommandContext, world: World) -> UUID:
    """A proposed project with the company as its partner."""
    partner = ProjectPartner(organisation_id=world.company, role="porteur")
    return app.propose_project(
        ctx,
        ProposeProject(
            filiere_id=world.filiere,
            title="Centre de compétences",
            proposed_on=date(2011, 10, 1),
            partners=(partner,),
        ),
    ).id


def aggregate_label(kind: type) -> str:
    """How a refusal names an aggregate type: `GoverningBody` → `governing body`."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", kind.__name__).lower()
