"""Benchmark job: compile one service's allowlist of N random public CIDRs (run as a child)."""

import sys
import time

from zones.allowlist import compile_service
from zones.model import PortRange, Quotas

from .generate import random_public_cidrs
import random


def main() -> None:
    n = int(sys.argv[1])
    cidrs = random_public_cidrs(random.Random(n), n)
    q = Quotas(aws_sg_inbound_rules=1000, aws_sgs_per_eni=10_000, gcp_source_ranges_per_rule=5000)
    start = time.perf_counter()
    plan = compile_service("bz1", "api", cidrs, (PortRange(protocol="tcp", from_port=443, to_port=443),), q)
    took = time.perf_counter() - start
    print(f"{n} {len(plan.aggregated)} {len(plan.prefix_lists)} {took:.4f}", file=sys.stderr)


if __name__ == "__main__":
    main()
