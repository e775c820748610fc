"""Run one command several times in child processes: median wall time and peak memory.

Each run goes through a tiny launcher process that starts the command and reaps it with
os.wait4. Linux keeps a process's peak RSS across fork and exec, so a command started straight
from this (large) benchmark process would report at least our own size; started from a fresh
launcher it reports its own peak, within the launcher's few MiB.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
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


LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
p = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(p.pid, 0)
sys.stderr.write(f"\\nbench: wall_s {time.perf_counter() - start:.6f} maxrss_kib {usage.ru_maxrss}\\n")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_once(cmd: list[str], env: dict | None = None, cwd: str | None = None) -> Sample:
    proc = subprocess.run([sys.executable, "-S", "-c", LAUNCHER, *cmd], env=env, cwd=cwd, capture_output=True)
    err = proc.stderr.decode(errors="replace")
    if proc.returncode not in (0, 1):  # 1 = "found something", a normal outcome for check/drift
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{err[-2000:]}")
    last = err.rstrip().splitlines()[-1].split()
    return Sample(float(last[2]), int(last[4]) / 1024, proc.stdout.decode(errors="replace"))


def measure(cmd: list[str], runs: int = 3, env: dict | None = None, cwd: str | None = None) -> Result:
    return _result([run_once(cmd, env, cwd) for _ in range(runs)])


def measure_pair(a: list[str], b: list[str], runs: int = 3, env_a: dict | None = None, env_b: dict | None = None,
                 cwd_a: str | None = None, cwd_b: str | None = None) -> tuple[Result, Result]:
    """Two commands run in turn (a, b, a, b, ...): the shared machine's load drifts over minutes,
    and a ratio of medians taken minutes apart measures the drift as much as the commands."""
    sa, sb = [], []
    for _ in range(runs):
        sa.append(run_once(a, env_a, cwd_a))
        sb.append(run_once(b, env_b, cwd_b))
    return _result(sa), _result(sb)


def _result(samples: list[Sample]) -> Result:
    walls = tuple(round(s.wall_s, 3) for s in samples)
    inner = [float(line.split()[1]) for s in samples for line in s.stdout.splitlines() if line.startswith("core_s ")]
    return Result(statistics.median(walls), walls, max(s.peak_mib for s in samples),
                  statistics.median(inner) if inner else None)
