"""The pages for people on the demo store: each page's time to answer, against 300 ms.

The Roannais history is recorded into a fresh SQLite store, an admin signs in
through the real app (in process, through `httpx`), and each page is asked
BENCH_REPEAT times: the first answer (nothing cached, no snapshot yet) and the
median of the others are kept. The baseline, in the same run, is the JSON
`GET /filieres/{id}` of the same filière. The pages issue sets the target: every
page answers in under 300 ms on the demo store.
"""

import os
import re
import statistics
import tempfile
import time

from fastapi.testclient import TestClient

from api.bootstrap import build
from api.http.main import create_app
from application.roannais_history import record_roannais_history
from bench.results_file import append_row
from bench.targets import Target, machine, now, report
from infrastructure.auth_store import Role

REPEAT = int(os.environ.get("BENCH_REPEAT", "10"))
TARGET = Target("slowest page, median on the demo store", 300, at_least=False, unit=" ms")
SECTION = "## Pages on the demo store (`python -m bench.pages`)"
SECTION_TEXT = (
    f"{SECTION}\n\n"
    "Each page asked BENCH_REPEAT times in process on a fresh SQLite demo store, signed in"
    " as admin: the first answer and the median of the rest; the baseline is the JSON"
    " `GET /filieres/{id}` of Viandes in the same run.\n\n"
    "| when (UTC) | machine | JSON baseline ms | slowest page | its first ms | its median ms"
    " | every page's median ms |\n"
    "|---|---|---|---|---|---|---|\n"
)
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def timed(client: TestClient, path: str, headers: dict[str, str] | None = None) -> list[float]:
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        answer = client.get(path, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        if answer.status_code != 200:
            raise SystemExit(f"{path} answered {answer.status_code}")
    return times


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        services = build(database_url=f"sqlite:///{directory}/demo.db")
        try:
            ids = record_roannais_history(services.app)
            token = services.tokens.issue("Bench", Role.ADMIN)
            viandes = ids.filieres["viandes"]
            client = TestClient(create_app(services), follow_redirects=False)
            csrf = CSRF.search(client.get("/session").text)
            assert csrf is not None
            signed_in = client.post(
                "/session", data={"csrf": csrf.group(1), "token": token, "suite": "/"}
            )
            assert signed_in.status_code == 303, signed_in.text
            pages = {
                "programme": "/",
                "filière": f"/filiere/{viandes}",
                "filière as of 2011-12-31": f"/filiere/{viandes}?jour=2011-12-31",
                "what changed 2011→2012": f"/filiere/{viandes}?du=2011-12-31&au=2012-12-31",
                "what changed 2009→2015, as of 2012-06-30": (
                    f"/filiere/{viandes}?jour=2012-06-30&du=2009-12-31&au=2015-12-31"
                ),
                "register": "/registre",
                "event": "/evenements/1",
                "bodies": "/instances",
                "auditors": "/auditeurs",
            }
            baseline = statistics.median(
                timed(client, f"/filieres/{viandes}", headers={"Authorization": f"Bearer {token}"})
            )
            times = {name: timed(client, path) for name, path in pages.items()}
        finally:
            services.close()
    medians = {name: statistics.median(t[1:]) for name, t in times.items()}
    slowest = max(medians, key=lambda name: medians[name])
    for name, median in medians.items():
        print(f"{name:45} first {times[name][0]:6.1f} ms, median {median:6.1f} ms")
    cell = report(TARGET, medians[slowest], slowest)
    every = ", ".join(f"{name} {median:.0f}" for name, median in medians.items())
    append_row(
        SECTION,
        SECTION_TEXT,
        f"| {now()} | {machine()} | {baseline:.1f} | {slowest} | {times[slowest][0]:.0f}"
        f" | {cell} | {every} |",
    )


if __name__ == "__main__":
    main()
