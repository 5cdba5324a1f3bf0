"""/audit/checkpoint, /audit/public-key and /audit/proofs/*: the Merkle tree for auditors.

A signed checkpoint and a proof let an auditor check one event, or that
today's log extends yesterday's, with about log₂ n hashes and the public key,
without the log. Without a signing key configured, the checkpoint and the
public key answer 503 saying how to configure one; the proofs need no key.
"""

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import PlainTextResponse, Response

from api.http.deps import Auditor, Checkpoints, Tree
from api.http.problems import problem_responses
from application.audit.proofs import ConsistencyProof, InclusionProof
from infrastructure.checkpoints import InconsistentLogError, NoSigningKeyError

router = APIRouter(prefix="/audit", tags=["audit"])

MAX_SIZE = 2**62
"""Larger than any log, small enough for every database's integers."""
PEM_MEDIA_TYPE = "application/x-pem-file"


def _count(description: str) -> Any:
    """A log position or a tree size: from 1, within MAX_SIZE."""
    return Query(ge=1, le=MAX_SIZE, description=description)


def _text(content: str, media_type: str) -> dict[int | str, dict[str, object]]:
    return {200: {"content": {media_type: {"schema": {"type": "string"}, "example": content}}}}


@router.get(
    "/checkpoint",
    response_class=PlainTextResponse,
    responses={
        **_text(
            "filieres.example/…\n135\nBASE64ROOT=\n\n— filieres.example/… SIG=\n", "text/plain"
        ),
        **problem_responses(401, 403, 409, 503),
    },
)
def checkpoint(checkpoints: Checkpoints, _: Auditor) -> PlainTextResponse:
    """The log's signed checkpoint (C2SP tlog-checkpoint): origin, tree size, base64 root.

    409 when the log no longer extends the last checkpoint the server wrote to
    its checkpoint directory (it was truncated or rewritten in the database);
    503 when no signing key is configured.
    """
    try:
        return PlainTextResponse(checkpoints.sign_current())
    except NoSigningKeyError as error:
        raise HTTPException(503, str(error)) from None
    except InconsistentLogError as error:
        raise HTTPException(409, str(error)) from None


@router.get(
    "/public-key",
    response_class=Response,
    responses={
        **_text("-----BEGIN PUBLIC KEY-----\n…", PEM_MEDIA_TYPE),
        **problem_responses(401, 403, 503),
    },
)
def public_key(checkpoints: Checkpoints, _: Auditor) -> Response:
    """The Ed25519 public key that signs the checkpoints, PEM (SubjectPublicKeyInfo)."""
    try:
        return Response(checkpoints.public_key_pem(), media_type=PEM_MEDIA_TYPE)
    except NoSigningKeyError as error:
        raise HTTPException(503, str(error)) from None


@router.get(
    "/proofs/inclusion",
    response_model=InclusionProof,
    responses=problem_responses(401, 403, 404, 422),
)
def inclusion_proof(
    tree: Tree,
    _: Auditor,
    position: Annotated[int, _count("The event's log position.")],
    tree_size: Annotated[int, _count("A signed tree's size.")],
) -> InclusionProof:
    """RFC 9162 §2.1.3: the audit path from the event's leaf to the root at `tree_size`.

    404 when the log has no event at `position` or holds fewer than
    `tree_size` events; 422 when the event is not among the first `tree_size`.
    """
    return tree.inclusion(position, tree_size)


@router.get(
    "/proofs/consistency",
    response_model=ConsistencyProof,
    responses=problem_responses(401, 403, 404, 422),
)
def consistency_proof(
    tree: Tree,
    _: Auditor,
    first: Annotated[int, _count("The older tree's size.")],
    second: Annotated[int, _count("The newer tree's size.")],
) -> ConsistencyProof:
    """RFC 9162 §2.1.4: the hashes proving the tree of `second` leaves extends that of `first`.

    404 when the log holds fewer than `second` events; 422 when first > second.
    """
    return tree.consistency(first, second)
