"""Pure layout logic for cloud subnets (kept apart from resource creation, as in awsx)."""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass

from .model import Segment


@dataclass(frozen=True)
class SubnetPlan:
    segment: str
    az: str
    cidr: str
    name: str


def split_for_azs(cidr: str, count: int) -> list[str]:
    """Split a site block into `count` equal subnets (next power of two; extras left free)."""
    net = ipaddress.ip_network(cidr, strict=True)
    bits = math.ceil(math.log2(count)) if count > 1 else 0
    if net.prefixlen + bits > net.max_prefixlen - 4:
        raise ValueError(f"{cidr} is too small to split across {count} availability zones")
    return [str(s) for s in list(net.subnets(prefixlen_diff=bits))[:count]]


def aws_subnets(zone_id: str, segment: Segment, azs: list[str]) -> list[SubnetPlan]:
    """One subnet per AZ for a multi-AZ segment, else one in the first AZ."""
    cidr = segment.sites["aws"].cidr
    use = azs if segment.multi_az else azs[:1]
    if len(use) < 2 and segment.multi_az:
        raise ValueError(f"segment {segment.name!r} is multi-AZ but the zone lists {len(use)} AZ")
    parts = split_for_azs(cidr, len(use))
    return [SubnetPlan(segment.name, az, c, f"{zone_id}-{segment.name}-{az}") for az, c in zip(use, parts)]
