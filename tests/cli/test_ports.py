"""`filieres run` and `serve` on a port already taken fail before recording or issuing anything."""

import socket
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner

from api.cli.app import app as cli
from tests.cli.test_exit_codes import assert_one_line

runner = CliRunner()


@pytest.mark.parametrize("command", [["run"], ["serve"], ["serve", "--workers", "2"]], ids=" ".join)
def test_a_taken_port_fails_at_once_and_leaves_the_store_untouched(empty_database_url, command):
    database_url = empty_database_url  # nothing in it yet: a table created would show
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(cli, [*command, "--port", str(port), "--database-url", database_url])

    assert_one_line(result, 2, f"cannot listen on 127.0.0.1:{port}", "--port")
    assert "token" not in result.stdout.lower()
    if database_url.startswith("sqlite"):
        assert not Path(database_url.removeprefix("sqlite:///")).exists()
    else:
        with psycopg.connect(database_url) as connection:
            (tables,) = connection.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
            ).fetchone()
        assert tables == 0  # no demo recorded, no token issued, not even a table created
