"""Benchmark job: checkov alone (through the bridge) over one plan file (run as a child).

Prints `core_s <seconds>`: conversion plus the checkov subprocess, without our start-up.
"""

import sys
import time
from pathlib import Path

from byside.check.plans import read_plan_file
from byside.checkov_bridge import run_checkov


def main() -> None:
    resources = []
    for plan in read_plan_file(Path(sys.argv[1])):
        for r in plan.resources:
            resources.append({"urn": r.urn, "type": r.type, "custom": r.custom, "inputs": r.inputs,
                              "dependencies": r.dependencies, "propertyDependencies": r.property_dependencies})
    start = time.perf_counter()
    result = run_checkov(resources)
    print(f"core_s {time.perf_counter() - start:.4f}")
    print(f"resources {result.resources} parsed {result.parsed} failed {result.failed} passed {result.passed}")


if __name__ == "__main__":
    main()
