"""The issue's "done when": an auditor holding only an auditor token and the CLI answers,
in three commands, what Viandes looked like at the end of 2011, who decided each
selection, and whether anything was altered since.

Against a real server (`filieres run`: the demo in a SQLite store), from a
directory without any store: the commands ask the server, with the token.
"""

import csv
import io
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.api.test_served import FILIERES, _env, _free_port, _token_from, running


def issue_token(store_dir: Path, actor: str, role: str) -> str:
    """What the administrator runs beside the store: `filieres token issue`."""
    return subprocess.run(
        [str(FILIERES), "token", "issue", "--actor", actor, "--role", role],
        cwd=store_dir,
        env=_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


@pytest.mark.reliability  # over ten seconds: `make reliability`
def test_an_auditor_with_a_token_answers_in_three_commands(tmp_path: Path) -> None:
    server_dir, auditor_dir = tmp_path / "server", tmp_path / "auditor"
    server_dir.mkdir()
    auditor_dir.mkdir()
    with running(["run"], server_dir, _free_port()) as (process, base):
        _token_from(process)  # the administrator's; the auditor gets one of their own
        token = issue_token(server_dir, "Cour des comptes", "auditor")

        def auditor(*args: str) -> subprocess.CompletedProcess[str]:
            env = {**_env(), "FILIERES_API_URL": base, "FILIERES_TOKEN": token}
            return subprocess.run(
                [str(FILIERES), *args], cwd=auditor_dir, env=env, capture_output=True, text=True
            )

        # 1. What did the Viandes filière look like at the end of 2011?
        end_2011 = auditor("audit", "overview", "Viandes", "--as-of", "2011-12-31")
        assert end_2011.returncode == 0, end_2011.stderr
        assert "Viandes (filiere) — as of 2011-12-31" in end_2011.stdout
        assert "7 submitted, 0 selected, 0 rejected" in end_2011.stdout
        assert "submissions_closed" in end_2011.stdout

        # 2. Who decided each selection?
        register = auditor("report", "decisions", "--filiere", "Viandes", "--format", "csv")
        assert register.returncode == 0, register.stderr
        rows = list(csv.DictReader(io.StringIO(register.stdout)))
        selections = [r for r in rows if r["event"] == "Call.CandidacySelected"]
        assert len(selections) == 4
        for row in selections:
            assert row["decided_on"] == "2012-01-20"
            assert row["decided_by"] == ""  # the sheet names no one who decided
            assert row["source_locator"] == "Résultats obtenus – Filière Viandes"
            assert "arbitraire" in row["assumptions"]
            assert row["body_name"]

        # 3. Has anything been altered since?
        intact = auditor("audit", "verify")
        assert intact.returncode == 0, intact.stderr + intact.stdout
        assert "OK" in intact.stdout

        with sqlite3.connect(server_dir / "filieres.db") as db:
            db.execute(
                "UPDATE filieresapplication_events"
                " SET state = CAST(replace(CAST(state AS TEXT), 'Viandes', 'Volailles') AS BLOB)"
                " WHERE id = (SELECT min(id) FROM filieresapplication_events"
                "             WHERE CAST(state AS TEXT) LIKE '%Viandes%')"
            )
            altered = db.execute(
                "SELECT min(id) FROM filieresapplication_events"
                " WHERE CAST(state AS TEXT) LIKE '%Volailles%'"
            ).fetchone()[0]
        broken = auditor("audit", "verify")
        assert broken.returncode == 1
        assert str(altered) in broken.stdout and "altered" in broken.stdout

        # The auditor's commands never opened a store of their own.
        assert list(auditor_dir.iterdir()) == []
        # And a reader's token is refused the audit.
        reader = issue_token(server_dir, "Lecteur", "reader")
        refused = subprocess.run(
            [str(FILIERES), "audit", "verify", "--api", base, "--token", reader],
            cwd=auditor_dir,
            env=_env(),
            capture_output=True,
            text=True,
        )
        assert refused.returncode == 2  # could not check: the server refused the token
        assert "403" in refused.stderr
