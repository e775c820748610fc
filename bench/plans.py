"""Plans for the benchmarks: the Terraform plan JSON checkov reads, converted from a Pulumi plan by
the gate's own bridge, and a larger stack made of copies of a generated one."""

from __future__ import annotations

import json
import re
from pathlib import Path

from byside.check.checkov_adapter import as_export
from byside.check.plans import read_plan_file
from byside.checkov_bridge.convert import convert, dumps


def converted(plan_files: list[Path], out: Path) -> int:
    """Write the Terraform plan JSON checkov judges for these plans (what `byside check` gives
    checkov in one run: every managed resource); return how many resources it holds."""
    conv = convert([as_export(r) for f in plan_files for p in read_plan_file(f) for r in p.resources if r.managed])
    out.write_text(dumps(conv.plan), encoding="utf-8")
    return len(conv.addresses)


def multiply(plan_file: Path, copies: int, out: Path) -> int:
    """One stack of `copies` × the plan's resources: every resource but the stack and its providers
    is copied under a new name (`<name>-c<k>`), its references (parent, dependencies, property
    dependencies) pointing at the copies of the same `k`. Returns the number of resources."""
    doc = json.loads(plan_file.read_text(encoding="utf-8"))
    base = doc["deployment"]["resources"]
    shared = {r["urn"] for r in base if r["type"] == "pulumi:pulumi:Stack" or r["type"].startswith("pulumi:providers:")}
    resources = list(base)
    for k in range(2, copies + 1):
        def rename(urn: str, k: int = k) -> str:
            return urn if urn in shared or not urn else f"{urn}-c{k}"

        for r in base:
            if r["urn"] in shared:
                continue
            c = dict(r, urn=rename(r["urn"]))
            if r.get("parent"):
                c["parent"] = rename(r["parent"])
            c["dependencies"] = [rename(u) for u in r.get("dependencies") or []]
            c["propertyDependencies"] = {p: [rename(u) for u in us] for p, us in (r.get("propertyDependencies") or {}).items()}
            inputs = r.get("inputs") or {}
            if isinstance(inputs.get("name"), str):  # names must differ too (the pack links by name)
                c["inputs"] = dict(inputs, name=re.sub(r"$", f"-c{k}", inputs["name"]))
            resources.append(c)
    doc["deployment"]["resources"] = resources
    out.write_text(json.dumps(doc), encoding="utf-8")
    return len(resources)
