"""`--api`: every command that can ask a server does, and none falls back to a local store."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from api.cli.app import app as cli
from infrastructure.auth_store import Role
from tests.api.http import served as serving
from tests.audit.demo_store import DemoStore
from tests.cli.test_exit_codes import assert_one_line, closed_port

runner = CliRunner()
WIDE = {"COLUMNS": "400"}


@pytest.fixture(scope="module")
def served(demo: DemoStore) -> Iterator[str]:
    """The demo's API on uvicorn, on a free port of 127.0.0.1, for the module's tests."""
    with serving(demo.services) as url:
        yield url


@pytest.fixture(scope="module")
def reader(demo: DemoStore) -> str:
    return demo.services.tokens.issue("Remote Reader", Role.READER)


def local(demo: DemoStore, *args: str) -> Result:
    result = runner.invoke(cli, [*args, "--database-url", demo.url], env=WIDE)
    assert result.exit_code == 0, result.output
    return result


def remote(served: str, token: str, tmp_path: Path, *args: str) -> Result:
    """The command asking the server; a store named beside --api must stay untouched."""
    unused = tmp_path / "never-created.db"
    result = runner.invoke(
        cli,
        [*args, "--api", served, "--token", token, "--database-url", f"sqlite:///{unused}"],
        env=WIDE,
    )
    assert not unused.exists(), "the command opened a local store"
    return result


@pytest.mark.parametrize("output", ["table", "csv", "md", "json"])
def test_report_seats_asks_the_server_and_prints_the_same(demo, served, reader, tmp_path, output):
    asked = remote(served, reader, tmp_path, "report", "seats", "--format", output)
    assert asked.exit_code == 0, asked.output
    assert asked.stdout_bytes == local(demo, "report", "seats", "--format", output).stdout_bytes


def test_report_seats_of_one_body_on_one_day_through_the_server(demo, served, reader, tmp_path):
    body = str(demo.ids.bureau)
    args = ("report", "seats", "--body", body, "--on", "2012-01-20", "--format", "csv")
    asked = remote(served, reader, tmp_path, *args)
    assert asked.exit_code == 0, asked.output
    assert asked.stdout_bytes == local(demo, *args).stdout_bytes


def test_the_summary_asks_the_server(demo, served, reader, tmp_path):
    asked = remote(served, reader, tmp_path, "summary", "--format", "json")
    assert asked.exit_code == 0, asked.output
    here = json.loads(local(demo, "summary", "--format", "json").stdout)
    there = json.loads(asked.stdout)
    assert there["events"] == here["events"] and there["filieres"] == here["filieres"]
    table = remote(served, reader, tmp_path, "summary")
    assert table.stdout.startswith(local(demo, "summary").stdout.split("Report:")[0])
    if there["partners_without_active_filiere"] is None:  # the server lists no organisations
        assert "not reported" in table.stderr and "GET /organisations" in table.stderr
    else:
        assert there == here


def test_projections_status_asks_the_server_health(demo, served, reader, tmp_path):
    asked = remote(served, reader, tmp_path, "projections", "status", "--format", "json")
    assert asked.exit_code == 0, asked.output
    here = json.loads(local(demo, "projections", "status", "--format", "json").stdout)
    there = json.loads(asked.stdout)
    assert there["log_end"] == here["log_end"]
    assert [(v["name"], v["position"]) for v in there["views"]] == [
        (v["name"], v["position"]) for v in here["views"]
    ]
    assert all(v["version"] is None for v in there["views"])  # /health does not say


@pytest.mark.parametrize(
    "command",
    [["token", "list"], ["backup", "--output", "copy.db"]],
    ids=["token list", "backup"],
)
def test_a_command_only_the_store_answers_refuses_a_server(demo, served, reader, command):
    named = runner.invoke(cli, [*command, "--api", served, "--database-url", demo.url])
    assert_one_line(named, 2, "reads the store itself", "--api")
    by_env = runner.invoke(
        cli, [*command, "--database-url", demo.url], env={"FILIERES_API_URL": served}
    )
    assert_one_line(by_env, 2, "FILIERES_API_URL")


@pytest.mark.parametrize(
    "command",
    [
        ["audit", "verify"],
        ["audit", "export"],
        ["report", "decisions"],
        ["report", "seats"],
        ["report", "interests"],
        ["summary"],
        ["projections", "status"],
    ],
    ids=" ".join,
)
def test_a_server_that_does_not_answer_is_one_line_and_exit_2(tmp_path, command):
    url = f"http://127.0.0.1:{closed_port()}"
    result = remote(url, "flt_whatever", tmp_path, *command)
    assert_one_line(result, 2, "cannot reach the server at", url)


def test_a_token_the_server_refuses_is_exit_2_not_a_no(served, tmp_path):
    result = remote(served, "flt_unknown", tmp_path, "report", "seats")
    assert_one_line(result, 2, "refused by the server", "401")


@pytest.mark.parametrize("output", ["table", "csv", "json"])
def test_report_assumptions_asks_the_server_and_prints_the_same(demo, served, tmp_path, output):
    auditor = demo.services.tokens.issue("Remote Auditor", Role.AUDITOR)
    args = ("report", "assumptions", "--format", output)
    asked = remote(served, auditor, tmp_path, *args)
    assert asked.exit_code == 0, asked.output
    assert asked.stdout_bytes == local(demo, *args).stdout_bytes


def test_the_register_filtered_on_assumptions_through_the_server(demo, served, reader, tmp_path):
    for flag in ("--assumed", "--not-assumed"):
        args = ("report", "decisions", flag, "--format", "csv")
        asked = remote(served, reader, tmp_path, *args)
        assert asked.exit_code == 0, asked.output
        assert asked.stdout_bytes == local(demo, *args).stdout_bytes


def test_the_register_filtered_on_verified_through_the_server(demo, served, reader, tmp_path):
    filiere = str(demo.ids.filieres["viandes"])
    for flags in (("--verified",), ("--unverified",), ("--unverified", "--assumed")):
        args = ("report", "decisions", *flags, "--filiere", filiere, "--format", "csv")
        asked = remote(served, reader, tmp_path, *args)
        assert asked.exit_code == 0, asked.output
        assert asked.stdout_bytes == local(demo, *args).stdout_bytes
    # The demo's bureau sat in no published sitting: every Viandes decision is unverified.
    as_csv = ("--filiere", filiere, "--format", "csv")
    unverified = local(demo, "report", "decisions", "--unverified", *as_csv)
    assert unverified.stdout == local(demo, "report", "decisions", *as_csv).stdout
    assert unverified.stdout.count("\n") > 1
    verified = local(demo, "report", "decisions", "--verified", *as_csv)
    assert verified.stdout.count("\n") == 1  # the header alone


@pytest.mark.parametrize("output", ["table", "csv", "json"])
def test_report_interests_asks_the_server_and_prints_the_same(
    demo, served, reader, tmp_path, output
):
    for body in ((), ("--body", str(demo.ids.bureau))):
        args = ("report", "interests", *body, "--format", output)
        asked = remote(served, reader, tmp_path, *args)
        assert asked.exit_code == 0, asked.output
        assert asked.stdout_bytes == local(demo, *args).stdout_bytes
