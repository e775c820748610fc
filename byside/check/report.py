"""Renderers: the same CheckResult as JSON, SARIF 2.1.0, JUnit XML or text. Deterministic: the
same result renders to the same bytes (sorted, no timestamps, no absolute paths)."""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from ..console import styled
from .gate import ROOT, CheckResult
from .model import Rule
from .model import SEVERITIES, Violation

FORMATS = ("text", "json", "sarif", "junit")
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
# GitHub code scanning ranks security alerts by `security-severity` (a CVSS-like score as text).
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
LEVEL = {"mandatory": "error", "advisory": "warning"}


JSON_FORMAT = "byside-check/1"


def _rule_dict(r: Rule) -> dict:
    return {"id": r.id, "source": r.source, "title": r.title, "severity": r.severity, "enforcement": r.enforcement,
            "description": r.description, "remediation": r.remediation, "clause": r.clause}


def _source(path: str) -> str:
    return path if path.startswith("preview:") or not path else _relative(path)


def json_report(result: CheckResult) -> dict:
    """The report as one object (docs/contracts.md `byside-check/1`)."""
    m = len(result.mandatory)
    return {
        "format": JSON_FORMAT,
        "exit_code": result.exit_code,
        "summary": {"resources": result.resources, "zones": result.zones,
                    "stacks": len({(p.project, p.stack) for p in result.plans if p.resources}),
                    "mandatory": m, "advisory": len(result.violations) - m, "suppressed": len(result.suppressed),
                    "expired_suppressions": len(result.expired), "unused_suppressions": len(result.unused),
                    "not_judged": len(result.not_judged), "checkov": result.checkov},
        "projects": sorted({p.project for p in result.plans if p.resources}),
        "foreign": sorted(({"source": _source(p.source), "project": p.project, "stack": p.stack}
                           for p in result.foreign), key=lambda d: (d["project"], d["stack"], d["source"])),
        "plans": sorted(({"source": _source(p.source), "project": p.project, "stack": p.stack,
                          "format": p.format,
                          "complete": p.complete, "resources": sum(1 for r in p.resources if r.in_stack)}
                         for p in result.plans if p.resources or p.not_judged),
                        key=lambda d: (d["project"], d["stack"], d["source"])),
        "notes": list(result.notes),
        "disabled": disabled_json(result),
        "rules": [_rule_dict(result.rules[rid]) for rid in sorted(result.rules)],
        "suppressed": [{"violation": v.as_dict(), "suppression": s.as_dict()} for v, s in result.suppressed],
        "expired_suppressions": [s.as_dict() for s in result.expired],
        "unused_suppressions": [s.as_dict() for s in result.unused],
        "not_judged": [{**n.as_dict(), "source": _source(n.source)} for n in result.not_judged],
        "violations": [v.as_dict() for v in result.violations],
    }


def render_json(result: CheckResult) -> str:
    return json.dumps(json_report(result), indent=2, ensure_ascii=False) + "\n"


def disabled_json(result: CheckResult) -> list[dict[str, str]]:
    """Policies turned off by config, {policy, stack, source} (the JSON report's `disabled`)."""
    return [dict(d, source=_relative(d["source"])) for d in result.disabled]


def disabled_line(d: dict[str, str]) -> str:
    return f"policy disabled by config: {d['policy']} (stack {d['stack']}, {_relative(d['source'])})"


# ---------------------------------------------------------------- SARIF


def _relative(path: str) -> str:
    p = Path(path)
    try:
        return p.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return p.as_posix() if not p.is_absolute() else p.name


def artifact_for(v: Violation) -> str:
    """The zone file the finding belongs to (zones/<zone>.yaml) — the source of truth to fix — or,
    for a zone zones/ does not know, the plan file it was read from."""
    zone_file = ROOT / "zones" / f"{v.zone}.yaml"
    if v.zone and zone_file.is_file():
        return f"zones/{v.zone}.yaml"
    if v.origin and not v.origin.startswith("preview:"):
        return _relative(v.origin)
    return "zones/platform.yaml"


def _rule_ids(result: CheckResult) -> list[str]:
    return sorted(set(result.rules) | {v.policy for v in result.violations})


def _sarif_rule(rid: str, rule: Rule | None) -> dict:
    if rule is None:
        return {"id": rid, "shortDescription": {"text": rid}}
    out = {
        "id": rid,
        "name": "".join(w.capitalize() for w in rid.replace("_", "-").split("-")),
        "shortDescription": {"text": rule.title or rid},
        "fullDescription": {"text": rule.description or rule.title or rid},
        "help": {"text": rule.remediation or rule.description or rid,
                 "markdown": f"**Remediation:** {rule.remediation}" + (f"\n\n**Service Description:** {rule.clause}"
                                                                       if rule.clause else "")},
        "defaultConfiguration": {"level": LEVEL.get(rule.enforcement, "warning")},
        "properties": {"tags": ["security", rule.source], "precision": "very-high",
                       "problem.severity": "error" if rule.severity in ("critical", "high") else "warning",
                       "security-severity": SECURITY_SEVERITY.get(rule.severity, "5.5"), "severity": rule.severity},
    }
    return out


def render_sarif(result: CheckResult, version: str = "0.1.0") -> str:
    """One run (code scanning takes one run per category); no automationDetails, so the upload's
    `category` input names the analysis (an id in the file would take precedence over it)."""
    ids = _rule_ids(result)
    index = {rid: i for i, rid in enumerate(ids)}
    results = []
    for v in result.violations:
        fingerprint = hashlib.sha256(f"{v.policy}\0{v.urn}\0{v.message}".encode()).hexdigest()
        results.append({
            "ruleId": v.policy,
            "ruleIndex": index[v.policy],
            "level": LEVEL.get(v.enforcement, "warning"),
            "message": {"text": f"{v.urn.rsplit('::', 1)[-1]} ({v.type}): {v.message}"},
            "locations": [{
                "physicalLocation": {"artifactLocation": {"uri": artifact_for(v), "uriBaseId": "%SRCROOT%"},
                                     "region": {"startLine": 1}},
                "logicalLocations": [{"fullyQualifiedName": v.urn, "name": v.urn.rsplit("::", 1)[-1],
                                      "kind": "resource"}],
            }],
            "partialFingerprints": {"bysideViolation/v1": fingerprint},
            "properties": {"zone": v.zone, "urn": v.urn, "type": v.type, "source": v.source,
                           "severity": v.severity, "enforcement": v.enforcement},
        })
    # A policy turned off by config is a notification about the tool's configuration
    # (SARIF 2.1.0 §3.20.22 invocation.toolConfigurationNotifications), tied to the rule it disables.
    notifications = []
    for d in result.disabled:
        rule = {"id": d["policy"], **({"index": index[d["policy"]]} if d["policy"] in index else {})}
        notifications.append({"descriptor": {"id": "policy-disabled"}, "associatedRule": rule, "level": "note",
                              "message": {"text": disabled_line(d)}})
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "byside-check", "version": version,
                                "informationUri": "https://www.pulumi.com/docs/iac/using-pulumi/crossguard/",
                                "rules": [_sarif_rule(rid, result.rules.get(rid)) for rid in ids]}},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The repository root"}}},
            "columnKind": "utf16CodeUnits",
            "results": results,
            "invocations": [{
                "executionSuccessful": True,
                "toolExecutionNotifications": [{"level": "note", "message": {"text": n}} for n in result.notes],
                "toolConfigurationNotifications": notifications,
            }],
            "properties": {"zones": result.zones, "resources": result.resources, "checkov": result.checkov,
                           "notJudged": [{**n.as_dict(), "source": _source(n.source)} for n in result.not_judged],
                           "suppressed": len(result.suppressed),
                           "expiredSuppressions": [s.as_dict() for s in result.expired],
                           "unusedSuppressions": [s.as_dict() for s in result.unused]},
        }],
    }
    return json.dumps(doc, indent=2) + "\n"


# ---------------------------------------------------------------- JUnit


def render_junit(result: CheckResult) -> str:
    """One testsuite per zone, one testcase per policy/check; a mandatory violation is a failure,
    advisory ones are listed in the testcase's system-out."""
    by_zone: dict[str, dict[str, list[Violation]]] = defaultdict(lambda: defaultdict(list))
    for v in result.violations:
        by_zone[v.zone][v.policy].append(v)
    ids = _rule_ids(result)
    root = ET.Element("testsuites", name="byside check")
    total = failures = 0
    for zone in sorted(set(result.zones) | set(by_zone)):
        suite = ET.SubElement(root, "testsuite", name=zone or "(no zone)")
        s_fail = 0
        for rid in ids:
            found = by_zone[zone].get(rid, [])
            case = ET.SubElement(suite, "testcase", classname=f"byside.{zone}", name=rid)
            mandatory = [v for v in found if v.enforcement == "mandatory"]
            advisory = [v for v in found if v.enforcement != "mandatory"]
            if mandatory:
                s_fail += 1
                fail = ET.SubElement(case, "failure", type="mandatory",
                                     message=f"{len(mandatory)} mandatory violation(s) of {rid}")
                fail.text = "\n".join(f"{v.urn}: {v.message}" for v in mandatory)
            if advisory:
                out = ET.SubElement(case, "system-out")
                out.text = "\n".join(f"advisory: {v.urn}: {v.message}" for v in advisory)
        suite.set("tests", str(len(ids)))
        suite.set("failures", str(s_fail))
        suite.set("errors", "0")
        total += len(ids)
        failures += s_fail
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# ---------------------------------------------------------------- text


def render_text(result: CheckResult, console) -> None:
    """Grouped by zone, then severity; each policy's remediation once per group. Data verbatim."""
    by_zone: dict[str, list[Violation]] = defaultdict(list)
    for v in result.violations:
        by_zone[v.zone].append(v)
    for zone in sorted(by_zone):
        console.print(styled("\n", (f"zone {zone}", "bold")))
        for sev in SEVERITIES + ("",):
            group = [v for v in by_zone[zone] if v.severity == sev or (sev == "" and v.severity not in SEVERITIES)]
            if not group:
                continue
            console.print(styled("  ", (sev or "other", "bold"), f" ({len(group)})"))
            shown: set[str] = set()
            for v in group:
                colour = "red" if v.enforcement == "mandatory" else "yellow"
                console.print(styled("    ", (v.enforcement, colour), f" {v.policy} ", (f"({v.source})", "dim"),
                                     f" {v.urn.rsplit('::', 1)[-1]} ", (v.type, "dim")))
                console.print(f"      {v.message}")
                rule = result.rules.get(v.policy)
                if rule and rule.remediation and v.policy not in shown:
                    shown.add(v.policy)
                    console.print(styled("      ", ("fix:", "green"), f" {rule.remediation}"))
    for v, s in result.suppressed:
        console.print(styled(("suppressed", "dim"), f" {v.policy} {v.urn} ({s.where()}, until {s.expires}: {s.reason})"))
    for d in result.disabled:
        console.print(disabled_line(d))
    m, a = len(result.mandatory), len(result.violations) - len(result.mandatory)
    verdict = ("FAIL", "bold red") if result.exit_code else ("PASS", "bold green")
    console.print(styled("\n", verdict, f": {m} mandatory, {a} advisory violation(s) in {len(result.zones)} zone(s) "
                         f"({', '.join(result.zones) or 'none'}), {result.resources} resources judged; "
                         f"{len(result.suppressed)} suppressed; {len(result.not_judged)} not judged; "
                         f"checkov: {result.checkov}"))
