"""Each benchmark's figure beside the issue's target, and whether it holds."""

import os
import platform
from dataclasses import dataclass
from datetime import UTC, datetime

from rich.console import Console

out = Console()
FULL = os.environ.get("BENCH_FULL") == "1"
"""`BENCH_FULL=1 make bench`: the 1,000,000-event run; otherwise a quick one."""


@dataclass(frozen=True)
class Target:
    what: str
    limit: float
    at_least: bool
    """True: the figure must be ≥ limit (a ratio of speeds); False: ≤ limit (ms, MB)."""
    unit: str = ""

    def holds(self, value: float) -> bool:
        return value >= self.limit if self.at_least else value <= self.limit

    def verdict(self, value: float) -> str:
        sign = "≥" if self.at_least else "≤"
        holds = "holds" if self.holds(value) else "MISSED"
        return (
            f"{self.what}: {value:.3g}{self.unit} (target {sign} {self.limit:g}{self.unit}) {holds}"
        )

    def cell(self, value: float) -> str:
        """For a RESULTS.md row: the figure and whether it holds."""
        return f"{value:.3g}{self.unit} ({'holds' if self.holds(value) else 'missed'})"


def report(target: Target, value: float, where: str = "") -> str:
    """Print the figure beside its target; return the RESULTS.md cell.

    Under `python -m bench` the verdict also goes to the file BENCH_VERDICTS names,
    for the summary printed at the end of `make bench`.
    """
    line = target.verdict(value) + (f" [{where}]" if where else "")
    out.print(line, style="green" if target.holds(value) else "bold red")
    verdicts = os.environ.get("BENCH_VERDICTS")
    if verdicts:
        with open(verdicts, "a") as file:
            file.write(line + "\n")
    return target.cell(value)


def machine() -> str:
    host = platform.node() or "unknown"
    return f"{host} ({os.cpu_count()} cores, Python {platform.python_version()})"


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M")


def store_kind(database_url: str) -> str:
    return "postgresql" if database_url.startswith("postgres") else "sqlite"
