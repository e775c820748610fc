"""`make bench`: measure the preview, the gate against checkov on the same plans, the gate's
variants on the example zones, the allowlist compiler and the DC access review against input
size; write docs/benchmarks.md.

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

from .measure import Result, measure, measure_pair

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


def synthetic_plan(work: Path, segments: int, name: str) -> tuple[Path, Path, int]:
    """Preview a generated zone once (setup, not timed); return the plan, its zones folder and its
    resource count."""
    import json
    import subprocess

    from .generate import generate

    zdir = generate(work / f"zones-{name}", subscribers=20, cidrs_per_subscriber=5, segments=segments, datacenters=1)
    plan = work / f"{name}.json"
    subprocess.run([BYSIDE, "preview", "--zone", "bz1", "--dir", str(zdir), "--out", str(plan)],
                   check=True, stdout=subprocess.DEVNULL, cwd=str(ROOT))
    return plan, zdir, len(json.loads(plan.read_text())["deployment"]["resources"])


# Segments of a generated one-DC zone for about 100, 1,000, 5,000 and 10,000 resources (×5: 50,000).
SIZES = {"100": 1, "1k": 78, "5k": 405, "10k": 826}
SMALL_RUNS = 7  # runs of the gate-vs-checkov cases that take seconds: a median of 3 swings with the load
CHECKOV_BIN = ROOT / ".venv-checkov" / "bin" / "checkov"


def checkov_command(tf_plan: Path) -> list[str]:
    """checkov as the bridge runs it (byside/checkov_bridge/runner.py), on an already converted plan."""
    return [str(CHECKOV_BIN), "-f", str(tf_plan), "--framework", "terraform_plan", "--external-checks-dir",
            str(ROOT / "policies" / "checkov" / "checks"), "-o", "json", "--compact", "--skip-download",
            "--no-fail-on-crash"]


def bench_preview(runs: int, work: Path) -> Table:
    from .generate import generate

    t = Table("Offline preview of one zone", "a few seconds for the example zones; growth 1,000 → 5,000 without a quadratic step",
              ["resources", "segments", "wall s (median)", "runs", "peak MiB", "growth"])
    prev = None
    for name in ("100", "1k", "5k"):
        zdir = generate(work / f"zones-{name}", subscribers=20, cidrs_per_subscriber=5, segments=SIZES[name], datacenters=1)
        out = work / f"{name}.json"
        r = measure([BYSIDE, "preview", "--zone", "bz1", "--dir", str(zdir), "--out", str(out)], runs, cwd=str(ROOT))
        import json

        count = len(json.loads(out.read_text())["deployment"]["resources"])
        t.add(f"{count:,}", SIZES[name], *fmt(r), growth(prev, r) if prev else "—")
        prev = r
    r = measure([BYSIDE, "preview", "--zone", "all", "--out-dir", str(work / "zones3")], runs, cwd=str(ROOT))
    docs = [json.loads(f.read_text()) for f in sorted((work / "zones3").glob("*.json"))]
    count = sum(len(d["deployment"]["resources"]) for d in docs if "deployment" in d)  # side files aside
    t.add(f"3 example zones ({count:,})", "4 each", *fmt(r), "—")
    return t


def bench_gate(runs: int, work: Path) -> Table:
    """The gate users run — `byside check --no-checkov --plan …`, CLI start, plan reading and the
    served pack over gRPC — against checkov's own run on the same plans converted by the bridge,
    measured in the same run; and one stack of 50,000 resources for memory."""
    import json
    import subprocess

    from byside.checkov_bridge.runner import checkov_params

    from .plans import converted, multiply

    t = Table("The gate vs checkov on the same plans",
              "`byside check --no-checkov` ≤ 0.25 × checkov's wall on the three example zones and on 10,000 "
              "resources; growth 1,000 → 10,000 ≤ 12×; 50,000 resources judged with peak memory ≤ 1 GiB",
              ["plan", "resources", "gate s (median)", "gate runs", "gate peak MiB", "checkov s (median)",
               "checkov peak MiB", "gate / checkov", "growth"])
    params = work / "checkov-params.json"
    params.write_text(json.dumps(checkov_params(), sort_keys=True))
    ck_env = {**os.environ, "BYSIDE_CHECKOV_PARAMS": str(params), "LOG_LEVEL": "ERROR"}
    zones3 = work / "zones3"
    subprocess.run([BYSIDE, "preview", "--zone", "all", "--out-dir", str(zones3)], check=True,
                   stdout=subprocess.DEVNULL, cwd=str(ROOT))
    cases = [("three example zones", [zones3 / f"{z}.json" for z in ("we1", "we2", "sa1")], None)]
    for name in ("1k", "10k"):
        plan, zdir, count10k = synthetic_plan(work, SIZES[name], name)
        cases.append((f"generated zone ({name})", [plan], zdir))
    big = work / "50k.json"
    # Copies of the 10k plan in one stack, as many as make about 50,000 resources (the target's size).
    copies = max(1, round(50_000 / count10k))
    multiply(cases[-1][1][0], copies, big)
    cases.append((f"10k plan × {copies}, one stack", [big], cases[-1][2]))
    first = None
    for label, plan_files, zdir in cases:
        env = {**os.environ, **({"BYSIDE_ZONES_DIR": str(zdir)} if zdir else {})}
        cmd = [BYSIDE, "check", "--no-checkov", *[a for f in plan_files for a in ("--plan", str(f))],
               "--format", "json", "--out", str(work / "report.json")]
        if "one stack" in label:
            gate = measure(cmd, runs, env=env, cwd=str(ROOT))
            ck, ratio = None, "—"
        else:
            tf = work / f"tf-{len(t.rows)}.json"
            assert converted(plan_files, tf) > 0
            # In turn with checkov, and more runs where both take seconds (the median steadies).
            n = max(runs, SMALL_RUNS) if "three" in label or label.endswith("(1k)") else runs
            gate, ck = measure_pair(cmd, checkov_command(tf), n, env_a=env, env_b=ck_env, cwd_a=str(ROOT),
                                    cwd_b=str(work))
            ratio = f"{gate.wall_s / ck.wall_s:.3f}"
        report = json.loads((work / "report.json").read_text())
        count = report["summary"]["resources"]
        grow = "—"
        if label.endswith("(1k)"):
            first = gate
        elif label.endswith("(10k)") and first:
            grow = growth(first, gate)
        t.add(label, f"{count:,}", f"{gate.wall_s:.3f}", ", ".join(f"{w:.2f}" for w in gate.walls),
              f"{gate.peak_mib:.0f}", f"{ck.wall_s:.3f}" if ck else "not run (minutes, several GiB)",
              f"{ck.peak_mib:.0f}" if ck else "—", ratio, grow)
    return t


def bench_check(runs: int, work: Path) -> Table:
    t = Table("`byside check` end to end, three example zones",
              "--no-checkov ≤ 5 s; with checkov ≤ 20 s", ["variant", "wall s (median)", "runs", "peak MiB"])
    plans = work / "plans"
    import subprocess

    subprocess.run([BYSIDE, "preview", "--zone", "all", "--out-dir", str(plans)], check=True,
                   stdout=subprocess.DEVNULL, cwd=str(ROOT))
    plan_args = [a for z in ("we1", "we2", "sa1") for a in ("--plan", str(plans / f"{z}.json"))]
    for label, cmd in (
        ("--no-checkov, default input (preview cached)", [BYSIDE, "check", "--no-checkov"]),
        ("--no-checkov, preview rerun (--no-preview-cache)", [BYSIDE, "check", "--no-checkov", "--no-preview-cache"]),
        ("--no-checkov, --plan × 3", [BYSIDE, "check", "--no-checkov", *plan_args]),
        ("with checkov, default input (preview cached)", [BYSIDE, "check"]),
        ("with checkov, --plan × 3", [BYSIDE, "check", *plan_args]),
    ):
        r = measure(cmd, runs, cwd=str(ROOT))
        t.add(label, *fmt(r))
    return t


def bench_dc_access(runs: int, work: Path) -> Table:
    import subprocess

    t = Table("`byside audit dc-access`", "1,000,000 events ≤ 20 s wall and ≤ 1 GiB peak; growth 10,000 → 100,000 ≤ 12×",
              ["events", "wall s (median)", "runs", "peak MiB", "growth"])
    prev = None
    for n in (10_000, 100_000, 1_000_000):
        data = work / f"data-{n}"
        subprocess.run([PY, "-m", "audits.examples.generate", "--out", str(data), "--events", str(n),
                        "--dc", "dc-lis", "--year", "2025"], check=True, stdout=subprocess.DEVNULL, cwd=str(ROOT))
        cmd = [BYSIDE, "audit", "dc-access", "--dc", "dc-lis", "--year", "2025", "--no-progress",
               "--authorized", str(data / "authorized.csv"), "--events", str(data / "events.csv"),
               "--roster", str(data / "roster.csv"), "--previous", str(data / "previous-review.json"),
               "--out", str(work / f"review-{n}")]
        r = measure(cmd, runs, cwd=str(ROOT))
        t.add(f"{n:,}", *fmt(r), growth(prev, r) if prev else "—")
        prev = r
    return t


def bench_diff(runs: int, work: Path) -> Table:
    """`byside diff` on a scratch git copy of the repository with one subscriber CIDR changed (the
    README's example): both sides previewed and judged. The first run fills the preview cache."""
    import shutil
    import subprocess

    t = Table("`byside diff`, one subscriber CIDR changed (scratch git copy)", "with checkov ≤ 40 s",
              ["variant", "wall s (median)", "runs", "peak MiB"])
    repo = work / "repo"
    for d in ("infra", "zones"):
        shutil.copytree(ROOT / d, repo / d, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for f in ROOT.glob("Pulumi*.yaml"):
        shutil.copy(f, repo / f.name)
    git = ["git", "-C", str(repo), "-c", "user.email=bench@example.org", "-c", "user.name=bench"]
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "base"]):
        subprocess.run(git + args, check=True, stdout=subprocess.DEVNULL)
    zone = repo / "zones" / "we1.yaml"
    zone.write_text(zone.read_text().replace("203.0.113.32/27", "185.40.32.0/20"))
    cache = ROOT / "build" / "cache" / "preview"
    for label, extra, cold in (("previews run (cache emptied first)", [], True),
                               ("--no-checkov, previews cached", ["--no-checkov"], False),
                               ("with checkov, previews cached", [], False)):
        cmd = [BYSIDE, "diff", "--project", str(repo), "--format", "markdown", *extra]
        if cold:
            walls = []
            for _ in range(runs):
                shutil.rmtree(cache, ignore_errors=True)
                walls.append(measure(cmd, 1, cwd=str(ROOT)))
            r = sorted(walls, key=lambda x: x.wall_s)[len(walls) // 2]
        else:
            r = measure(cmd, runs, cwd=str(ROOT))
        t.add(label, *fmt(r))
    return t


MEASURES = {"preview": bench_preview, "gate": bench_gate, "check": bench_check,
            "allowlist": bench_allowlist, "dc-access": bench_dc_access, "diff": bench_diff}


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
               f"command in a child process (the gate and checkov on the same plans run in turn, "
               f"{max(a.runs, SMALL_RUNS)} times each where both take seconds); peak memory is the largest resident set of the command or of any process it started (measured through a small launcher, since Linux carries a parent's peak RSS across fork and exec).")
    text = "# Benchmarks\n\nWritten by `make bench` (bench/run.py).\n\n" + machine + "\n\n" + "\n".join(t.markdown() for t in tables)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(text)
    print(f"[bench] wrote {a.out}")


if __name__ == "__main__":
    main()
