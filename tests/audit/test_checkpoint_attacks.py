"""The insider's attacks on the log that only a signed checkpoint reveals, and the standalone
verifier checking exports, checkpoints and proofs from the API.

Truncation (the last event deleted with its chain row and its tree rows) and
a consistent rewrite (an event changed, the whole chain and tree recomputed)
leave a log whose chain and tree agree with its events: `verify` alone says
OK. A checkpoint signed before, with a key outside the database, does not
match: `verify --checkpoint` exits 1, the server refuses to sign the changed
log, and the offline verifier refuses the proofs.
"""

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.bootstrap import Services, build
from api.cli.app import app as cli
from api.http.main import create_app
from application.context import CommandContext
from application.organisation_commands import RegisterOrganisation
from infrastructure.auth_store import Role
from infrastructure.settings import Settings
from infrastructure.signing import KeyFiles, create_key_files
from tests.api.http import bearer
from tests.api.test_served import FILIERES, _env, _free_port, _token_from, running
from tests.audit.tree_insider import Insider

runner = CliRunner()
README = Path(__file__).resolve().parents[2] / "README.md"
VERIFIER_MARKER = re.compile(r"<!-- offline-verifier: (\S+) -->")
EVENTS = 137
REWRITTEN = 42


def offline_verifier() -> Path:
    """The standalone verifier, at the path the README gives."""
    found = VERIFIER_MARKER.search(README.read_text(encoding="utf-8"))
    assert found, "README.md does not say where the offline verifier is"
    return README.parent / found.group(1)


def run_verifier(*args: str | Path) -> subprocess.CompletedProcess[str]:
    # -I: isolated from this code base and its environment, as an auditor would run it.
    return subprocess.run(
        [sys.executable, "-I", str(offline_verifier()), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def keys(tmp_path) -> KeyFiles:
    return create_key_files(tmp_path / "keys")


@pytest.fixture
def signed(demo_url, keys, tmp_path) -> Iterator[Services]:
    settings = Settings(
        database_url=demo_url,
        signing_key_file=keys.private,
        checkpoint_directory=tmp_path / "checkpoints",
    )
    services = build(settings)
    yield services
    services.close()


@pytest.fixture
def api(signed) -> Iterator[TestClient]:
    with TestClient(create_app(signed), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def ctx() -> CommandContext:
    return CommandContext(actor="test recorder")


@pytest.fixture
def auditor(signed) -> dict[str, str]:
    return bearer(signed.tokens.issue("Jeanne Auditrice", Role.AUDITOR))


def verify_against(url: str, checkpoint: Path, keys: KeyFiles) -> Any:
    return runner.invoke(
        cli,
        ["audit", "verify", "--database-url", url, "--checkpoint", str(checkpoint)],
        env={"FILIERES_SIGNING_KEY_FILE": str(keys.private), "COLUMNS": "300"},
    )


def test_a_truncated_log_fails_the_checkpoint_signed_before(
    signed, api, auditor, keys, demo_url, tmp_path
):
    checkpoint = tmp_path / "before.txt"
    checkpoint.write_text(signed.checkpoints.sign_current())
    signed.checkpoints.write()  # the server's own copy, in its checkpoint directory
    assert verify_against(demo_url, checkpoint, keys).exit_code == 0

    Insider(signed).truncate()

    plain = runner.invoke(cli, ["audit", "verify", "--database-url", demo_url])
    assert plain.exit_code == 0, plain.output  # the chain and the tree agree with the events
    caught = verify_against(demo_url, checkpoint, keys)
    assert caught.exit_code == 1, caught.output
    assert "CHECKPOINT BROKEN" in caught.output
    assert f"the log holds {EVENTS - 1} events, the checkpoint signed {EVENTS}" in caught.output
    refused = api.get("/audit/checkpoint", headers=auditor)
    assert refused.status_code == 409, refused.text
    assert "no longer extends the checkpoint" in refused.json()["detail"]


def test_a_consistently_rewritten_log_fails_the_checkpoint_and_its_consistency_proof(
    signed, api, auditor, keys, demo_url, tmp_path
):
    before = tmp_path / "before.txt"
    before.write_text(signed.checkpoints.sign_current())

    Insider(signed).rewrite(REWRITTEN)

    plain = runner.invoke(cli, ["audit", "verify", "--database-url", demo_url])
    assert plain.exit_code == 0, plain.output
    caught = verify_against(demo_url, before, keys)
    assert caught.exit_code == 1, caught.output
    assert f"the first {EVENTS} events are not those the checkpoint signed" in caught.output

    # The server, with no checkpoint of its own on file, signs the rewritten log; an auditor
    # holding yesterday's checkpoint asks for the proof that today's extends it, and it fails.
    after = tmp_path / "after.txt"
    after.write_text(api.get("/audit/checkpoint", headers=auditor).text)
    proof = tmp_path / "consistency.json"
    proof.write_text(
        api.get(
            "/audit/proofs/consistency",
            params={"first": EVENTS, "second": EVENTS},
            headers=auditor,
        ).text
    )
    refused = run_verifier(
        "consistency", proof, "--old", before, "--new", after, "--public-key", keys.public
    )
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "different roots" in refused.stdout


def test_the_offline_verifier_checks_an_export_a_checkpoint_and_proofs_from_the_api(
    signed, api, auditor, keys, tmp_path, ctx
):
    first = tmp_path / "first.txt"
    first.write_text(api.get("/audit/checkpoint", headers=auditor).text)
    export = tmp_path / "log.jsonl"
    export.write_bytes(api.get("/audit/events.jsonl", headers=auditor).content)
    signed.app.register_organisation(
        ctx,
        RegisterOrganisation(
            name="Entreprise nouvelle", kind="company", registered_on=date(2013, 1, 1)
        ),
    )
    second = tmp_path / "second.txt"
    second.write_text(api.get("/audit/checkpoint", headers=auditor).text)
    (event,) = api.get(
        "/audit/events", params={"limit": 1, "cursor": None}, headers=auditor
    ).json()["items"]
    event_file = tmp_path / "event.json"
    event_file.write_text(json.dumps(event))
    inclusion = tmp_path / "inclusion.json"
    inclusion.write_text(
        api.get(
            "/audit/proofs/inclusion",
            params={"position": event["position"], "tree_size": EVENTS + 1},
            headers=auditor,
        ).text
    )
    consistency = tmp_path / "consistency.json"
    consistency.write_text(
        api.get(
            "/audit/proofs/consistency",
            params={"first": EVENTS, "second": EVENTS + 1},
            headers=auditor,
        ).text
    )
    key = ("--public-key", keys.public)

    exported = run_verifier("export", export, "--checkpoint", first, *key)
    checkpoint = run_verifier("checkpoint", second, *key)
    included = run_verifier(
        "inclusion", inclusion, "--checkpoint", second, "--event", event_file, *key
    )
    extended = run_verifier("consistency", consistency, "--old", first, "--new", second, *key)

    for done in (exported, checkpoint, included, extended):
        assert done.returncode == 0, done.stdout + done.stderr
    assert exported.stdout.splitlines()[0].startswith(f"OK {EVENTS} events, head ")
    assert "checkpoint filieres.example/" in exported.stdout
    assert f"OK position {event['position']} is leaf 0" in included.stdout
    assert f"extends the one of {EVENTS}" in extended.stdout

    # A tampered event: its proof still leads to the signed root, but not from this event.
    Insider(signed).alter(event["position"])
    (tampered,) = api.get("/audit/events", params={"limit": 1}, headers=auditor).json()["items"]
    event_file.write_text(json.dumps(tampered))
    refused = run_verifier(
        "inclusion", inclusion, "--checkpoint", second, "--event", event_file, *key
    )
    assert refused.returncode == 1, refused.stdout
    assert "is not the one proven" in refused.stdout
    export.write_bytes(api.get("/audit/events.jsonl", headers=auditor).content)
    broken = run_verifier("export", export, "--checkpoint", first, *key)
    assert broken.returncode == 1
    assert f"BROKEN at position {event['position']}" in broken.stdout


@pytest.mark.reliability  # over ten seconds: `make reliability`
def test_an_auditor_with_a_token_and_the_public_key_catches_a_truncation_on_a_served_store(
    tmp_path,
):
    """The issue's attack against a real server: the auditor holds a token, yesterday's
    checkpoint and the public key; the insider deletes the last event and its rows."""
    server_dir, auditor_dir = tmp_path / "server", tmp_path / "auditor"
    server_dir.mkdir()
    auditor_dir.mkdir()
    keys = create_key_files(tmp_path / "keys")
    server_env = {**_env(), "FILIERES_SIGNING_KEY_FILE": str(keys.private)}
    with running(["run"], server_dir, _free_port(), server_env) as (process, base):
        _token_from(process)
        token = subprocess.run(
            [str(FILIERES), "token", "issue", "--actor", "Cour des comptes", "--role", "auditor"],
            cwd=server_dir,
            env=server_env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

        def auditor(*args: str | Path) -> subprocess.CompletedProcess[str]:
            env = {**_env(), "FILIERES_API_URL": base, "FILIERES_TOKEN": token}
            return subprocess.run(
                [str(FILIERES), *map(str, args)],
                cwd=auditor_dir,
                env=env,
                capture_output=True,
                text=True,
            )

        checkpoint = auditor_dir / "yesterday.txt"
        taken = auditor("audit", "checkpoint", "--output", checkpoint)
        assert taken.returncode == 0, taken.stderr
        check = ("audit", "verify", "--checkpoint", checkpoint, "--public-key", keys.public)
        held = auditor(*check)
        assert held.returncode == 0, held.stdout + held.stderr
        assert "Checkpoint OK: filieres.example/" in held.stdout

        url = f"sqlite:///{server_dir / 'filieres.db'}"
        services = build(database_url=url, follow_in_process=False)
        try:
            Insider(services).truncate()
        finally:
            services.close()

        caught = auditor(*check)
        assert caught.returncode == 1, caught.stdout + caught.stderr
        assert "CHECKPOINT BROKEN" in caught.stdout
        assert f"the log holds {EVENTS - 1} events, the checkpoint signed {EVENTS}" in caught.stdout
