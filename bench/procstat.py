"""What /proc tells about a process (its resident memory and CPU time) and about the servers beside it."""

import contextlib
import os
from pathlib import Path

_TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def rss_bytes(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
    return int(line.split()[1]) * 1024


def cpu_seconds(pid: int) -> float:
    """Returns the user and system CPU time the process has used, all its threads together."""
    # The command name in field 2 may hold spaces; the fields after its closing parenthesis do not.
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    user, system = int(fields[11]), int(fields[12])
    return (user + system) / _TICKS_PER_SECOND


# The servers beside the services, by the program their processes run: every process of each counts
# (PostgreSQL's backends, the embedded MongoDB server), whoever else uses it meanwhile.
SERVERS = {"postgresql": "postgres", "rabbitmq": "beam.smp", "mongodb": "secantusd"}


def _program_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:  # it ended meanwhile
        return ""


def _servers() -> dict[tuple[str, int], float]:
    """Returns the CPU seconds used so far by each process of `SERVERS`, by server and process id."""
    used = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            program = _program_of(int(entry.name))
            for name, runs in SERVERS.items():
                if program.startswith(runs):
                    with contextlib.suppress(OSError):
                        used[name, int(entry.name)] = cpu_seconds(int(entry.name))
    return used


class CpuMeter:
    """The CPU seconds some processes and the servers beside them use from the meter's start on."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self._processes = {name: cpu_seconds(pid) for name, pid in pids.items()}
        self._servers = _servers()

    def used(self) -> dict[str, float]:
        """Returns the CPU seconds used since the start, by process name and by server."""
        used = {name: cpu_seconds(pid) - self._processes[name] for name, pid in self.pids.items()}
        for (name, pid), seconds in _servers().items():  # one started since counts whole
            used[name] = used.get(name, 0.0) + seconds - self._servers.get((name, pid), 0.0)
        return used
