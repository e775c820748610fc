"""Run pack policies offline the way the engine's analyzer servicer does (pulumi_policy/policy.py):
props deserialized with secrets kept as markers (policies/wire.py) and wrapped in
unknown_checking_proxy; stack resources linked by parent/dependencies/propertyDependencies.

Fixture files: see tests/policies/fixtures/README.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
)
from pulumi_policy.proxy import UnknownValueError

from policies.wire import resource_props

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def load(policy_id: str, kind: str) -> list[dict[str, Any]]:
    return json.loads((FIXTURES / policy_id / f"{kind}.json").read_text())


def _opts(res: dict) -> PolicyResourceOptions:
    return PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], res.get("parent"))


def _inputs(res: dict) -> dict:
    return res.get("inputs", res.get("props", {}))


def _name(res: dict) -> str:
    return res.get("name") or res["urn"].rsplit("::", 1)[-1]


def run(policy, resources: list[dict], config: dict | None = None) -> list[tuple[str, str]]:
    """(urn, message) for each violation, in report order. An unknown value a resource policy
    cannot judge becomes ("<urn>", "unknown: <engine message>"), as the engine reports it."""
    found: list[tuple[str, str]] = []
    if isinstance(policy, ResourceValidationPolicy):
        for res in resources:
            args = ResourceValidationArgs(res["type"], resource_props(_inputs(res)), res["urn"], _name(res),
                                          _opts(res), None, config)
            try:
                policy.validate(args, lambda msg, urn=None, _u=res["urn"]: found.append((urn or _u, msg)))
            except UnknownValueError as e:
                found.append((res["urn"], f"unknown: {e.message}"))
        return found
    by_urn: dict[str, PolicyResource] = {}
    for res in resources:
        by_urn[res["urn"]] = PolicyResource(res["type"], resource_props(_inputs(res)), res["urn"], _name(res),
                                            _opts(res), None, None, [], {})
    for res in resources:
        r = by_urn[res["urn"]]
        if res.get("parent") in by_urn:
            r.parent = by_urn[res["parent"]]
        r.dependencies = [by_urn[d] for d in res.get("dependencies", []) if d in by_urn]
        r.property_dependencies = {k: [by_urn[d] for d in v if d in by_urn]
                                   for k, v in res.get("propertyDependencies", {}).items()}
    args = StackValidationArgs(list(by_urn.values()), config)
    policy.validate(args, lambda msg, urn=None: found.append((urn or "", msg)))
    return found


def as_stack_export(resources: list[dict], stack: str = "we1") -> dict:
    """A fixture as a `pulumi stack export` (version 3) document, for `byside check --plan`."""
    out = []
    for res in resources:
        r = {"urn": res["urn"], "type": res["type"], "custom": True, "inputs": _inputs(res), "outputs": {},
             "dependencies": res.get("dependencies", []), "propertyDependencies": res.get("propertyDependencies", {})}
        if res.get("parent"):
            r["parent"] = res["parent"]
        out.append(r)
    return {"version": 3, "deployment": {"manifest": {"time": "2026-01-01T00:00:00Z", "magic": "", "version": ""},
                                         "resources": out}}
