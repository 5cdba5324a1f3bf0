"""A replayed answer is one the server wrote: an Idempotency-Key answer altered or inserted
in the database is never replayed (409), and its command is not run a second time.
"""

import json
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    insert,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

from api.bootstrap import build
from api.http.main import create_app
from infrastructure.auth_store import Role
from infrastructure.idempotency_store import idempotency_keys
from infrastructure.settings import normalise_database_url
from tests.api.http import assert_problem, bearer, event_count

ORGANISATION = {"name": "Scierie du Forez", "kind": "company"}
RECORDER = "Recorder Person"


def keyed(token: str, key: str) -> dict[str, str]:
    return bearer(token, **{"Idempotency-Key": key})


def engine_of(services) -> Engine:
    return services.app.factory.datastore.engine


def test_an_answer_altered_in_the_database_is_not_replayed(services, client, tokens):
    headers = keyed(tokens[Role.RECORDER], "cle-1")
    first = client.post("/organisations", json=ORGANISATION, headers=headers)
    assert first.status_code == 201, first.text
    assert client.post("/organisations", json=ORGANISATION, headers=headers).status_code == 201
    forged = json.loads(first.text) | {"id": "00000000-0000-0000-0000-000000000001"}
    with engine_of(services).begin() as connection:
        connection.execute(
            update(idempotency_keys)
            .where(idempotency_keys.c.idempotency_key == "cle-1")
            .values(body=json.dumps(forged))
        )
    events = event_count(services)

    again = client.post("/organisations", json=ORGANISATION, headers=headers)

    assert_problem(again, 409, "Idempotency-Key", "seal")
    assert forged["id"] not in again.text
    assert event_count(services) == events


@pytest.mark.parametrize("seal", [None, "0" * 64])
def test_an_answer_inserted_in_the_database_is_not_replayed(services, client, tokens, seal):
    """Written by someone without the secret: unsealed (as before seals) or sealed wrongly."""
    first = client.post("/organisations", json=ORGANISATION, headers=bearer(tokens[Role.RECORDER]))
    with engine_of(services).begin() as connection:
        connection.execute(
            insert(idempotency_keys).values(
                actor=RECORDER,
                idempotency_key="cle-posee",
                fingerprint="f" * 64,
                status_code=201,
                body=first.text,
                stored_at=datetime.now(UTC),
                seal=seal,
            )
        )
    events = event_count(services)

    again = client.post(
        "/organisations", json=ORGANISATION, headers=keyed(tokens[Role.RECORDER], "cle-posee")
    )

    assert_problem(again, 409, "seal")
    assert event_count(services) == events


def test_a_table_from_before_seals_gets_the_column_at_start_and_its_rows_are_not_replayed(
    database_url,
):
    old = Table(  # as the table was before seals
        idempotency_keys.name,
        MetaData(),
        Column("actor", String(200), primary_key=True),
        Column("idempotency_key", String(200), primary_key=True),
        Column("fingerprint", String(64), nullable=False),
        Column("status_code", Integer, nullable=False),
        Column("body", Text, nullable=False),
        Column("etag", String(40), nullable=True),
        Column("location", String(300), nullable=True),
        Column("stored_at", DateTime(timezone=True), nullable=False),
    )
    engine = create_engine(normalise_database_url(database_url), poolclass=NullPool)
    old.drop(engine, checkfirst=True)  # a database made from a template has today's table
    old.create(engine)
    with engine.begin() as connection:
        connection.execute(
            insert(old).values(
                actor=RECORDER,
                idempotency_key="cle-ancienne",
                fingerprint="f" * 64,
                status_code=201,
                body="{}",
                stored_at=datetime.now(UTC),
            )
        )
    engine.dispose()

    services = build(database_url=database_url)
    try:
        token = services.tokens.issue(RECORDER, Role.RECORDER)
        with TestClient(create_app(services), raise_server_exceptions=False) as client:
            again = client.post(
                "/organisations", json=ORGANISATION, headers=keyed(token, "cle-ancienne")
            )
            fresh = client.post("/organisations", json=ORGANISATION, headers=keyed(token, "k2"))
            replayed = client.post("/organisations", json=ORGANISATION, headers=keyed(token, "k2"))
        assert_problem(again, 409, "seal")
        assert fresh.status_code == replayed.status_code == 201
        assert replayed.headers["Idempotent-Replayed"] == "true"
        assert event_count(services) == 1
    finally:
        services.close()
