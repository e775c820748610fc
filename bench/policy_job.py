"""Benchmark job: every CrossGuard policy, in-process, over one plan file (run as a child).

Uses the same in-process harness as the policy tests (props built as the engine builds them,
wrapped in unknown_checking_proxy). Prints `core_s <seconds>` for the evaluation alone.
"""

import sys
import time
from pathlib import Path

from byside.check.plans import read_plan_file
from policies.registry import POLICIES
from tests.policies.harness import run


def main() -> None:
    resources = []
    for plan in read_plan_file(Path(sys.argv[1])):
        for r in plan.resources:
            resources.append({"urn": r.urn, "type": r.type, "inputs": r.inputs, "parent": r.parent,
                              "dependencies": r.dependencies, "propertyDependencies": r.property_dependencies})
    start = time.perf_counter()
    found = sum(len(run(policy, resources)) for policy in POLICIES)
    print(f"core_s {time.perf_counter() - start:.4f}")
    print(f"resources {len(resources)} violations {found}")


if __name__ == "__main__":
    main()
