"""Read a plan file into stack-export-shaped resource dicts (what the pack harness and the
checkov bridge both take)."""

from pathlib import Path

from byside.check.plans import read_plan_file


def resources(path: Path) -> list[dict]:
    return [
        {"urn": r.urn, "type": r.type, "custom": r.custom, "inputs": r.inputs, "parent": r.parent,
         "dependencies": r.dependencies, "propertyDependencies": r.property_dependencies}
        for plan in read_plan_file(path) for r in plan.resources
    ]
