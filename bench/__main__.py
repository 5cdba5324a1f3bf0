"""`make bench`: every benchmark in its own process, then each figure beside its target.

Each module runs in a fresh interpreter so that its peak RSS is its own. Quick by
default; BENCH_FULL=1 for the 1,000,000-event scale. Rows go to bench/RESULTS.md.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console

MODULES = (
    "bench.generation",
    "bench.command_throughput",
    "bench.http_served",
    "bench.projection_rebuild",
    "bench.audit_scale",
    "bench.merkle_tree",
    "bench.pages",
)
"""The scale issue's targets. `bench.http_commands` (in-process HTTP ÷ direct commands) and
`bench.time_travel` (as-of ÷ today on 10k events) run on their own."""
out = Console()


def main() -> int:
    failed = []
    with tempfile.TemporaryDirectory() as scratch:
        verdicts = Path(scratch) / "verdicts.txt"
        verdicts.touch()
        env = {**os.environ, "BENCH_VERDICTS": str(verdicts), "BENCH_STORE_CACHE": scratch}
        for module in MODULES:
            out.rule(f"python -m {module}")
            if subprocess.run([sys.executable, "-m", module], env=env).returncode:
                failed.append(module)
        lines = verdicts.read_text().splitlines()
    out.rule("Targets")
    for line in lines:
        out.print(line, style="bold red" if "MISSED" in line else "green")
    missed = sum("MISSED" in line for line in lines)
    out.print(f"{len(lines) - missed} of {len(lines)} targets hold.")
    if failed:
        out.print(f"[bold red]Failed: {', '.join(failed)}")
    out.print("Rows written to bench/RESULTS.md.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
