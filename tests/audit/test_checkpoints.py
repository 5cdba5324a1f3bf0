"""Signed checkpoints and proofs through the API and the CLI, on the demo store.

A checkpoint is read back with the public key alone; the proofs' answers
verify against it with RFC 9162's algorithms; sizes the tree cannot answer
are refused; without a signing key the checkpoint says how to configure one.
"""

import base64
import stat
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.bootstrap import Services, build
from api.cli.app import app as cli
from api.http.main import create_app
from application.audit.merkle import leaf_hash, verify_consistency, verify_inclusion
from application.context import CommandContext
from application.organisation_commands import RegisterOrganisation
from infrastructure.auth_store import Role
from infrastructure.settings import Settings
from infrastructure.signing import (
    KeyFiles,
    create_key_files,
    load_public_key,
    open_signed_checkpoint,
)
from tests.api.http import bearer

runner = CliRunner()
EVENTS = 137


@pytest.fixture
def keys(tmp_path) -> KeyFiles:
    return create_key_files(tmp_path / "keys")


@pytest.fixture
def signed(demo_url, keys, tmp_path) -> Iterator[Services]:
    """The demo's services with a signing key and a checkpoint every 5 events."""
    settings = Settings(
        database_url=demo_url,
        signing_key_file=keys.private,
        checkpoint_directory=tmp_path / "checkpoints",
        checkpoint_every_events=5,
    )
    services = build(settings)
    yield services
    services.close()


@pytest.fixture
def api(signed) -> Iterator[TestClient]:
    with TestClient(create_app(signed), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def auditor_headers(signed) -> dict[str, str]:
    return bearer(signed.tokens.issue("Jeanne Auditrice", Role.AUDITOR))


def test_the_checkpoint_is_a_signed_note_of_the_trees_root_read_with_the_public_key(
    signed, api, auditor_headers, keys
):
    answer = api.get("/audit/checkpoint", headers=auditor_headers)
    key = api.get("/audit/public-key", headers=auditor_headers)

    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    assert key.status_code == 200 and key.text == keys.public_pem
    origin, size, root, blank, signature, end = answer.text.split("\n")
    assert origin.startswith("filieres.example/") and size == str(EVENTS)
    assert (blank, end) == ("", "") and signature.startswith(f"— {origin} ")
    checkpoint = open_signed_checkpoint(answer.text, load_public_key(keys.public))
    verified = api.get("/audit/verify", headers=auditor_headers).json()
    assert base64.b64decode(root).hex() == checkpoint.root.hex() == verified["tree"]["root"]

    forged = answer.text.replace(f"\n{EVENTS}\n", f"\n{EVENTS - 1}\n")
    with pytest.raises(ValueError, match="altered"):
        open_signed_checkpoint(forged, load_public_key(keys.public))
    other = create_key_files(keys.private.parent.parent / "other")
    with pytest.raises(ValueError, match="no signature by the trusted key"):
        open_signed_checkpoint(answer.text, load_public_key(other.public))


def test_inclusion_and_consistency_proofs_verify_against_signed_roots(api, auditor_headers, keys):
    public_key = load_public_key(keys.public)
    root = open_signed_checkpoint(
        api.get("/audit/checkpoint", headers=auditor_headers).text, public_key
    ).root
    for position in (1, 64, EVENTS):
        proof = api.get(
            "/audit/proofs/inclusion",
            params={"position": position, "tree_size": EVENTS},
            headers=auditor_headers,
        ).json()
        assert proof["leaf_index"] == position - 1  # the demo's log has no gap
        leaf = bytes.fromhex(proof["leaf_hash"])
        assert leaf == leaf_hash(bytes.fromhex(proof["tree_content_hash"]))
        path = [bytes.fromhex(h) for h in proof["audit_path"]]
        assert len(path) <= EVENTS.bit_length()
        assert verify_inclusion(proof["leaf_index"], EVENTS, leaf, path, root)

    consistency = api.get(
        "/audit/proofs/consistency",
        params={"first": 100, "second": EVENTS},
        headers=auditor_headers,
    ).json()
    path = [bytes.fromhex(h) for h in consistency["consistency_path"]]
    first_root = bytes.fromhex(consistency["first_root"])
    assert verify_consistency(100, EVENTS, first_root, root, path)


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/audit/proofs/inclusion", {"position": 1, "tree_size": 0}, 422),
        ("/audit/proofs/inclusion", {"position": 0, "tree_size": 5}, 422),
        ("/audit/proofs/inclusion", {"position": "x", "tree_size": 5}, 422),
        ("/audit/proofs/inclusion", {"position": 100, "tree_size": 50}, 422),
        ("/audit/proofs/inclusion", {"position": 1, "tree_size": EVENTS + 1}, 404),
        ("/audit/proofs/inclusion", {"position": EVENTS + 7, "tree_size": EVENTS}, 404),
        ("/audit/proofs/inclusion", {"position": 2**63, "tree_size": EVENTS}, 422),
        ("/audit/proofs/consistency", {"first": 0, "second": 5}, 422),
        ("/audit/proofs/consistency", {"first": 9, "second": 5}, 422),
        ("/audit/proofs/consistency", {"first": 5, "second": EVENTS + 1}, 404),
    ],
)
def test_sizes_the_tree_cannot_answer_are_refused(api, auditor_headers, path, params, status):
    answer = api.get(path, params=params, headers=auditor_headers)

    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"


def test_only_auditors_and_admins_read_checkpoints_and_proofs(signed, api):
    reader = bearer(signed.tokens.issue("Lecteur", Role.READER))
    admin = bearer(signed.tokens.issue("Admin", Role.ADMIN))
    for path in ("/audit/checkpoint", "/audit/public-key", "/audit/proofs/inclusion"):
        params = {"position": 1, "tree_size": 1}
        assert api.get(path, params=params).status_code == 401
        assert api.get(path, params=params, headers=reader).status_code == 403
        assert api.get(path, params=params, headers=admin).status_code == 200


def test_without_a_signing_key_the_checkpoint_says_how_to_configure_one(demo_url):
    unsigned = build(Settings(database_url=demo_url, signing_key_file=None))
    headers = bearer(unsigned.tokens.issue("Jeanne Auditrice", Role.AUDITOR))
    client = TestClient(create_app(unsigned), raise_server_exceptions=False)

    for path in ("/audit/checkpoint", "/audit/public-key"):
        answer = client.get(path, headers=headers)
        assert answer.status_code == 503, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert "filieres keys init" in answer.json()["detail"]
    proof = client.get("/audit/proofs/consistency?first=1&second=2", headers=headers)
    assert proof.status_code == 200  # proofs need no key
    client.close()
    unsigned.close()


def test_the_server_writes_a_checkpoint_after_commits_named_by_its_size(signed, keys, ctx):
    directory = signed.settings.checkpoint_directory
    assert directory is not None
    organisation = signed.app.register_organisation
    for number in range(7):
        organisation(
            ctx,
            RegisterOrganisation(
                name=f"Entreprise {number}", kind="company", registered_on=date(2012, 1, 1)
            ),
        )
        signed.checkpoints.wait()

    names = sorted(path.name for path in directory.iterdir())
    # The first commit of the process, then the one crossing position 140.
    assert names == ["checkpoint-000000000138.txt", "checkpoint-000000000140.txt"]
    public_key = load_public_key(keys.public)
    last = open_signed_checkpoint((directory / names[-1]).read_text(), public_key)
    assert last.size == 140


def test_keys_init_writes_the_pair_prints_the_public_key_and_never_replaces_it(tmp_path):
    directory = tmp_path / "keys"

    made = runner.invoke(cli, ["keys", "init", "--directory", str(directory)])

    assert made.exit_code == 0, made.output
    private = directory / "signing-key.pem"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert made.stdout == (directory / "signing-key.pub.pem").read_text()
    assert made.stdout.startswith("-----BEGIN PUBLIC KEY-----")
    again = runner.invoke(cli, ["keys", "init", "--directory", str(directory)])
    assert again.exit_code == 1 and "never replaced" in again.output


def test_the_cli_writes_a_checkpoint_and_verifies_the_log_against_it(
    demo_url, keys, tmp_path, monkeypatch
):
    monkeypatch.delenv("FILIERES_SIGNING_KEY_FILE")
    env = {"FILIERES_SIGNING_KEY_FILE": str(keys.private), "COLUMNS": "300"}
    checkpoint = tmp_path / "checkpoint.txt"

    written = runner.invoke(
        cli,
        ["audit", "checkpoint", "--output", str(checkpoint), "--database-url", demo_url],
        env=env,
    )
    verified = runner.invoke(
        cli,
        ["audit", "verify", "--checkpoint", str(checkpoint), "--database-url", demo_url],
        env=env,
    )
    with_public_key = runner.invoke(
        cli,
        [
            "audit", "verify", "--checkpoint", str(checkpoint),
            "--public-key", str(keys.public), "--database-url", demo_url,
        ],
    )  # fmt: skip

    assert written.exit_code == 0, written.output
    assert checkpoint.read_text().split("\n")[1] == str(EVENTS)
    assert verified.exit_code == 0, verified.output
    assert "Checkpoint OK: filieres.example/" in verified.output
    assert f"still holds the {EVENTS} events" in verified.output
    assert with_public_key.exit_code == 0, with_public_key.output

    other = create_key_files(tmp_path / "other")
    refused = runner.invoke(
        cli,
        [
            "audit", "verify", "--checkpoint", str(checkpoint),
            "--public-key", str(other.public), "--database-url", demo_url,
        ],
    )  # fmt: skip
    assert refused.exit_code == 1
    assert "CHECKPOINT REFUSED" in refused.output and "trusted key" in refused.output
    no_key = runner.invoke(
        cli, ["audit", "verify", "--checkpoint", str(checkpoint), "--database-url", demo_url]
    )
    assert no_key.exit_code == 2 and "--public-key" in no_key.output


def test_a_checkpoint_without_a_key_is_refused_by_the_cli(demo_url, monkeypatch):
    monkeypatch.delenv("FILIERES_SIGNING_KEY_FILE")
    refused = runner.invoke(cli, ["audit", "checkpoint", "--database-url", demo_url])

    assert refused.exit_code == 2  # could not do it: a setting is missing
    assert "filieres keys init" in refused.output


@pytest.fixture
def ctx() -> CommandContext:
    return CommandContext(actor="test recorder")
