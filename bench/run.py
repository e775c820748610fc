"""`make bench`: measure preview, policy evaluation vs checkov, the gate, the allowlist
compiler and the DC access review against input size; write docs/benchmarks.md.

Every measurement runs the real command in a child process, 3 times (median wall, max peak
RSS). Sizes are kept modest enough for a 2-core machine; see docs/benchmarks.md for targets.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path

from .measure import Result, measure

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
BYSIDE = str(Path(PY).with_name("byside"))


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


class Table:
    def __init__(self, title: str, target: str, columns: list[str]):
        self.title, self.target, self.columns, self.rows = title, target, columns, []

    def add(self, *cells) -> None:
        self.rows.append([str(c) for c in cells])
        print(f"  {self.title}: {' | '.join(self.rows[-1])}", flush=True)

    def markdown(self) -> str:
        head = f"## {self.title}\n\nTarget: {self.target}\n\n| " + " | ".join(self.columns) + " |\n|" + "---|" * len(self.columns) + "\n"
        return head + "".join("| " + " | ".join(r) + " |\n" for r in self.rows)


def fmt(r: Result) -> tuple[str, str, str]:
    return f"{r.wall_s:.3f}", ", ".join(f"{w:.3f}" for w in r.walls), f"{r.peak_mib:.0f}"


def growth(a: Result, b: Result) -> str:
    return f"{b.wall_s / a.wall_s:.1f}×" if a.wall_s else "n/a"


def bench_allowlist(runs: int, work: Path) -> Table:
    import random

    from .generate import random_public_cidrs

    t = Table("Allowlist compilation", "100,000 CIDRs ≤ 2 s; 1,000 → 10,000 growth ≤ 12×",
              ["CIDRs", "compile s (median)", "process wall s", "runs (wall)", "peak MiB", "growth (compile)"])
    prev = None
    for n in (1_000, 10_000, 100_000):
        path = work / f"cidrs-{n}.txt"
        path.write_text("\n".join(random_public_cidrs(random.Random(n), n)))
        r = measure([PY, "-m", "bench.allowlist_job", str(path)], runs, cwd=str(ROOT))
        g = f"{r.inner_s / prev.inner_s:.1f}×" if prev else "—"
        t.add(f"{n:,}", f"{r.inner_s:.3f}", *fmt(r), g)
        prev = r
    return t


MEASURES = {"allowlist": bench_allowlist}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", action="append", choices=sorted(MEASURES))
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    a = ap.parse_args()
    tables = []
    with tempfile.TemporaryDirectory(prefix="byside-bench-") as tmp:
        for name, fn in MEASURES.items():
            if a.only and name not in a.only:
                continue
            print(f"[bench] {name}", flush=True)
            work = Path(tmp) / name
            work.mkdir()
            tables.append(fn(a.runs, work))
    machine = (f"Machine: {os.cpu_count()} cores, {cpu_model()}, Python {platform.python_version()}, "
               f"{platform.system()} {platform.release()}. Wall time is the median of {a.runs} runs of the real "
               "command in a child process; peak memory is the child's maximum resident set size.")
    text = "# Benchmarks\n\nWritten by `make bench` (bench/run.py).\n\n" + machine + "\n\n" + "\n".join(t.markdown() for t in tables)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(text)
    print(f"[bench] wrote {a.out}")


if __name__ == "__main__":
    main()
