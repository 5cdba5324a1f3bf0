"""/calls: launch, candidacies (submit, withdraw, review, decide, withdraw a selection), close,
conclude; details."""

from uuid import UUID

from fastapi import APIRouter, Response

from api.http.command_routes import creation, update
from api.http.command_runner import etag
from api.http.deps import Reader, Views, When
from api.http.read_routes import detail, listing
from api.http.routers.responses import READ
from api.http.routers.time_travel import tag_current_version
from application import call_commands as command
from application.projections.detail_kinds import CALL
from application.projections.detail_records import CandidacyDetails
from application.projections.read_models import ReadModels
from domain.errors import NotFoundError

router = APIRouter(prefix="/calls", tags=["calls"])


# Commands: POST path → the command it runs (its body is the command's payload).
creation(router, "", command.LaunchCall)
creation(
    router,
    "/{call_id}/candidacies",
    command.SubmitCandidacy,
    "The answer's `candidacy_id` names the candidacy in later commands.",
)
update(router, "/{call_id}/candidacies/{candidacy_id}/withdraw", command.WithdrawCandidacy)
update(router, "/{call_id}/candidacies/{candidacy_id}/reviews", command.ReviewCandidacy)
update(router, "/{call_id}/close", command.CloseSubmissions)
update(router, "/{call_id}/candidacies/{candidacy_id}/decision", command.DecideCandidacy)
update(
    router,
    "/{call_id}/candidacies/{candidacy_id}/selection-withdrawal",
    command.WithdrawSelection,
    "The deciding body withdraws its selection: the candidacy becomes `withdrawn`.",
)
update(router, "/{call_id}/conclude", command.ConcludeCall)

# Reads: a page of those one parent holds, and one by its id (see api/http/read_routes.py).
listing(router, CALL, ReadModels.calls_of_filiere, "The filière whose calls to list.")
detail(router, CALL, ReadModels.call)


@router.get(
    "/{call_id}/candidacies/{candidacy_id}", response_model=CandidacyDetails, responses=READ
)
def read_candidacy(
    call_id: UUID, candidacy_id: UUID, views: Views, _: Reader, response: Response, when: When
) -> CandidacyDetails:
    """One candidacy of the call, where its submission's `Location` points; the ETag is the
    call's version (a candidacy lives in its call), today only."""
    call = views.call(call_id, when)
    found = next((c for c in call.candidacies if c.id == candidacy_id), None)
    if found is None:
        raise NotFoundError(f"call {call.title!r} ({call.id}) has no candidacy {candidacy_id}")
    tag_current_version(response, when, etag(call.version))
    return found
