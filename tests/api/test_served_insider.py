"""Issue 21's insider, replayed against a served store (`filieres serve`, real uvicorn), on
SQLite and PostgreSQL: a voting seat forged in a snapshot decides nothing and `audit verify`
names the snapshot; a token row minted in the database gets 401; instants no UTC instant
can hold get 422, and the connection still serves.
"""

import hashlib
import secrets
import subprocess
from datetime import UTC, datetime

import httpx
from sqlalchemy import create_engine, insert
from sqlalchemy.pool import NullPool

from application.context import CommandContext
from application.filieres_app import FilieresApplication
from infrastructure.auth_store import api_tokens
from infrastructure.persistence import event_store_env
from infrastructure.settings import normalise_database_url
from tests.api.test_served import FILIERES, _env, _free_port, running
from tests.application.test_snapshots import INTERVAL
from tests.audit.test_snapshot_seals import MALLORY, bureau_at_its_snapshot, forge_mallorys_seat

MINTED = "flt_minted-by-the-insider"


def filieres(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(FILIERES), *args], env={**_env(), "COLUMNS": "300"}, capture_output=True, text=True
    )


def test_a_forged_seat_and_a_minted_token_are_refused_by_a_served_store(tmp_path, database_url):
    app = FilieresApplication(event_store_env(database_url))
    try:
        world = bureau_at_its_snapshot(app, CommandContext(actor="setup"))
        forge_mallorys_seat(app, world.bureau)
        events = app.event_count()
    finally:
        app.close()
    engine = create_engine(normalise_database_url(database_url), poolclass=NullPool)
    issued = filieres(
        "token", "issue", "--actor", "Greffe", "--role", "recorder", "--database-url", database_url
    )
    assert issued.returncode == 0, issued.stderr
    with engine.begin() as connection:  # the insider's own admin token: a SHA-256 they chose
        connection.execute(
            insert(api_tokens).values(
                token_hash=hashlib.sha256(MINTED.encode()).hexdigest(),
                token_id="tok_" + secrets.token_hex(4),
                actor=MALLORY,
                role="admin",
                issued_at=datetime.now(UTC),
            )
        )
    engine.dispose()
    recorder = {"Authorization": f"Bearer {issued.stdout.strip()}"}
    decision = {
        "body_id": str(world.bureau),
        "decided_on": "2012-03-01",
        "decided_by": [MALLORY],
        "sitting_not_published": True,
        "rationale": "Mallory décide seule.",
        "vote": {"for": 1, "against": 0, "abstain": 0},
    }
    body = {
        "name": "Filière de Mallory",
        "kind": "filiere",
        "lead_partner_id": str(world.partner_a),
        "launched_on": "2012-03-01",
        "decision": decision,
    }

    args = ["serve", "--database-url", database_url]
    with running(args, tmp_path, _free_port()) as (_, base), httpx.Client(base_url=base) as client:
        refused = client.post("/filieres", json=body, headers=recorder)
        minted = client.get("/filieres", headers={"Authorization": f"Bearer {MINTED}"})
        beyond_utc = [
            client.get(path, params={"known_at": instant}, headers=recorder)
            for path in ("/filieres", "/decisions")
            for instant in ("9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59")
        ]
        health = client.get("/health").json()  # the connection still serves

    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "NotAVotingMemberError"
    assert MALLORY in refused.json()["detail"]
    assert minted.status_code == 401
    assert [answer.status_code for answer in beyond_utc] == [422] * 4
    assert health["events"] == events
    verified = filieres("audit", "verify", "--database-url", database_url)
    assert verified.returncode == 1, verified.stdout + verified.stderr
    assert f"snapshot of {world.bureau} at version {INTERVAL}" in verified.stdout
