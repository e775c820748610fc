"""The suite that attacks (issue 10, item 7): hypothesis mutates zone YAML, plan JSON, badge CSVs,
suppressions and pack config, and every command that reads them must

- exit 0, 1 or 2 — never a traceback, never an internal error (3);
- touch no file but its output target (inputs, neighbours and the repository's build/ unchanged,
  no temporary file left behind);
- leave the output target complete or absent: absent on exit 2; on 0/1 a whole JSON report, or a
  folder exactly as its manifest lists it.

Runs in-process (tests/cli.py, through the CLI's error boundary). Examples are derandomised, so
`make test` is repeatable and stays well within a minute on 2 cores; BYSIDE_FUZZ_SCALE=10 (say)
runs ten times as many examples, randomised, of the same properties.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings, strategies as st

import zones
from byside import safeio, safeyaml
from tests.cli import invoke

from .conftest import EXAMPLES, PLANS, ROOT, TESTPACK
from .mutations import HUGE, mutated

SCALE = max(1, int(os.environ.get("BYSIDE_FUZZ_SCALE", "1")))


def fuzz(n: int):
    return settings(max_examples=n * SCALE, deadline=None, derandomize=SCALE == 1, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large, HealthCheck.large_base_example])


# ---------------------------------------------------------------- the invariants


def _state(folder: Path, skip: Path | None = None) -> dict[str, tuple]:
    out = {}
    if not folder.exists():
        return out
    for p in folder.rglob("*"):
        if skip is not None and (p == skip or skip in p.parents):
            continue
        st_ = os.lstat(p)
        out[str(p)] = (st_.st_mode, st_.st_size, st_.st_mtime_ns)
    return out


def attack(args: list[str], work: Path, out: Path, kind: str) -> int:
    """Run one command on hostile input and check every invariant; returns its exit code."""
    before = (_state(work, out), _state(ROOT / "build"))
    r = invoke(*args)
    event(f"exit {r.exit_code}")  # pytest --hypothesis-show-statistics: how the examples ended
    assert r.exit_code in (0, 1, 2), (r.exit_code, r.output[-3000:])
    assert "Traceback" not in r.output and "internal error" not in r.output, r.output[-3000:]
    assert (_state(work, out), _state(ROOT / "build")) == before, "a file other than the output target changed"
    assert not [p for p in work.rglob(".*") if p.name.endswith((".tmp", ".old"))], "temporary files left behind"
    if r.exit_code == 2 or kind == "none":
        assert not out.exists(), "exit 2 but the output target exists"
    elif kind == "file":
        json.loads(out.read_text(encoding="utf-8"))  # complete: the whole document parses
    else:
        assert safeio.manifest_problems(out) == [], "the output folder is not exactly what its manifest lists"
    return r.exit_code


def fresh(tmp_path_factory, name: str) -> Path:
    d = tmp_path_factory.mktemp(name)
    return d


# ---------------------------------------------------------------- zone YAML


ZONE_FILES = sorted(p.name for p in zones.PACKAGE_DIR.glob("*.yaml"))
ZONE_DATA = {n: safeyaml.load(zones.PACKAGE_DIR / n).data for n in ZONE_FILES}


@st.composite
def zone_attack(draw):
    name = draw(st.sampled_from(ZONE_FILES))
    seed = (zones.PACKAGE_DIR / name).read_bytes()
    return name, draw(mutated(seed, yaml=True, data=ZONE_DATA[name]))


@fuzz(20)
@given(case=zone_attack(), show=st.booleans())
def test_hostile_zone_yaml(tmp_path_factory, case, show):
    name, data = case
    work = fresh(tmp_path_factory, "zones")
    d = work / "zones"
    shutil.copytree(zones.PACKAGE_DIR, d, ignore=shutil.ignore_patterns("*.py", "__pycache__", "*.json"))
    (d / name).write_bytes(data)
    args = ["zones", "show", "--format", "json", "--dir", str(d), "--on", "2026-03-29"] if show else \
        ["zones", "validate", "--format", "json", "--dir", str(d)]
    attack(args, work, work / "no-output", "none")


# ---------------------------------------------------------------- plan JSON


PLAN_SEEDS = {n: (PLANS / n).read_bytes() for n in ("stack-export.json", "preview.json", "preview-events.jsonl")}


@st.composite
def plan_attack(draw):
    name = draw(st.sampled_from(sorted(PLAN_SEEDS)))
    seed = PLAN_SEEDS[name]
    data = json.loads(seed) if name.endswith(".json") else None
    return name, draw(mutated(seed, yaml=False, data=data))


@fuzz(10)
@given(case=plan_attack(), controls=st.booleans())
def test_hostile_plan_json(tmp_path_factory, case, controls):
    from byside.check import zone_facts

    zone_facts.facts_env()  # the gate's own cache of which zone facts a pack gets: decided before, not by, an attack
    name, data = case
    work = fresh(tmp_path_factory, "plan")
    plan = work / name
    plan.write_bytes(data)
    out = work / "report.json"
    command = ["controls", "--plan", str(plan)] if controls else \
        ["check", "--plan", str(plan), "--policy-pack", str(TESTPACK)]
    attack([*command, "--no-checkov", "--format", "json", "--out", str(out)], work, out, "file")


# ---------------------------------------------------------------- badge CSVs


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


CSV_SEEDS = {
    "authorized": (EXAMPLES / "authorized.csv").read_bytes(),
    "roster": (EXAMPLES / "roster.csv").read_bytes(),
    "events": b"".join((EXAMPLES / "events.csv").read_bytes().splitlines(keepends=True)[:80]),
}
CELLS = st.one_of(st.sampled_from(["", "2025-06-01T10:00:00", "2025-06-01 10:00", "2025-13-40T99:99:99+00:00",
                                   "1970-01-01T00:00:00+00:00", "9999-12-31T23:59:59+14:00", "granted", "denied",
                                   "in", "out", "dc-mad", "=HYPERLINK(\"http://x\")", "\u202e", "terminated",
                                   "2025-02-30", "x" * HUGE]),
                  st.text(max_size=20))


@st.composite
def csv_edit(draw, seed: bytes) -> bytes:
    """Row-level damage a badge or HR export really shows: a cell blanked or replaced, rows
    dropped or repeated, a column missing, only the header left."""
    rows = list(csv.reader(io.StringIO(seed.decode("utf-8"))))
    how = draw(st.sampled_from(["cell", "cell", "header-only", "drop-column", "repeat-rows", "offsetless"]))
    if how == "header-only":
        rows = rows[:1]
    elif how == "drop-column":
        c = draw(st.integers(0, len(rows[0]) - 1))
        rows = [r[:c] + r[c + 1:] for r in rows]
    elif how == "repeat-rows":
        rows = rows + rows[1:] * draw(st.integers(1, 3))
    elif how == "offsetless":
        rows = [rows[0]] + [[c.replace("+00:00", "").replace("Z", "") for c in r] for r in rows[1:]]
    else:
        for _ in range(draw(st.integers(1, 4))):
            r = draw(st.integers(0, len(rows) - 1))
            c = draw(st.integers(0, len(rows[r]) - 1))
            rows[r][c] = draw(CELLS)
    return _csv(rows)


@st.composite
def badge_attack(draw):
    which = draw(st.sampled_from(sorted(CSV_SEEDS)))
    seed = CSV_SEEDS[which]
    return which, draw(st.one_of(csv_edit(seed), mutated(seed, yaml=False)))


@fuzz(20)
@given(case=badge_attack())
def test_hostile_badge_csvs(tmp_path_factory, case):
    which, data = case
    work = fresh(tmp_path_factory, "dc")
    files = {}
    for name, seed in CSV_SEEDS.items():
        files[name] = work / f"{name}.csv"
        files[name].write_bytes(data if name == which else seed)
    out = work / "review"
    attack(["audit", "dc-access", "--dc", "dc-lis", "--year", "2025", "--authorized", str(files["authorized"]),
            "--events", str(files["events"]), "--roster", str(files["roster"]), "--out", str(out)],
           work, out, "folder")


# ---------------------------------------------------------------- suppressions


SUPPRESSIONS = b"""max_lifetime_days: 365
suppressions:
  - policy: test-no-public-bucket
    urn: "urn:pulumi:we2::byside::*::public-*"
    reason: "public website assets, reviewed in SEC-123"
    expires: 2027-01-31
  - policy: test-bucket-budget
    urn: "urn:pulumi:we1::*"
    reason: legacy
    expires: 2026-06-30
"""
SUPPRESSIONS_DATA = safeyaml.parse(SUPPRESSIONS.decode(), "seed").data


@fuzz(10)
@given(data=mutated(SUPPRESSIONS, yaml=True, data=SUPPRESSIONS_DATA))
def test_hostile_suppressions(tmp_path_factory, data):
    work = fresh(tmp_path_factory, "supp")
    s = work / "suppressions.yaml"
    s.write_bytes(data)
    out = work / "report.json"
    attack(["check", "--plan", str(PLANS / "stack-export.json"), "--policy-pack", str(TESTPACK), "--no-checkov",
            "--suppressions", str(s), "--today", "2026-12-01", "--format", "json", "--out", str(out)],
           work, out, "file")


# ---------------------------------------------------------------- pack config


PACK_CONFIG = json.dumps({"test-no-public-bucket": {"enforcementLevel": "mandatory",
                                                    "bannedAcls": ["public-read", "public-read-write"]},
                          "test-bucket-budget": "disabled"}, indent=2).encode()


@fuzz(5)
@given(data=mutated(PACK_CONFIG, yaml=False, data=json.loads(PACK_CONFIG)))
def test_hostile_pack_config(tmp_path_factory, data):
    work = fresh(tmp_path_factory, "cfg")
    cfg = work / "cfg.json"
    cfg.write_bytes(data)
    out = work / "report.json"
    attack(["check", "--plan", str(PLANS / "stack-export.json"), "--policy-pack", str(TESTPACK), "--no-checkov",
            "--policy-config", str(cfg), "--format", "json", "--out", str(out)], work, out, "file")


@fuzz(60)
@given(data=mutated(PACK_CONFIG, yaml=False, data=json.loads(PACK_CONFIG)))
def test_hostile_pack_config_for_the_real_pack(tmp_path_factory, data):
    """policies/config/<stack>.json, normalised against the pack's own policies: a config or PackConfigError."""
    from byside.check.policy_config import load_stack_config
    from policies.pack_config import PackConfigError

    work = fresh(tmp_path_factory, "pack")
    (work / "we1.json").write_bytes(data.replace(b"test-no-public-bucket", b"network-no-public-admin-ingress")
                                    .replace(b"test-bucket-budget", b"tags-required"))
    try:
        config = load_stack_config("we1", work)
    except PackConfigError as e:
        assert str(e).startswith(str(work / "we1.json"))
    else:
        assert isinstance(config, dict)
