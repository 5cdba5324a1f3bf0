"""The `filieres` command line, run as a user runs it."""

import sys
from pathlib import Path

from typer.testing import CliRunner

from api.bootstrap import build
from api.cli.app import app as cli

FILIERES = Path(sys.executable).with_name("filieres")
runner = CliRunner()


def test_demo_refuses_a_store_that_already_holds_it(database_url):
    assert runner.invoke(cli, ["demo", "--database-url", database_url]).exit_code == 0
    services = build(database_url=database_url)
    count = services.app.event_count()
    services.close()

    again = runner.invoke(cli, ["demo", "--database-url", database_url])

    assert again.exit_code == 1
    assert "Refused" in again.output and "not empty" in again.output
    services = build(database_url=database_url)
    assert services.app.event_count() == count
    services.close()


def test_token_issue_refuses_an_unknown_role(database_url):
    result = runner.invoke(
        cli,
        ["token", "issue", "--actor", "X", "--role", "superuser", "--database-url", database_url],
    )
    assert result.exit_code == 2
    assert "superuser" in result.output
