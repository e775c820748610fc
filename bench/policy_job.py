"""Benchmark job: every CrossGuard policy, in-process, over one plan file (run as a child).

Uses the same in-process harness as the policy tests (props built as the engine builds them,
wrapped in unknown_checking_proxy). Prints `core_s <seconds>` for the evaluation alone.
"""

import sys
import time
from pathlib import Path

from policies.registry import POLICIES
from tests.policies.harness import run

from .plans import resources as read_resources


def main() -> None:
    resources = read_resources(Path(sys.argv[1]))
    start = time.perf_counter()
    found = sum(len(run(policy, resources)) for policy in POLICIES)
    print(f"core_s {time.perf_counter() - start:.4f}")
    print(f"resources {len(resources)} violations {found}")


if __name__ == "__main__":
    main()
