"""Run checkov on converted Pulumi resources, in checkov's own environment, as a subprocess.

checkov 3.3.x pins packaging<24 and boto3==1.35.49 while current Pulumi needs packaging>=26, so
the two cannot share one resolver run: checkov lives in `.venv-checkov` (`make checkov-env`, from
requirements/checkov.lock.txt) and is started as a program. Its JSON report is read back and each
failed resource address is mapped to the Pulumi URN it was converted from.
"""

from __future__ import annotations

import fnmatch
import json
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from ..console import BadInput
from .convert import Conversion, convert, dumps, snake

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
# checkov's open-ingress checks read no `prefix_list_id` / `referenced_security_group_id` on
# aws_vpc_security_group_ingress_rule: a rule whose only source is a managed prefix list or a
# security group counts as "no CIDR = open to the world" there. Such a finding stays reported,
# as advisory, with the reason in its message.
OPEN_INGRESS = {"CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277"}
VPC_INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
ADVISORY_SEVERITY = "low"


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
        if cid in OPEN_INGRESS and closed_source(res):
            enforcement = "advisory"
            message += (" (bridge note: the source is a managed prefix list or security group, which checkov "
                        "does not read on aws_vpc_security_group_ingress_rule; not open to 0.0.0.0/0)")
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
        checkov_version=str(summary.get("checkov_version", "")),
    )


def closed_source(res: Mapping[str, Any]) -> bool:
    """A VPC ingress rule whose source is a prefix list or security group, with no CIDR."""
    inputs = res.get("inputs") or {}
    return (res.get("type") == VPC_INGRESS_RULE and not inputs.get("cidrIpv4") and not inputs.get("cidrIpv6")
            and bool(inputs.get("prefixListId") or inputs.get("referencedSecurityGroupId")))


def _address(resource: str, conv: Conversion) -> str:
    """checkov names a plan resource by its address, sometimes with a module or file prefix."""
    if resource in conv.addresses:
        return resource
    for address in conv.addresses:
        if resource.endswith(address):
            return address
    return resource
