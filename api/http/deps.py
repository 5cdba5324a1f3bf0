"""The FastAPI dependencies, in one place: services, the caller and what they may do.

Each is an `Annotated` alias a router names as a parameter's type; what they hand
out is built once, in the composition root (`api/bootstrap.py`).
"""

from collections.abc import Awaitable, Callable
from typing import Annotated
from uuid import UUID, uuid4

from fastapi import Depends, Header, HTTPException, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.bootstrap import Services
from api.http.command_runner import CommandRunner, parse_if_match
from api.http.schemas.common import Day, Moment
from application.filieres_app import FilieresApplication
from application.projections.read_models import ReadModels
from application.projections.time_travel import Cutoff
from infrastructure.audit_event_query import AuditEventQuery
from infrastructure.audit_log_store import AuditLogStore
from infrastructure.auth_store import Role, TokenHolder
from infrastructure.checkpoints import CheckpointService
from infrastructure.merkle_store import MerkleTreeStore

# Dependencies that only look things up are `async`: FastAPI runs them on the event loop
# instead of handing each to the thread pool. Those touching the database stay plain `def`.
READERS = frozenset(Role)
RECORDERS = frozenset({Role.RECORDER, Role.ADMIN})
AUDITORS = frozenset({Role.AUDITOR, Role.ADMIN})

_bearer = HTTPBearer(auto_error=False, description="A token from `filieres token issue`.")


async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_app(services: ServicesDep) -> FilieresApplication:
    return services.app


async def get_read_models(services: ServicesDep) -> ReadModels:
    return services.read_models


async def get_audit_log(services: ServicesDep) -> AuditLogStore:
    return services.audit_log


async def get_audit_events(services: ServicesDep) -> AuditEventQuery:
    return services.audit_events


def cutoff(
    as_of: Annotated[
        Day | None,
        Query(description="As it stood at the end of this day (effective time)."),
    ] = None,
    known_at: Annotated[
        Moment | None,
        Query(
            description="As the system knew it at this instant (recorded time, with its "
            "offset). 404 for what it did not know yet."
        ),
    ] = None,
) -> Cutoff:
    return Cutoff(as_of=as_of, known_at=known_at)


App = Annotated[FilieresApplication, Depends(get_app)]
Views = Annotated[ReadModels, Depends(get_read_models)]
When = Annotated[Cutoff, Depends(cutoff)]
"""The `as_of` and `known_at` query parameters every view takes: today unless given."""
AuditLog = Annotated[AuditLogStore, Depends(get_audit_log)]
"""The log and its integrity chain, read in full: verification and export."""
AuditEvents = Annotated[AuditEventQuery, Depends(get_audit_events)]
"""The log's pages, filtered; one aggregate's stream."""


def authenticated(
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> TokenHolder:
    """401 without a token or with one that is unknown or revoked."""
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(401, "a bearer token is required", headers=challenge)
    holder = services.tokens.authenticate(credentials.credentials)
    if holder is None:
        raise HTTPException(401, "the token is unknown or revoked", headers=challenge)
    return holder


def holder_in(
    roles: frozenset[Role], purpose: str
) -> Callable[[TokenHolder], Awaitable[TokenHolder]]:
    async def check(holder: Annotated[TokenHolder, Depends(authenticated)]) -> TokenHolder:
        if holder.role not in roles:
            raise HTTPException(403, f"the {holder.role} role may not {purpose}")
        return holder

    return check


Reader = Annotated[TokenHolder, Depends(holder_in(READERS, "read"))]
Recorder = Annotated[TokenHolder, Depends(holder_in(RECORDERS, "record commands"))]
Auditor = Annotated[TokenHolder, Depends(holder_in(AUDITORS, "read the audit trail"))]


async def command_runner(
    request: Request,
    services: ServicesDep,
    holder: Recorder,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=200,
            description="A retry with the same key and body returns the first answer.",
        ),
    ] = None,
    if_match: Annotated[
        str | None,
        Header(
            alias="If-Match",
            max_length=40,
            description='The version the command expects, as the ETag gave it: "N".',
        ),
    ] = None,
    correlation_id: Annotated[
        UUID | None,
        Header(alias="X-Correlation-ID", description="Stamped on every event of the command."),
    ] = None,
) -> CommandRunner:
    return CommandRunner(
        services,
        holder,
        method=request.method,
        path=request.url.path,
        idempotency_key=idempotency_key,
        expected_version=parse_if_match(if_match),
        correlation_id=correlation_id or uuid4(),
    )


Run = Annotated[CommandRunner, Depends(command_runner)]
"""Runs the command a router builds from the request: `run.create(...)`, `run.update(...)`."""


async def get_checkpoints(services: ServicesDep) -> CheckpointService:
    return services.checkpoints


async def get_tree(services: ServicesDep) -> MerkleTreeStore:
    return services.checkpoints.tree


Checkpoints = Annotated[CheckpointService, Depends(get_checkpoints)]
"""Signs the log's checkpoints (the key outside the database)."""
Tree = Annotated[MerkleTreeStore, Depends(get_tree)]
"""The Merkle tree over the log: inclusion and consistency proofs."""
