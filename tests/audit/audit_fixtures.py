"""The store the audit-trail tests read: the Roannais history, plus a funding by another actor.

The demo records everything as one actor and funds no Viandes project; a
funding of a Viandes project, granted then revised by a second actor, gives
the actor and filière filters and the provenance of a funding something to
tell apart. The tests only read, so one store serves a whole module.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.bootstrap import Services
from application.context import CommandContext
from application.funding_commands import GrantFunding, ReviseFundingAmount
from application.roannais_history import BUREAU_VOTERS, RoannaisIds
from domain.decision import Decision
from domain.funding import FundingKind
from infrastructure.auth_store import Role
from infrastructure.integrity_chain import CHAIN
from tests.api.http import bearer, client_on
from tests.audit.demo_store import DemoStore, demo_store

DEMO_ACTOR = "filieres demo"
SECOND_ACTOR = "Jeanne Saisie"
GRANTED_ON = date(2012, 3, 1)
REVISED_ON = date(2012, 6, 1)


@dataclass(frozen=True)
class AuditDemo:
    store: DemoStore
    viandes_funding: UUID
    """The association's funding of the first Viandes project, granted then revised."""
    grant_position: int
    client: TestClient
    auditor: dict[str, str]
    admin: dict[str, str]
    reader: dict[str, str]
    recorder: dict[str, str]

    @property
    def services(self) -> Services:
        return self.store.services

    @property
    def ids(self) -> RoannaisIds:
        return self.store.ids

    @property
    def url(self) -> str:
        return self.store.url


@contextmanager
def audit_demo(request: pytest.FixtureRequest) -> Iterator[AuditDemo]:
    with demo_store(request) as store:
        funding, grant_position = _fund_a_viandes_project(store)
        services = store.services
        tokens = {
            role: bearer(services.tokens.issue(f"{role.value.title()} Person", role))
            for role in Role
        }
        with client_on(services, raise_server_exceptions=False) as client:
            yield AuditDemo(
                store=store,
                viandes_funding=funding,
                grant_position=grant_position,
                client=client,
                auditor=tokens[Role.AUDITOR],
                admin=tokens[Role.ADMIN],
                reader=tokens[Role.READER],
                recorder=tokens[Role.RECORDER],
            )


def _fund_a_viandes_project(store: DemoStore) -> tuple[UUID, int]:
    app, ids = store.services.app, store.ids
    ctx = CommandContext(actor=SECOND_ACTOR)

    def by_bureau(on: date, **extra: Any) -> Decision:
        return Decision(
            body_id=ids.bureau,
            decided_on=on,
            decided_by=BUREAU_VOTERS,
            sitting_not_published=True,
            rationale="Test: the association funds the first Viandes project.",
            **extra,
        )

    granted = app.grant_funding(
        ctx,
        GrantFunding(
            project_id=ids.viandes_projects[0],
            funder_id=ids.association,
            kind=FundingKind.GRANT,
            decision=by_bureau(GRANTED_ON),
            amount="15000.00",
        ),
    )
    app.revise_funding_amount(
        ctx,
        ReviseFundingAmount(
            funding_id=granted.id,
            amount="12000.00",
            decision=by_bureau(REVISED_ON, reverses=granted.position),
        ),
    )
    return granted.id, granted.position


def chain_rows(services: Services) -> dict[int, tuple[str, str]]:
    """position → (content_hash, chain_hash), read straight from the chain table."""
    datastore = services.app.factory.datastore  # type: ignore[attr-defined]
    with datastore.transaction(commit=False) as session:
        rows = session.connection().execute(
            select(CHAIN.c.position, CHAIN.c.content_hash, CHAIN.c.chain_hash)
        )
        return {row.position: (row.content_hash, row.chain_hash) for row in rows}


def log_positions(services: Services) -> dict[tuple[UUID, int], int]:
    """(aggregate id, version) → log position, from the library's notification log."""
    notifications = services.app.recorder.select_notifications(start=1, limit=1_000_000)
    return {(UUID(str(n.originator_id)), n.originator_version): n.id for n in notifications}
