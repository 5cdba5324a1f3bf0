"""CPU seconds spent by process trees and by the whole machine, read from Linux's /proc.

The benchmarks' clients, the served API and PostgreSQL share two cores: who
took how much says whether a figure measures the server or the contention.
"""

import os
import resource
from collections.abc import Iterable
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:  # the process ended meanwhile
        return None
    # The command name, in parentheses, may hold spaces: split after its closing one.
    return text[text.rindex(")") + 2 :].split()


def _parents() -> dict[int, int]:
    parents = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields is not None:
                parents[int(entry.name)] = int(fields[1])
    return parents


def tree_cpu_seconds(roots: list[int]) -> float:
    """User + system CPU of the processes `roots` and all their live descendants."""
    parents = _parents()
    members = set(roots)
    grew = True
    while grew:
        found = {pid for pid, parent in parents.items() if parent in members} - members
        members |= found
        grew = bool(found)
    return processes_cpu_seconds(members)


def processes_cpu_seconds(pids: Iterable[int]) -> float:
    """User + system CPU of the live processes `pids` (not their children)."""
    total = 0
    for pid in pids:
        fields = _stat_fields(pid)
        if fields is not None:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def own_cpu_seconds() -> float:
    """User + system CPU of this process (all its threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent not idle since boot."""
    values = [int(v) for v in (PROC / "stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / TICKS
