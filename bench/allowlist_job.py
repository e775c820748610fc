"""Benchmark job: compile one service's allowlist from a file of CIDRs (run as a child).

Prints `core_s <seconds>`: the compiler's own time, without interpreter start-up.
"""

import sys
import time
from pathlib import Path

from zones.allowlist import compile_service
from zones.model import PortRange, Quotas


def main() -> None:
    cidrs = Path(sys.argv[1]).read_text().split()
    q = Quotas(aws_sg_inbound_rules=1000, aws_sgs_per_eni=10_000, gcp_source_ranges_per_rule=5000)
    start = time.perf_counter()
    compile_service("bz1", "api", cidrs, (PortRange(protocol="tcp", from_port=443, to_port=443),), q)
    print(f"core_s {time.perf_counter() - start:.4f}")


if __name__ == "__main__":
    main()
