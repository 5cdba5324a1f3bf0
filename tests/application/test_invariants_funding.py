"""Funding and project invariants through the application: refused with nothing written."""

from datetime import date
from decimal import Decimal

import pytest

from application.funding_commands import (
    CancelFunding,
    GrantFunding,
    RecordDisbursement,
    ReviseFundingAmount,
)
from application.project_commands import ChangeProjectStatus
from domain.errors import (
    AmountUnknownError,
    DisbursementExceedsGrantError,
    FundingCancelledError,
    InvalidStatusTransitionError,
    InvalidValueError,
    ProjectClosedError,
)
from domain.funding import Funding
from domain.project import Project, ProjectStatus
from tests.application.refusals import a_project, refused

GRANTED_ON = date(2012, 1, 10)


@pytest.fixture
def project(app, ctx, world):
    return a_project(app, ctx, world)


def grant(app, ctx, world, project, amount: str | None = "1000.00"):
    return app.grant_funding(
        ctx,
        GrantFunding(
            project_id=project,
            funder_id=world.association,
            kind="study",
            decision=world.decision(GRANTED_ON),
            amount=amount,
        ),
    ).id


def test_nothing_is_paid_on_a_grant_of_unknown_amount(app, ctx, world, project) -> None:
    funding = app.grant_funding(
        ctx,
        GrantFunding(
            project_id=project,
            funder_id=world.state,
            kind="grant",
            decision=world.decision(GRANTED_ON, body=world.state_body, by=()),
        ),
    ).id
    with refused(
        app,
        AmountUnknownError,
        "nothing can be disbursed until a decision sets it",
        (Funding, funding),
    ):
        app.record_disbursement(
            ctx, RecordDisbursement(funding_id=funding, amount="100.00", paid_on=date(2012, 2, 1))
        )
    app.revise_funding_amount(
        ctx,
        ReviseFundingAmount(
            funding_id=funding,
            amount="18000000.00",
            decision=world.decision(date(2012, 3, 1), body=world.state_body, by=()),
        ),
    )
    app.record_disbursement(
        ctx, RecordDisbursement(funding_id=funding, amount="100.00", paid_on=date(2012, 4, 1))
    )
    assert app.load(Funding, funding).disbursed == Decimal("100.00")


def test_disbursed_never_exceeds_granted(app, ctx, world, project) -> None:
    funding = grant(app, ctx, world, project)
    app.record_disbursement(
        ctx, RecordDisbursement(funding_id=funding, amount="900.00", paid_on=date(2012, 2, 1))
    )
    with refused(
        app,
        DisbursementExceedsGrantError,
        "brings the total disbursed to 1 000.01 EUR, above the 1 000.00 EUR granted",
        (Funding, funding),
    ):
        app.record_disbursement(
            ctx, RecordDisbursement(funding_id=funding, amount="100.01", paid_on=date(2012, 3, 1))
        )


def test_no_revision_below_what_was_paid(app, ctx, world, project) -> None:
    funding = grant(app, ctx, world, project)
    app.record_disbursement(
        ctx, RecordDisbursement(funding_id=funding, amount="900.00", paid_on=date(2012, 2, 1))
    )
    with refused(
        app,
        DisbursementExceedsGrantError,
        "900.00 EUR has already been disbursed; the amount cannot be revised to 899.99 EUR",
        (Funding, funding),
    ):
        app.revise_funding_amount(
            ctx,
            ReviseFundingAmount(
                funding_id=funding, amount="899.99", decision=world.decision(date(2012, 3, 1))
            ),
        )


def test_a_cancelled_line_takes_nothing_more(app, ctx, world, project) -> None:
    funding = grant(app, ctx, world, project)
    app.cancel_funding(
        ctx, CancelFunding(funding_id=funding, decision=world.decision(date(2012, 6, 1)))
    )
    with refused(
        app, FundingCancelledError, "cancelled on 2012-06-01 and cannot be paid", (Funding, funding)
    ):
        app.record_disbursement(
            ctx, RecordDisbursement(funding_id=funding, amount="1.00", paid_on=date(2012, 7, 1))
        )
    with refused(app, FundingCancelledError, "cannot be revised", (Funding, funding)):
        app.revise_funding_amount(
            ctx,
            ReviseFundingAmount(
                funding_id=funding, amount="2.00", decision=world.decision(date(2012, 7, 1))
            ),
        )


def test_a_project_skipping_its_lifecycle_is_refused(app, ctx, world, project) -> None:
    with refused(
        app,
        InvalidStatusTransitionError,
        "'Centre de compétences' is proposed; it can move to: abandoned, approved, not completed",
        (Project, project),
    ):
        app.change_project_status(
            ctx,
            ChangeProjectStatus(
                project_id=project, status="completed", effective_on=date(2012, 1, 1)
            ),
        )


def test_approving_a_project_is_a_decision(app, ctx, world, project) -> None:
    with refused(
        app, InvalidValueError, "moving a project to approved is a decision", (Project, project)
    ):
        app.change_project_status(
            ctx,
            ChangeProjectStatus(
                project_id=project, status="approved", effective_on=date(2012, 1, 1)
            ),
        )


@pytest.mark.parametrize("end", [ProjectStatus.COMPLETED, ProjectStatus.ABANDONED])
def test_a_finished_project_takes_no_new_funding(app, ctx, world, project, end) -> None:
    if end == ProjectStatus.COMPLETED:
        app.change_project_status(
            ctx,
            ChangeProjectStatus(
                project_id=project,
                status="approved",
                effective_on=date(2011, 11, 1),
                decision=world.decision(date(2011, 11, 1)),
            ),
        )
        app.change_project_status(
            ctx,
            ChangeProjectStatus(
                project_id=project, status="in_progress", effective_on=date(2011, 12, 1)
            ),
        )
        app.change_project_status(
            ctx,
            ChangeProjectStatus(
                project_id=project, status="completed", effective_on=date(2012, 1, 1)
            ),
        )
    else:
        app.change_project_status(
            ctx,
            ChangeProjectStatus(
                project_id=project,
                status="abandoned",
                effective_on=date(2012, 1, 1),
                decision=world.decision(date(2012, 1, 1)),
            ),
        )
    with refused(
        app,
        ProjectClosedError,
        f"project 'Centre de compétences' is {end} and takes no more funding",
        (Project, project),
    ):
        grant(app, ctx, world, project)
    with refused(app, InvalidStatusTransitionError, "it can move to: none", (Project, project)):
        app.change_project_status(
            ctx,
            ChangeProjectStatus(
                project_id=project, status="in_progress", effective_on=date(2012, 2, 1)
            ),
        )
