"""Benchmark job: checkov alone (through the bridge) over one plan file (run as a child).

Prints `core_s <seconds>`: conversion plus the checkov subprocess, without our start-up.
"""

import sys
import time
from pathlib import Path

from byside.checkov_bridge import run_checkov

from .plans import resources as read_resources


def main() -> None:
    resources = read_resources(Path(sys.argv[1]))
    start = time.perf_counter()
    result = run_checkov(resources)
    print(f"core_s {time.perf_counter() - start:.4f}")
    print(f"resources {result.resources} parsed {result.parsed} failed {result.failed} passed {result.passed}")


if __name__ == "__main__":
    main()
