"""Renderers: the same CheckResult as JSON, SARIF 2.1.0, JUnit XML or text. Deterministic: the
same result renders to the same bytes (sorted, no timestamps, no absolute paths)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from ..console import styled
from .gate import ROOT, CheckResult
from .locations import Location, fingerprint, locate
from .model import SEVERITIES, Rule, Violation

FORMATS = ("text", "json", "sarif", "junit")
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
# GitHub code scanning ranks security alerts by a rule's `security-severity` (a CVSS-like score as
# text: over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low). A mandatory rule keeps its
# severity; an advisory one (it never fails the gate) is at most medium, so it never raises a
# critical or high alert (docs/check.md "SARIF").
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
ADVISORY_SECURITY_SEVERITY = {"critical": "6.5", "high": "5.5", "medium": "4.5", "low": "2.0"}
LEVEL = {"mandatory": "error", "advisory": "warning"}
# GitHub's limits on an upload (docs.github.com "SARIF support for code scanning"): results per
# run (hard limit; 5,000 are shown), locations per result, tags per rule.
MAX_RESULTS = 25_000
MAX_RELATED = 1_000


def security_severity(severity: str, enforcement: str) -> str:
    table = SECURITY_SEVERITY if enforcement == "mandatory" else ADVISORY_SECURITY_SEVERITY
    return table.get(severity, table["medium"])


def level(severity: str, enforcement: str) -> str:
    """`error` for what fails the gate; `warning` for advisory findings, `note` for low ones."""
    if enforcement == "mandatory":
        return "error"
    return "note" if severity == "low" else "warning"


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
                    "not_judged": len(result.not_judged), "checkov": result.checkov,
                    **({"baseline": {"source": _relative(result.baseline_source) if result.baseline_source else "",
                                     "new_mandatory": len(result.new_mandatory),
                                     "existing_mandatory": len(result.existing_mandatory)}}
                       if result.baseline is not None else {})},
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
        "locations": [location_json(v, result) for v in result.violations],
    }


def location_json(v: Violation, result: CheckResult) -> dict:
    """Where a violation is shown (the JSON report's `locations`, one per violation, same order)."""
    primary, related = locate(v, result.provenance, result.root)
    return {"fingerprint": fingerprint(v.policy, v.urn, v.message),
            "primary": {"uri": primary.uri, "line": primary.line, "what": primary.what},
            "related": [{"uri": r.uri, "line": r.line, "what": r.what} for r in related]}


def render_json(result: CheckResult) -> str:
    return json.dumps(json_report(result), indent=2, ensure_ascii=False) + "\n"


def disabled_json(result: CheckResult) -> list[dict[str, str]]:
    """Policies turned off by config, {policy, stack, source} (the JSON report's `disabled`)."""
    return [dict(d, source=_relative(d["source"])) for d in result.disabled]


def disabled_line(d: dict[str, str]) -> str:
    return f"policy disabled by config: {d['policy']} (stack {d['stack']}, {_relative(d['source'])})"


# ---------------------------------------------------------------- SARIF


def _relative(path: str, root: Path = ROOT) -> str:
    p = Path(path)
    try:
        return p.resolve().relative_to(root).as_posix()
    except ValueError:
        return p.as_posix() if not p.is_absolute() else p.name


def _rule_ids(result: CheckResult) -> list[str]:
    return sorted(set(result.rules) | {v.policy for v in result.violations})


def effective_enforcement(result: CheckResult, rid: str, rule: Rule | None) -> str:
    """A rule's enforcement in this run: mandatory if any finding of it is (a stack's config can
    raise it), advisory if all its findings are, else the rule's own level."""
    found = {v.enforcement for v in result.violations if v.policy == rid}
    if "mandatory" in found:
        return "mandatory"
    return "advisory" if found else (rule.enforcement if rule else "advisory")


def _sarif_rule(rid: str, rule: Rule | None, enforcement: str) -> dict:
    if rule is None:
        return {"id": rid, "shortDescription": {"text": rid}, "defaultConfiguration": {"level": LEVEL[enforcement]}}
    lvl = level(rule.severity, enforcement)
    return {
        "id": rid,
        "name": "".join(w.capitalize() for w in rid.replace("_", "-").split("-")),
        "shortDescription": {"text": rule.title or rid},
        "fullDescription": {"text": rule.description or rule.title or rid},
        "help": {"text": rule.remediation or rule.description or rid,
                 "markdown": f"**Remediation:** {rule.remediation}" + (f"\n\n**Service Description:** {rule.clause}"
                                                                       if rule.clause else "")},
        "defaultConfiguration": {"level": lvl},
        "properties": {"tags": ["security", rule.source, enforcement], "precision": "very-high",
                       "problem.severity": "recommendation" if lvl == "note" else lvl,
                       "security-severity": security_severity(rule.severity, enforcement),
                       "severity": rule.severity, "enforcement": enforcement},
    }


def _physical(loc: Location) -> dict:
    return {"artifactLocation": {"uri": loc.uri, "uriBaseId": "%SRCROOT%"}, "region": {"startLine": loc.line}}


def sarif_result(v: Violation, result: CheckResult, index: dict[str, int]) -> dict:
    primary, related = locate(v, result.provenance, result.root)
    related = related[:MAX_RELATED]
    links = "; ".join(f"[{loc.where}]({i}) {loc.what}" for i, loc in enumerate(related, start=1))
    text = f"{v.urn.rsplit('::', 1)[-1]} ({v.type}): {v.message}" + (f" — see also {links}" if links else "")
    out = {
        "ruleId": v.policy,
        "ruleIndex": index[v.policy],
        "level": level(v.severity, v.enforcement),
        "message": {"text": text},
        "locations": [{
            "physicalLocation": _physical(primary),
            "message": {"text": primary.what},
            "logicalLocations": [{"fullyQualifiedName": v.urn, "name": v.urn.rsplit("::", 1)[-1],
                                  "kind": "resource"}],
        }],
        "partialFingerprints": {"bysideViolation/v1": fingerprint(v.policy, v.urn, v.message)},
        "properties": {"zone": v.zone, "urn": v.urn, "type": v.type, "source": v.source,
                       "severity": v.severity, "enforcement": v.enforcement},
    }
    if related:
        out["relatedLocations"] = [{"id": i, "physicalLocation": _physical(loc), "message": {"text": loc.what}}
                                   for i, loc in enumerate(related, start=1)]
    return out


def render_sarif(result: CheckResult, version: str = "0.1.0") -> str:
    """One run (code scanning takes one run per category); no automationDetails, so the upload's
    `category` input names the analysis (an id in the file would take precedence over it)."""
    ids = _rule_ids(result)
    index = {rid: i for i, rid in enumerate(ids)}
    # Within GitHub's limit: mandatory first (the list is sorted by zone and severity), the rest
    # counted in a notification and kept whole in the JSON report.
    ordered = sorted(result.violations, key=lambda v: (v.enforcement != "mandatory",) + v.sort_key())
    shown = sorted(ordered[:MAX_RESULTS], key=Violation.sort_key)
    results = [sarif_result(v, result, index) for v in shown]
    notes = list(result.notes)
    if len(ordered) > MAX_RESULTS:
        notes.append(f"{len(ordered) - MAX_RESULTS} advisory result(s) beyond GitHub's {MAX_RESULTS:,} per run are "
                     f"left out of this SARIF file; the JSON report (--format json) lists every one")
    # A policy turned off by config is a notification about the tool's configuration
    # (SARIF 2.1.0 §3.20.22 invocation.toolConfigurationNotifications), tied to the rule it disables.
    notifications = []
    for d in result.disabled:
        rule = {"id": d["policy"], **({"index": index[d["policy"]]} if d["policy"] in index else {})}
        notifications.append({"descriptor": {"id": "policy-disabled"}, "associatedRule": rule, "level": "note",
                              "message": {"text": disabled_line(d)}})
    for cid, why in sorted(result.skipped_checks.items()):
        notifications.append({"descriptor": {"id": "check-skipped"}, "associatedRule": {"id": cid}, "level": "note",
                              "message": {"text": skipped_line(cid, why)}})
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "byside-check", "version": version,
                                "informationUri": "https://www.pulumi.com/docs/iac/using-pulumi/crossguard/",
                                "rules": [_sarif_rule(rid, result.rules.get(rid),
                                                      effective_enforcement(result, rid, result.rules.get(rid)))
                                          for rid in ids]}},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The repository root"}}},
            "columnKind": "utf16CodeUnits",
            "results": results,
            "invocations": [{
                "executionSuccessful": True,
                "toolExecutionNotifications": [{"level": "note", "message": {"text": n}} for n in notes],
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


def skipped_line(cid: str, why: str) -> str:
    return f"checkov check switched off in the gate: {cid} ({why})"


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


def render_text(result: CheckResult, console, verbose: bool = False) -> None:
    """Mandatory findings in full, grouped by zone then severity, each with where it comes from
    (the zone-file line of its cause, else the program line) and its policy's remediation once per
    group; advisory findings as a count per check (in full with `verbose`). Data verbatim."""
    by_zone: dict[str, list[Violation]] = defaultdict(list)
    for v in result.violations:
        if verbose or v.enforcement == "mandatory":
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
                primary, related = locate(v, result.provenance, result.root)
                console.print(styled("      ", ("at", "dim"), f" {primary.where} ({primary.what})"))
                rule = result.rules.get(v.policy)
                if rule and rule.remediation and v.policy not in shown:
                    shown.add(v.policy)
                    console.print(styled("      ", ("fix:", "green"), f" {rule.remediation}"))
    advisory = [v for v in result.violations if v.enforcement != "mandatory"]
    if advisory and not verbose:
        counts: dict[str, list[Violation]] = defaultdict(list)
        for v in advisory:
            counts[v.policy].append(v)
        console.print(styled("\n", ("advisory", "bold yellow"), f" ({len(advisory)}; --verbose lists each)"))
        for rid in sorted(counts):
            found = counts[rid]
            zones_of = sorted({v.zone for v in found})
            rule = result.rules.get(rid)
            title = (rule.description or rule.title or rid) if rule else rid
            console.print(f"  {len(found):>4}  {rid} ({found[0].source}, {found[0].severity}) {title} "
                          f"[{', '.join(zones_of)}]")
    if verbose:
        for v, s in result.suppressed:
            console.print(styled(("suppressed", "dim"), f" {v.policy} {v.urn} ({s.where()}, until {s.expires}: "
                                 f"{s.reason})"))
    else:
        by_entry: dict[tuple, list] = defaultdict(list)
        for v, s in result.suppressed:
            by_entry[(_relative(s.file), s.line, s.policy, str(s.expires), s.reason)].append(v)
        for (file, line, policy, expires, reason), found in sorted(by_entry.items()):
            console.print(styled(("suppressed", "dim"), f" {len(found)} {policy} ({file}:{line}, until {expires}: "
                                 f"{reason})"))
    for d in result.disabled:
        console.print(disabled_line(d))
    if result.skipped_checks:
        console.print(styled(("switched off", "dim"), f" {len(result.skipped_checks)} checkov check(s) "
                             f"({', '.join(sorted(result.skipped_checks))}; reasons in docs/checkov.md)"))
    if result.baseline is not None:
        console.print(styled(("baseline", "bold"), f" {result.baseline_source}: {len(result.new_mandatory)} new "
                             f"mandatory violation(s) (these fail the gate), {len(result.existing_mandatory)} "
                             f"existing remain"))
    m, a = len(result.mandatory), len(result.violations) - len(result.mandatory)
    verdict = ("FAIL", "bold red") if result.exit_code else ("PASS", "bold green")
    console.print(styled("\n", verdict, f": {m} mandatory, {a} advisory violation(s) in {len(result.zones)} zone(s) "
                         f"({', '.join(result.zones) or 'none'}), {result.resources} resources judged; "
                         f"{len(result.suppressed)} suppressed; {len(result.not_judged)} not judged; "
                         f"checkov: {result.checkov}"))
