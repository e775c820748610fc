"""Run one command several times in child processes: median wall time and peak memory.

Each run is its own process, reaped with os.wait4 so its peak RSS is its own (not the
maximum over every child, as RUSAGE_CHILDREN would give).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Sample:
    wall_s: float
    peak_mib: float
    stdout: str


@dataclass(frozen=True)
class Result:
    wall_s: float  # median
    walls: tuple[float, ...]
    peak_mib: float  # max over runs
    inner_s: float | None = None  # median of the job's own timing of its core step, if it prints one


def run_once(cmd: list[str], env: dict | None = None, cwd: str | None = None) -> Sample:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout = proc.stdout.read().decode(errors="replace")  # read before reaping: no pipe deadlock
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):  # 1 = "found something", a normal outcome for check/drift
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{err[-2000:]}")
    return Sample(wall, usage.ru_maxrss / 1024, stdout)


def measure(cmd: list[str], runs: int = 3, env: dict | None = None, cwd: str | None = None) -> Result:
    samples = [run_once(cmd, env, cwd) for _ in range(runs)]
    walls = tuple(round(s.wall_s, 3) for s in samples)
    inner = [float(line.split()[1]) for s in samples for line in s.stdout.splitlines() if line.startswith("core_s ")]
    return Result(statistics.median(walls), walls, max(s.peak_mib for s in samples),
                  statistics.median(inner) if inner else None)
