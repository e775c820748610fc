"""Run checkov on converted Pulumi resources, in checkov's own environment, as a subprocess.

checkov 3.3.x pins packaging<24 and boto3==1.35.49 while current Pulumi needs packaging>=26, so
the two cannot share one resolver run: checkov lives in `.venv-checkov` (`make checkov-env`, from
requirements/checkov.lock.txt) and is started as a program. Its JSON report is read back and each
failed resource address is mapped to the Pulumi URN it was converted from.
"""

from __future__ import annotations

import fnmatch
import functools
import json
import os
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from ..console import BadInput
from .convert import Conversion, convert, dumps, snake
from .tables import pulumi_path

ROOT = Path(__file__).resolve().parents[2]
CHECKOV_BIN = ROOT / ".venv-checkov" / "bin" / "checkov"
CHECKS_DIR = ROOT / "policies" / "checkov" / "checks"
TIMEOUT_S = 600

# The checks this project gates on (issue 4) and its own: id -> (severity, enforcement). Any
# other checkov check that fails is reported as advisory.
GATED: dict[str, tuple[str, str]] = {
    "CKV_AWS_23": ("low", "mandatory"), "CKV_AWS_24": ("critical", "mandatory"),
    "CKV_AWS_25": ("critical", "mandatory"), "CKV_AWS_260": ("high", "mandatory"),
    "CKV_AWS_277": ("critical", "mandatory"), "CKV_AWS_62": ("critical", "mandatory"),
    "CKV_AWS_63": ("high", "mandatory"), "CKV_AWS_286": ("high", "mandatory"),
    "CKV_AWS_287": ("high", "mandatory"), "CKV_AWS_288": ("high", "mandatory"),
    "CKV_AWS_289": ("high", "mandatory"), "CKV_AWS_290": ("medium", "mandatory"),
    "CKV_AWS_355": ("medium", "mandatory"),
    "CKV2_AWS_11": ("medium", "mandatory"), "CKV_GCP_2": ("critical", "mandatory"),
    "CKV_GCP_3": ("critical", "mandatory"), "CKV_GCP_26": ("medium", "mandatory"),
    "CKV_GCP_74": ("low", "mandatory"), "CKV2_GCP_12": ("critical", "mandatory"),
    "CKV_BYS_1": ("high", "mandatory"), "CKV_BYS_2": ("medium", "mandatory"), "CKV_BYS_3": ("high", "mandatory"),
    # The audit trail for the SIEM (issue 13): log file validation, KMS encryption, every region.
    "CKV_AWS_36": ("medium", "mandatory"), "CKV_AWS_35": ("high", "mandatory"), "CKV_AWS_67": ("high", "mandatory"),
}
# Checks switched off in the gate (checkov's --skip-check), each for a reason of the Service
# Description or the platform's design; docs/checkov.md has the whole reasoning. Every report lists
# them (they are not judged, so they must not look like a pass).
SKIPPED: dict[str, str] = {
    "CKV_AWS_338": "log groups keep logs 1 year: the Service Description keeps logs 7 days to 6 months (zones/ "
                   "log_retention, policy log-retention)",
    "CKV_AWS_144": "S3 cross-region replication: the evidence and audit logs stay in the zone's region (data "
                   "residency: EU for WE zones, Brazil for SA1); versioning and KMS keep them",
    "CKV2_AWS_62": "S3 event notifications: no consumer is declared; the SIEM reads CloudTrail through CloudWatch "
                   "Logs and the bucket",
    "CKV_AWS_252": "CloudTrail SNS topic per delivered log file: noise; alerting runs on the CloudWatch Logs delivery",
}
ADVISORY_SEVERITY = "low"
GRAPH_KEYS = frozenset({"resource_type", "networking"})  # checkov graph attributes, not resource properties


@dataclass
class CheckovResult:
    violations: list[dict[str, str]]  # {policy, source, severity, enforcement, zone, urn, type, message}
    passed: int  # passed check results (check x resource)
    passed_results: list[tuple[str, str]]  # (check id, URN) of each passed result
    failed: int  # failed check results, gated and advisory
    unmapped: list[str]  # Pulumi types with no Terraform mapping (their resources were not judged)
    unmapped_resources: list[str]  # their URNs
    parse_errors: list[str]  # checkov could not read the plan, or read fewer resources than written
    resources: int  # resources written into the plan
    parsed: int  # resources checkov reports it read (summary.resource_count)
    checks: dict[str, str] = field(default_factory=dict)  # check id -> name, for every check that ran
    # check id -> what to set, in Pulumi's property names, on the types it failed on (failed checks only)
    remediation: dict[str, str] = field(default_factory=dict)
    checkov_version: str = ""
    seconds: float = 0.0


def default_zone_of(res: Mapping[str, Any]) -> str:
    """docs/contracts.md: the `zone` tag/label, else the stack name in the URN."""
    inputs = res.get("inputs") or {}
    for key in ("tags", "labels"):
        tags = inputs.get(key)
        if isinstance(tags, dict) and isinstance(tags.get("zone"), str) and tags["zone"]:
            return tags["zone"]
    head = str(res.get("urn", "")).split("::", 1)[0]
    return head[len("urn:pulumi:"):] if head.startswith("urn:pulumi:") else ""


def checkov_params() -> dict[str, Any]:
    """Numbers the CKV_BYS_ checks need, read from the model and the pack (no fact written twice)."""
    import zones
    from policies import vpn

    p = zones.load_platform().platform
    b = p.service_description.backup
    aws = {_snake(k): sorted(ok, key=str) for k, (ok, _) in vpn.AWS_ALLOWED.items()}
    names = {"encryptions": "encryption", "integrities": "integrity", "prves": "prf", "dhs": "dh", "pfs": "pfs"}
    gcp = {phase: {names[f]: sorted(ok) for f, (ok, _) in fields.items()} for phase, fields in vpn.GCP_FIELDS.items()}
    return {
        "vpn": {"aws": aws, "gcp": {**gcp, "ike_version": 2}},
        "prefix_list": {"max_entries": p.quotas.aws_prefix_list_max_entries},
        # Kept by age: N daily -> N days, N weekly -> 7N days, N monthly -> 28N days (4 weeks a month).
        "backup": [{"label": "daily", "period_days": 1, "retention_days": b.daily},
                   {"label": "weekly", "period_days": 7, "retention_days": 7 * b.weekly},
                   {"label": "monthly", "period_days": 31, "retention_days": 28 * b.monthly}],
    }


def _snake(name: str) -> str:
    return snake(name[0].lower() + name[1:])  # policies/vpn.py keys: "Phase1DhGroupNumbers"


_CHECK_ID = re.compile(r"""["']?id["']?\s*[:=]\s*["']?(CKV2?_[A-Z0-9]+_\d+)""")


def known_checks(checkov_bin: str | os.PathLike | None = None) -> frozenset[str]:
    """Every terraform check ID checkov has (its installed check modules and graph checks, read
    from its environment next to the program) plus this project's own: what a suppression may
    name even when no resource of the plans ran that check. Empty when checkov is not found."""
    exe = Path(checkov_bin or os.environ.get("BYSIDE_CHECKOV_BIN") or CHECKOV_BIN)
    return _known_checks(str(exe)) if exe.is_file() else frozenset()


KNOWN_CACHE_DIR = ROOT / "build" / "cache" / "checkov-checks"


@functools.lru_cache(maxsize=4)
def _known_checks(exe_path: str) -> frozenset[str]:
    env = Path(exe_path).parent.parent
    return frozenset(_installed_checks(env) | _check_ids([CHECKS_DIR]))


def _check_ids(dirs: list[Path]) -> set[str]:
    found: set[str] = set()
    for d in dirs:
        for f in sorted(d.rglob("*")):
            if f.suffix in (".py", ".yaml", ".yml", ".json") and f.is_file():
                found.update(_CHECK_ID.findall(f.read_text(encoding="utf-8", errors="replace")))
    return found


def _installed_checks(env: Path) -> set[str]:
    """The check IDs of the checkov installed in `env`: its 2,300 check files read once per
    installation (~0.06 s a run otherwise), kept in build/cache/ under a key of its dist-info RECORD
    (which any install, upgrade or reinstall rewrites)."""
    dirs = sorted(env.glob("lib/python*/site-packages/checkov/terraform/checks"))
    records = sorted(env.glob("lib/python*/site-packages/checkov-*.dist-info/RECORD"))
    try:
        stamps = [(str(r), st.st_size, st.st_mtime_ns) for r in records for st in [r.stat()]]
    except OSError:
        stamps = []
    if not stamps:
        return _check_ids(dirs)
    import hashlib

    key = hashlib.sha256(json.dumps([str(env.resolve()), stamps]).encode()).hexdigest()[:32]
    cache = KNOWN_CACHE_DIR / f"{key}.json"
    try:
        ids = json.loads(cache.read_text(encoding="utf-8"))
        if isinstance(ids, list) and ids and all(isinstance(i, str) and _CHECK_ID.fullmatch(f"id: {i}") for i in ids):
            return set(ids)
    except (OSError, ValueError):
        pass  # not read yet, or the cache was cleared or damaged: read the files again
    found = _check_ids(dirs)
    from .. import safeio

    try:
        safeio.write_file(cache, json.dumps(sorted(found)))
    except (OSError, safeio.OutputError):
        pass  # a read-only checkout: read them on every run
    return found


def resolve_bin(checkov_bin: str | os.PathLike | None = None) -> Path:
    path = Path(checkov_bin or os.environ.get("BYSIDE_CHECKOV_BIN") or CHECKOV_BIN)
    if not path.is_file() or not os.access(path, os.X_OK):
        raise BadInput(f"checkov not found at {path}: create its environment with `make checkov-env` "
                       f"(or skip it with --no-checkov)")
    return path


def run_checkov(resources: list[Mapping[str, Any]], zone_of: Callable[[Mapping[str, Any]], str] | None = None,
                *, checkov_bin: str | os.PathLike | None = None, checks: list[str] | None = None) -> CheckovResult:
    """Convert, run checkov once over all resources, and map its findings back to Pulumi URNs.

    `checks` limits the run to those check IDs (checkov's `--check`); default: every check.
    Raises BadInput when checkov is not installed or does not answer with a report.
    """
    exe = resolve_bin(checkov_bin)
    zone_of = zone_of or default_zone_of
    conv = convert(resources)
    by_urn = {r["urn"]: r for r in resources if "urn" in r}
    started = time.monotonic()
    # Nothing to judge (no resource, or only unmapped ones): checkov would only cost its start-up.
    report = _invoke(exe, conv, checks) if conv.addresses else {}
    result = _read(report, conv, by_urn, zone_of)
    result.seconds = round(time.monotonic() - started, 2)
    return result


def _invoke(exe: Path, conv: Conversion, checks: list[str] | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="byside-checkov-") as tmp:
        plan = Path(tmp) / "pulumi-plan.json"
        plan.write_text(dumps(conv.plan), encoding="utf-8")
        params = Path(tmp) / "params.json"
        params.write_text(json.dumps(checkov_params(), sort_keys=True), encoding="utf-8")
        cmd = [str(exe), "-f", str(plan), "--framework", "terraform_plan", "--external-checks-dir", str(CHECKS_DIR),
               "-o", "json", "--compact", "--skip-download", "--no-fail-on-crash"]
        if checks:
            cmd += ["--check", ",".join(checks)]
        else:
            cmd += ["--skip-check", ",".join(sorted(SKIPPED))]
        env = {**os.environ, "BYSIDE_CHECKOV_PARAMS": str(params), "LOG_LEVEL": "ERROR",
               "PYTHONDONTWRITEBYTECODE": "1"}
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp, timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired as e:
            raise BadInput(f"checkov did not answer within {TIMEOUT_S} s") from e
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        lines = (proc.stderr or proc.stdout).strip().splitlines()
        # checkov's own traceback is not ours to show: its last line names the failure
        tail = lines[-1:] if any(ln.startswith("Traceback") for ln in lines) else lines[-5:]
        raise BadInput(f"checkov (exit {proc.returncode}) gave no JSON report: {' | '.join(tail)}") from e
    if isinstance(report, list):  # one report per framework; only terraform_plan runs
        report = next((r for r in report if r.get("check_type") == "terraform_plan"), {})
    return report


def _read(report: dict[str, Any], conv: Conversion, by_urn: dict[str, Mapping[str, Any]],
          zone_of: Callable[[Mapping[str, Any]], str]) -> CheckovResult:
    results = report.get("results") or {}
    summary = report.get("summary") or {}
    written = len(conv.addresses)
    parsed = int(summary.get("resource_count") or 0)
    errors = [f"checkov could not parse {e}" for e in results.get("parsing_errors") or []]
    if summary.get("parsing_errors"):
        errors.append(f"checkov reports {summary['parsing_errors']} parsing error(s)")
    if written and parsed != written:
        errors.append(f"checkov read {parsed} of the {written} resources in the plan")
    checks: dict[str, str] = {}
    read: dict[str, set[tuple[str, str]]] = {}  # check id -> (Pulumi type, Terraform key) it failed on
    for rec in (results.get("passed_checks") or []) + (results.get("failed_checks") or []):
        checks[rec["check_id"]] = rec.get("check_name") or rec["check_id"]
    violations = []
    for rec in results.get("failed_checks") or []:
        address = _address(rec.get("resource", ""), conv)
        urn = conv.addresses.get(address, "")
        res = by_urn.get(urn, {})
        cid = rec["check_id"]
        severity, enforcement = GATED.get(cid) or (
            ("high", "mandatory") if fnmatch.fnmatch(cid, "CKV_BYS_*") else (ADVISORY_SEVERITY, "advisory"))
        details = [d for d in rec.get("details") or [] if isinstance(d, str)]
        message = rec.get("check_name") or cid
        if details:
            message += ": " + "; ".join(details)
        keys = [k for k in (rec.get("check_result") or {}).get("evaluated_keys") or [] if isinstance(k, str)]
        if res:
            # A graph check's own attributes (`resource_type`, `networking`: how resources connect)
            # are nothing the program sets; every other key is a property, set or missing.
            read.setdefault(cid, set()).update((res.get("type", ""), k) for k in keys
                                               if k.split("/")[0] not in GRAPH_KEYS and not k.startswith("_"))
        violations.append({
            "policy": cid, "source": "checkov", "severity": severity, "enforcement": enforcement,
            "zone": zone_of(res) if res else "", "urn": urn or address, "type": res.get("type", ""),
            "message": message,
        })
    violations.sort(key=lambda v: (v["zone"], v["urn"], v["policy"], v["message"]))
    return CheckovResult(
        violations=violations, passed=len(results.get("passed_checks") or []), failed=len(violations),
        passed_results=sorted((r["check_id"], conv.addresses.get(_address(r.get("resource", ""), conv), ""))
                              for r in results.get("passed_checks") or []),
        unmapped=conv.unmapped_types, unmapped_resources=sorted(u for _, u in conv.unmapped),
        parse_errors=errors, resources=written, parsed=parsed, checks=dict(sorted(checks.items())),
        remediation={cid: remediation(checks.get(cid, cid), sorted(pairs)) for cid, pairs in sorted(read.items())},
        checkov_version=str(summary.get("checkov_version", "")),
    )


def remediation(name: str, read: list[tuple[str, str]]) -> str:
    """What to change, in the program's terms: the Pulumi properties checkov read (its evaluated
    Terraform keys mapped back through the bridge's tables) on each type it failed on."""
    by_type: dict[str, list[str]] = {}
    for rtype, key in read:
        prop = pulumi_path(rtype, key)
        if prop and prop not in by_type.setdefault(rtype, []):
            by_type[rtype].append(prop)
    if not by_type:
        return (f"Make the resource satisfy checkov's check: {name} (a graph check: it judges how the resource "
                f"is connected to others, not one of its properties).")
    parts = [f"{', '.join(f'`{p}`' for p in props)} of {rtype}" for rtype, props in sorted(by_type.items())]
    return f"Set {'; '.join(parts)} so that: {name}."


def _address(resource: str, conv: Conversion) -> str:
    """checkov names a plan resource by its address, sometimes with a module or file prefix."""
    if resource in conv.addresses:
        return resource
    for address in conv.addresses:
        if resource.endswith(address):
            return address
    return resource
