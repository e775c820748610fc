"""Integration with the checkov bridge (byside/checkov_bridge): checkov's findings become
violations with source `checkov`, the checks that ran become rules for SARIF, JUnit and the
controls matrix. One checkov run over every plan (checkov's start-up costs seconds), split only
where two plans hold the same URN.

Only resources the stack manages are checkov resources: a read resource (external) is not.
A resource whose policy document is a secret cannot be read by checkov (it would see "[secret]"
and pass it): it is left out and listed as not judged, never counted as passed.
"""

from __future__ import annotations

import re
from typing import Any

from ..console import BadInput
from .model import NotJudged, Plan, Resource, Rule, Violation, zone_of
from .readers.common import SECRET_SIG, SIG_KEY

DOCUMENT = re.compile(r"(^policy$|Policy$|^policyDocument$|^inlinePolicies$)")


def as_export(r: Resource) -> dict[str, Any]:
    """A resource back in `pulumi stack export` shape, what the bridge reads."""
    return {"urn": r.urn, "type": r.type, "custom": r.custom, "inputs": r.inputs, "parent": r.parent or None,
            "provider": r.provider or None, "dependencies": r.dependencies,
            "propertyDependencies": r.property_dependencies}


def _secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG


def secret_documents(r: Resource) -> list[str]:
    """Inputs holding a policy document that is a secret (top level, or inlinePolicies[i].policy)."""
    found = []
    for key, value in sorted(r.inputs.items()):
        if not DOCUMENT.search(key):
            continue
        if _secret(value):
            found.append(key)
        elif isinstance(value, list):
            found += [f"{key}[{i}].policy" for i, v in enumerate(value)
                      if _secret(v) or (isinstance(v, dict) and _secret(v.get("policy")))]
    return found


def batches(plans: list[Plan]) -> list[list[Plan]]:
    out: list[tuple[set[str], list[Plan]]] = []
    for p in plans:
        urns = {r.urn for r in p.resources}
        for seen, group in out:
            if not seen & urns:
                seen |= urns
                group.append(p)
                break
        else:
            out.append((set(urns), [p]))
    return [group for _, group in out]


def gating(bridge, cid: str) -> tuple[str, str]:
    """(severity, enforcement) of a check as the bridge gates it: GATED maps an ID to
    (severity, enforcement) (or, in its first form, to a severity, mandatory); others advisory."""
    g = getattr(bridge, "GATED", {}).get(cid)
    if isinstance(g, (tuple, list)) and len(g) == 2:
        return str(g[0]), str(g[1])
    if isinstance(g, str):
        return g, "mandatory"
    return ("high", "mandatory") if cid.startswith("CKV_BYS_") else ("low", "advisory")


def run(bridge, plans: list[Plan]) -> tuple[str, dict[str, Rule], list[Violation], list[str], list[NotJudged]]:
    """(status line, rules, violations, notes for stderr, what checkov did not judge)."""
    rules: dict[str, Rule] = {}
    violations: list[Violation] = []
    notes: list[str] = []
    not_judged: list[NotJudged] = []
    passed = failed = judged = 0
    version = ""
    for group in batches([p for p in plans if p.resources]):
        origin = {r.urn: p.source for p in group for r in p.resources}
        judged_here = []
        for p in group:
            for r in p.resources:
                if not r.managed:
                    continue  # reads and views: not resources the stack manages (listed by the readers)
                docs = secret_documents(r)
                if docs:
                    not_judged.append(NotJudged(p.source, r.urn, f"not judged by checkov: the document is secret "
                                                                 f"({', '.join(docs)})"))
                    continue
                judged_here.append(as_export(r))
        if not judged_here:
            continue
        res = bridge.run_checkov(judged_here, lambda d: zone_of(d.get("urn", ""), d.get("inputs") or {}))
        if res.parse_errors:
            # The converted plan must be read whole: a resource checkov skipped was not judged.
            raise BadInput("checkov did not read the converted plan: " + "; ".join(res.parse_errors))
        for t in res.unmapped:
            n = sum(1 for u in res.unmapped_resources if u.split("::")[2].split("$")[-1] == t)
            notes.append(f"not judged by checkov (no Terraform mapping): {t} ({n} resource(s))")
        for u in res.unmapped_resources:
            not_judged.append(NotJudged(origin.get(u, ""), u, "not judged by checkov: no Terraform mapping"))
        for cid, name in res.checks.items():
            severity, enforcement = gating(bridge, cid)
            rules[cid] = Rule(id=cid, source="checkov", title=name, severity=severity, enforcement=enforcement,
                              description=name, remediation=f"Make the resource satisfy checkov's {cid}: {name}.")
        for v in res.violations:
            violations.append(Violation(origin=origin.get(v["urn"], ""), **v))
        passed, failed, judged = passed + res.passed, failed + res.failed, judged + res.parsed
        version = res.checkov_version
    status = (f"checkov {version}: {passed} passed, {failed} failed check results on {judged} resources" if version
              else "checkov: no resource to judge")
    return status, rules, violations, notes, not_judged
