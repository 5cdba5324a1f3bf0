"""Runs one command for a request: idempotency, If-Match, retries on conflict, the answer.

The router builds the command from the request (its body's payload, its path's ids) and
hands it here once; the application runs it through the handler of its class.
"""

import hashlib
import random
import re
import time
from dataclasses import dataclass
from uuid import UUID

from eventsourcing.persistence import IntegrityError, OperationalError
from fastapi import HTTPException
from fastapi.responses import Response

from api.bootstrap import Services
from api.http.schemas.common import CommandAnswer
from application.command import Command
from application.context import CommandContext, CommandResult
from domain.errors import ConcurrencyError, InvalidValueError, StaleVersionError
from infrastructure.auth_store import TokenHolder
from infrastructure.idempotency_store import StoredAnswer, UntrustedAnswerError

ATTEMPTS = 20
UNAVAILABLE_ATTEMPTS = 3
# A strong ETag, quoted as this API gives it (unquoted tolerated); weak ones never match.
# A read whose body depends on more than its aggregate adds a hash of that body: "N-h".
_ETAG = re.compile(r'^\s*"?(\d{1,12})(?:-[0-9a-f]{1,64})?"?\s*$')


def etag(version: int, body: bytes | None = None) -> str:
    """The aggregate's version; with `body`, qualified by its hash, so the tag changes with
    what is read (an overview moves with its calls and fundings, its filière's version not)."""
    if body is None:
        return f'"{version}"'
    return f'"{version}-{hashlib.sha256(body).hexdigest()[:16]}"'


def parse_if_match(value: str | None) -> int | None:
    """The version an If-Match header expects; None for no header or `*`."""
    if value is None or value.strip() == "*":
        return None
    match = _ETAG.match(value)
    if match is None:
        raise InvalidValueError(f'If-Match: {value[:40]!r} is not an ETag this API gave ("N")')
    return int(match.group(1))


@dataclass(frozen=True)
class CommandRunner:
    """One request's command runner: who asks, where, with which key and expected version."""

    services: Services
    holder: TokenHolder
    method: str
    path: str
    idempotency_key: str | None
    expected_version: int | None
    """From If-Match; set on the command if it has the field."""
    correlation_id: UUID

    def create(self, command: Command, location: str) -> Response:
        """A command that creates something: 201 with its Location (`location/id`)."""
        return self._run(command, 201, location)

    def update(self, command: Command) -> Response:
        """A command on an existing aggregate: 200."""
        return self._run(command, 200, None)

    def _run(self, command: Command, status: int, location: str | None) -> Response:
        fingerprint = self._fingerprint(command)
        replay = self._replay(fingerprint)
        if replay is not None:
            return replay
        if self.expected_version is not None and "expected_version" in type(command).model_fields:
            command = command.model_copy(update={"expected_version": self.expected_version})
        ctx = CommandContext(actor=self.holder.actor, correlation_id=self.correlation_id)
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with self.services.transaction():
                    result = self.services.app.execute(ctx, command)
                    answer = self._answer(result, status, fingerprint, location)
                    if self.idempotency_key is not None:
                        self.services.idempotency.remember(
                            self.holder.actor, self.idempotency_key, answer
                        )
                return _response(answer)
            except StaleVersionError:
                raise
            except OperationalError:
                # A locked SQLite file (another process writing) or a database restarting.
                if attempt >= UNAVAILABLE_ATTEMPTS:
                    raise
                time.sleep(0.05 * attempt)
            except (ConcurrencyError, IntegrityError):
                # Another request wrote the same aggregate (or used the same key) first.
                if self.expected_version is not None:
                    raise StaleVersionError(
                        "another command changed this aggregate first; read it again"
                    ) from None
                replay = self._replay(fingerprint)
                if replay is not None:
                    return replay
                if attempt == ATTEMPTS:
                    raise ConcurrencyError(
                        f"the aggregate kept changing under {ATTEMPTS} attempts; retry later"
                    ) from None
                time.sleep(random.uniform(0, 0.005 * attempt))
        raise AssertionError("unreachable")

    def _fingerprint(self, command: Command) -> str:
        """A hash of the method, the path and the body's payload as validated."""
        request = f"{self.method} {self.path}\n{command.payload_json()}"
        return hashlib.sha256(request.encode()).hexdigest()

    def _replay(self, fingerprint: str) -> Response | None:
        if self.idempotency_key is None:
            return None
        try:
            stored = self.services.idempotency.find(self.holder.actor, self.idempotency_key)
        except UntrustedAnswerError as error:
            raise HTTPException(409, str(error)) from None
        if stored is None:
            return None
        if stored.fingerprint != fingerprint:
            raise InvalidValueError(
                "Idempotency-Key: this key was used with another request; use a new key"
            )
        response = _response(stored)
        response.headers["Idempotent-Replayed"] = "true"
        return response

    def _answer(
        self, result: CommandResult, status: int, fingerprint: str, location: str | None
    ) -> StoredAnswer:
        body = CommandAnswer.model_validate(result, from_attributes=True)
        return StoredAnswer(
            fingerprint=fingerprint,
            status_code=status,
            body=body.model_dump_json(exclude_none=True),
            etag=etag(result.version),
            location=None if location is None else _location(location, result),
        )


def _location(prefix: str, result: CommandResult) -> str:
    """Where to read what the command created: a submission's is its candidacy in the call."""
    if result.candidacy_id is not None:
        return f"{prefix}/{result.id}/candidacies/{result.candidacy_id}"
    return f"{prefix}/{result.id}"


def _response(answer: StoredAnswer) -> Response:
    headers = {}
    if answer.etag:
        headers["ETag"] = answer.etag
    if answer.location:
        headers["Location"] = answer.location
    return Response(
        answer.body, status_code=answer.status_code, headers=headers, media_type="application/json"
    )
