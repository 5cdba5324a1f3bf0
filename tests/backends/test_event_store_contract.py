"""The same storage contract on SQLite and on PostgreSQL."""

import secrets
from datetime import date
from decimal import Decimal
from uuid import UUID

import pytest
from eventsourcing.persistence import Notification
from sqlalchemy import select

from application.body_commands import SeatMember
from application.context import CommandContext
from application.filieres_app import FilieresApplication
from application.funding_commands import GrantFunding, RecordDisbursement
from application.organisation_commands import RegisterOrganisation, RenameOrganisation
from application.project_commands import ChangeProjectStatus, ProposeProject
from domain.errors import ConcurrencyError, StaleVersionError
from domain.funding import Funding
from domain.governing_body import GoverningBody
from domain.organisation import Organisation
from infrastructure.audit_log_store import AuditLogStore
from infrastructure.auth_store import Role, TokenStore, api_tokens
from infrastructure.persistence import event_store_env
from tests.world import make_world


def _stored(app: FilieresApplication, aggregate_id: UUID) -> list[Notification]:
    return [
        n
        for n in app.recorder.select_notifications(start=1, limit=10_000)
        if n.originator_id == aggregate_id
    ]


def test_events_come_back_with_their_metadata_and_times(app, ctx):
    result = app.register_organisation(
        ctx,
        RegisterOrganisation(
            name="CCI du Roannais", kind="partner", registered_on=date(2009, 2, 1)
        ),
    )

    (event,) = app.events.get(result.id)
    assert event.name == "CCI du Roannais"
    assert event.effective_on == date(2009, 2, 1)
    assert event.timestamp.year >= 2026  # recorded now, effective in 2009
    assert event.meta.recorded_by == "test recorder"
    assert event.meta.correlation_id == ctx.correlation_id
    assert result.version == 1
    assert result.position == app.event_count()


def test_amounts_survive_storage_exactly(app, ctx):
    world = make_world(app, ctx)
    project = app.propose_project(
        ctx,
        ProposeProject(
            filiere_id=world.filiere,
            title="Atelier",
            proposed_on=date(2010, 1, 1),
            estimated_budget="18000000.00",
        ),
    )
    app.change_project_status(
        ctx,
        ChangeProjectStatus(
            project_id=project.id,
            status="approved",
            effective_on=date(2010, 2, 1),
            decision=world.decision(date(2010, 2, 1)),
        ),
    )
    funding = app.grant_funding(
        ctx,
        GrantFunding(
            project_id=project.id,
            funder_id=world.association,
            kind="study",
            decision=world.decision(date(2010, 3, 1)),
            amount="12345.67",
        ),
    )
    app.record_disbursement(
        ctx, RecordDisbursement(funding_id=funding.id, amount="0.01", paid_on=date(2010, 4, 1))
    )

    loaded = app.load(Funding, funding.id)
    assert loaded.amount == Decimal("12345.67")
    assert loaded.disbursed == Decimal("0.01")
    assert b'"12345.67"' in _stored(app, funding.id)[0].state


def test_positions_grow_with_each_command(app, ctx):
    first = app.register_organisation(
        ctx, RegisterOrganisation(name="A", kind="company", registered_on=date(2010, 1, 1))
    )
    second = app.register_organisation(
        ctx, RegisterOrganisation(name="B", kind="company", registered_on=date(2010, 1, 1))
    )
    renamed = app.rename_organisation(
        ctx, RenameOrganisation(organisation_id=first.id, name="A2", effective_on=date(2011, 1, 1))
    )
    assert first.position < second.position < renamed.position == app.event_count()
    assert renamed.version == 2


def test_an_aggregate_reads_back_at_each_version(app, ctx):
    org = app.register_organisation(
        ctx, RegisterOrganisation(name="Old name", kind="company", registered_on=date(2010, 1, 1))
    )
    app.rename_organisation(
        ctx,
        RenameOrganisation(organisation_id=org.id, name="New name", effective_on=date(2012, 1, 1)),
    )
    assert app.load(Organisation, org.id, version=1).name == "Old name"
    assert app.load(Organisation, org.id).name == "New name"


def test_a_stale_version_is_refused_and_writes_nothing(app, ctx):
    org = app.register_organisation(
        ctx, RegisterOrganisation(name="Name", kind="company", registered_on=date(2010, 1, 1))
    )
    before = app.event_count()
    with pytest.raises(StaleVersionError, match="at version 1, not 3"):
        app.rename_organisation(
            ctx,
            RenameOrganisation(
                organisation_id=org.id,
                name="Other",
                effective_on=date(2012, 1, 1),
                expected_version=3,
            ),
        )
    assert app.event_count() == before


def test_two_writers_on_one_aggregate_one_wins(database_url, ctx):
    first = FilieresApplication(event_store_env(database_url))
    second = FilieresApplication(event_store_env(database_url))
    try:
        world = make_world(first, ctx)
        body_seen_by_second = second.load(GoverningBody, world.bureau)
        first.seat_member(
            ctx,
            SeatMember(
                body_id=world.bureau,
                person="Trésorier",
                organisation_id=world.partner_a,
                role="voting",
                from_=date(2010, 1, 1),
            ),
        )
        before = first.event_count()

        body_seen_by_second.seat_member("Secrétaire", world.partner_b, "voting", date(2010, 1, 1))
        with pytest.raises(ConcurrencyError):
            second.record(CommandContext("second writer"), body_seen_by_second)

        assert first.event_count() == before
        people = [s.person for s in first.load(GoverningBody, world.bureau).seats]
        assert "Trésorier" in people and "Secrétaire" not in people
    finally:
        first.close()
        second.close()


def test_tokens_are_stored_only_as_hashes(app):
    store = TokenStore(app.factory.datastore.engine, secrets.token_bytes(32))
    issued = store.issue_token("Auditrice", Role.AUDITOR)
    token = issued.secret

    holder = store.authenticate(token)
    assert holder is not None and holder.actor == "Auditrice" and holder.role == Role.AUDITOR
    assert store.authenticate(token + "x") is None
    with app.factory.datastore.engine.connect() as connection:
        rows = connection.execute(select(api_tokens)).all()
    assert all(token not in " ".join(map(str, row)) for row in rows)

    store.revoke(issued.token_id)
    assert store.authenticate(token) is None


def test_the_library_compressor_still_applies_to_pydantic_events(database_url, ctx):
    env = event_store_env(database_url)
    env["COMPRESSOR_TOPIC"] = "eventsourcing.compressor:ZlibCompressor"
    app = FilieresApplication(env)
    try:
        org = app.register_organisation(
            ctx,
            RegisterOrganisation(name="Numériparc", kind="other", registered_on=date(2010, 1, 1)),
        )
        (stored,) = _stored(app, org.id)
        assert b"Num" not in stored.state  # compressed, not plain JSON
        assert app.load(Organisation, org.id).name == "Numériparc"
        # The integrity chain covers the content, whatever the encoding.
        audit = AuditLogStore.of(app)
        assert audit.verify().ok
        (exported,) = audit.audit_events()
        assert exported.data["name"] == "Numériparc"
        assert exported.hash == audit.verify().head_hash
    finally:
        app.close()
