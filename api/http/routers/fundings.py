"""/fundings: grant, revise the amount, disburse, cancel; the ledger of each line."""

from fastapi import APIRouter

from api.http.command_routes import commands
from api.http.read_routes import detail, listing
from application import funding_commands as command
from application.projections.detail_kinds import FUNDING
from application.projections.read_models import ReadModels

router = APIRouter(prefix="/fundings", tags=["fundings"])


# Commands: POST path → the command it runs (its body is the command's payload).
commands(
    router,
    command.GrantFunding,
    {
        "/{funding_id}/amount": command.ReviseFundingAmount,
        "/{funding_id}/disbursements": command.RecordDisbursement,
        "/{funding_id}/cancel": command.CancelFunding,
        "/{funding_id}/agreement": command.SignFundingAgreement,
        "/{funding_id}/recoveries": command.RecordRecovery,
    },
)

# Reads: a page of those one parent holds, and one by its id (see api/http/read_routes.py).
listing(router, FUNDING, ReadModels.fundings_of_project, "The project whose funding lines to list.")
detail(router, FUNDING, ReadModels.funding)
