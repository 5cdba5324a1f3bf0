"""The export: the log as JSON Lines, read in pages, and checked by the offline verifier."""

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import delete, event, select, update
from typer.testing import CliRunner

from api.bootstrap import Services
from api.cli.app import app as cli
from api.http.main import create_app
from application.audit.event_record import GENESIS_HASH, AuditEvent
from infrastructure.audit_log_store import AuditLogStore
from infrastructure.integrity_chain import CHAIN

runner = CliRunner()
README = Path(__file__).resolve().parents[2] / "README.md"
VERIFIER_MARKER = re.compile(r"<!-- offline-verifier: (\S+) -->")


def chain_table(services: Services) -> dict[int, tuple[str, str]]:
    """position → (content_hash, chain_hash), read straight from the chain table."""
    engine = services.app.factory.datastore.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        rows = connection.execute(select(CHAIN).order_by(CHAIN.c.position))
        return {row.position: (row.content_hash, row.chain_hash) for row in rows}


def offline_script(tmp_path: Path) -> Path:
    """The standalone offline verifier, at the path the README gives."""
    found = VERIFIER_MARKER.search(README.read_text(encoding="utf-8"))
    assert found, "README.md does not say where the offline verifier is"
    return README.parent / found.group(1)


def run_offline(script: Path, export: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-I", str(script), "export", str(export)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_get_events_jsonl_streams_every_event_in_order_with_the_chains_hashes(
    demo_services, client, auditor
):
    response = client.get("/audit/events.jsonl", headers=auditor)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = response.text.splitlines()
    events = [AuditEvent.model_validate(json.loads(line)) for line in lines]
    assert len(events) == demo_services.app.event_count() == 135
    positions = [e.position for e in events]
    assert positions == sorted(set(positions))
    chain = chain_table(demo_services)
    previous = GENESIS_HASH
    for e in events:
        assert (e.content_hash, e.hash) == chain[e.position]
        assert e.previous_hash == previous
        previous = e.hash
        assert e.recorded_by == "filieres demo"
        assert e.correlation_id is not None
        assert e.type.startswith(e.aggregate_type + ".")
    assert events[-1].hash == chain[max(chain)][1]


def test_the_offline_verifier_checks_a_cli_export_and_names_an_edited_line(demo_url, tmp_path):
    export = tmp_path / "log.jsonl"
    result = runner.invoke(
        cli, ["audit", "export", "--output", str(export), "--database-url", demo_url]
    )
    assert result.exit_code == 0, result.output
    verified = runner.invoke(cli, ["audit", "verify", "--database-url", demo_url])
    script = offline_script(tmp_path)

    intact = run_offline(script, export)

    head = verified.output.split("head hash ")[1].split()[0]
    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert intact.stdout.splitlines()[0] == f"OK 135 events, head {head}"
    assert intact.stdout.splitlines()[1].startswith("tree 135 leaves, root ")

    lines = export.read_text(encoding="utf-8").splitlines()
    edited = json.loads(lines[41])
    name = next(key for key, value in edited["data"].items() if isinstance(value, str))
    edited["data"][name] += " (edited)"
    lines[41] = json.dumps(edited, ensure_ascii=False)
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")

    tampered = run_offline(script, export)

    assert tampered.returncode == 1, tampered.stdout + tampered.stderr
    assert f"position {edited['position']}" in tampered.stdout


def test_the_cli_exports_to_stdout_what_it_writes_to_a_file(demo_url, tmp_path):
    export = tmp_path / "log.jsonl"
    runner.invoke(cli, ["audit", "export", "--output", str(export), "--database-url", demo_url])

    printed = runner.invoke(
        cli, ["audit", "export", "--format", "jsonl", "--database-url", demo_url]
    )

    assert printed.exit_code == 0, printed.output
    assert printed.stdout == export.read_text(encoding="utf-8")
    assert len(printed.stdout.splitlines()) == 135


def test_the_offline_verifier_finds_an_event_deleted_from_the_store(
    demo_services, client, auditor, tmp_path
):
    events_table = demo_services.app.recorder.events_record_cls.__table__  # type: ignore[attr-defined]
    engine = demo_services.app.factory.datastore.engine  # type: ignore[attr-defined]
    with engine.begin() as connection:
        connection.execute(delete(events_table).where(events_table.c.id == 90))
    export = tmp_path / "log.jsonl"
    export.write_bytes(client.get("/audit/events.jsonl", headers=auditor).content)

    tampered = run_offline(offline_script(tmp_path), export)

    # The export skips the lost event; the next line does not follow the one before it.
    assert len(export.read_text().splitlines()) == 134
    assert tampered.returncode == 1
    assert "position 91" in tampered.stdout


def test_the_export_reads_the_log_a_page_at_a_time(demo_services):
    """Lazily, in pages of `page_size`: memory stays one page whatever the log's length."""
    engine = demo_services.app.factory.datastore.engine  # type: ignore[attr-defined]
    events_table = demo_services.app.recorder.events_record_cls.__table__.name  # type: ignore[attr-defined]
    pages = {"events": 0, "chain": 0}

    def count_pages(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if f"ORDER BY {events_table}.id" in statement:
            pages["events"] += 1
        elif f"ORDER BY {CHAIN.name}.position" in statement:
            pages["chain"] += 1

    store = AuditLogStore.of(demo_services.app, page_size=10)
    event.listen(engine, "before_cursor_execute", count_pages)
    try:
        exported = store.audit_events()
        first = next(exported)
        after_first = dict(pages)
        rest = list(exported)
    finally:
        event.remove(engine, "before_cursor_execute", count_pages)

    assert first.position == 1 and len(rest) == 134
    assert after_first == {"events": 1, "chain": 1}
    # 13 full pages and a last one of 5, for each table.
    assert pages == {"events": 14, "chain": 14}


def test_openapi_documents_the_verify_answer_and_the_json_lines(demo_services):
    document = create_app(demo_services).openapi()
    paths = document["paths"]

    verify = paths["/audit/verify"]["get"]["responses"]
    assert verify["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "ChainVerification"
    )
    assert {"401", "403"} <= set(verify)
    jsonl = paths["/audit/events.jsonl"]["get"]["responses"]
    line = jsonl["200"]["content"]["application/x-ndjson"]["itemSchema"]
    assert line == {"$ref": "#/components/schemas/AuditEvent"}
    for refused in ("401", "403"):
        assert set(jsonl[refused]["content"]) == {"application/problem+json"}
    schemas = document["components"]["schemas"]
    assert {"position", "content_hash", "previous_hash", "hash", "tree_content_hash"} <= set(
        schemas["AuditEvent"]["properties"]
    )
    assert set(schemas["ChainVerification"]["properties"]) == {
        "ok",
        "events_checked",
        "first_broken",
        "head_hash",
        "tree",
        "snapshots",
        "checkpoint",
        "view_snapshots",
    }
    assert set(schemas["BrokenLink"]["properties"]) == {"position", "reason", "detail"}


def test_an_event_tampered_beyond_reading_still_has_its_line(
    demo_services, client, auditor, tmp_path
):
    events_table = demo_services.app.recorder.events_record_cls.__table__  # type: ignore[attr-defined]
    engine = demo_services.app.factory.datastore.engine  # type: ignore[attr-defined]
    with engine.begin() as connection:
        connection.execute(
            update(events_table).where(events_table.c.id == 64).values(state=b"{not json")
        )
    export = tmp_path / "log.jsonl"
    export.write_bytes(client.get("/audit/events.jsonl", headers=auditor).content)

    tampered = run_offline(offline_script(tmp_path), export)

    lines = [json.loads(line) for line in export.read_text().splitlines()]
    assert len(lines) == 135
    assert lines[63]["position"] == 64 and lines[63]["data"] == {"unreadable_state": "{not json"}
    assert tampered.returncode == 1
    assert "position 64" in tampered.stdout
