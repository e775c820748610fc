"""The allowlist compiler: subscriber CIDRs -> aggregated ranges -> packed within quotas.

Pure functions, no cloud SDK. For each zone and service the union of its subscribers'
CIDRs is aggregated (overlapping and adjacent blocks collapsed), then packed into
  * AWS managed prefix lists referenced by security groups. A rule that references a
    prefix list counts the list's *max entries* against the group's inbound-rule quota,
    once per port range, so a list may hold at most floor(rules / port ranges) entries;
    a network interface takes at most `aws_sgs_per_eni` groups;
  * GCP firewall rules of at most `gcp_source_ranges_per_rule` source ranges, IPv4 and
    IPv6 never mixed in one rule.
When an allowlist cannot fit, QuotaExceeded carries needed vs available: nothing is
emitted that AWS or GCP would reject.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .addressing import Net
from .model import PortRange, Quotas


class QuotaExceeded(ValueError):
    def __init__(self, what: str, needed: int, available: int, detail: str):
        self.what, self.needed, self.available = what, needed, available
        super().__init__(f"{what}: needs {needed}, quota allows {available} ({detail})")


@dataclass(frozen=True)
class PrefixListPlan:
    name: str
    family: int  # 4 or 6
    entries: tuple[str, ...]

    @property
    def max_entries(self) -> int:
        # Tight on purpose: max entries is what the SG rule quota is charged.
        return len(self.entries)


@dataclass(frozen=True)
class SecurityGroupPlan:
    name: str
    prefix_lists: tuple[str, ...]  # names of PrefixListPlan
    ports: tuple[PortRange, ...]
    rule_cost: int  # sum of referenced lists' max entries x port ranges


@dataclass(frozen=True)
class FirewallRulePlan:
    name: str
    family: int
    source_ranges: tuple[str, ...]
    ports: tuple[PortRange, ...]


@dataclass(frozen=True)
class ServiceAllowlist:
    zone: str
    service: str
    ports: tuple[PortRange, ...]
    input_count: int
    subscribers: tuple[str, ...]
    aggregated: tuple[str, ...]
    prefix_lists: tuple[PrefixListPlan, ...] = field(default=())
    security_groups: tuple[SecurityGroupPlan, ...] = field(default=())
    firewall_rules: tuple[FirewallRulePlan, ...] = field(default=())

    def summary(self) -> dict:
        return {
            "zone": self.zone,
            "service": self.service,
            "ports": [p.label for p in self.ports],
            "subscribers": list(self.subscribers),
            "cidrs_declared": self.input_count,
            "cidrs_aggregated": len(self.aggregated),
            "aws_prefix_lists": [{"name": p.name, "family": f"ipv{p.family}", "max_entries": p.max_entries} for p in self.prefix_lists],
            "aws_security_groups": [{"name": s.name, "prefix_lists": list(s.prefix_lists), "rules_charged": s.rule_cost} for s in self.security_groups],
            "gcp_firewall_rules": [{"name": r.name, "family": f"ipv{r.family}", "source_ranges": len(r.source_ranges)} for r in self.firewall_rules],
        }


def _interval(c: str | Net) -> tuple[int, int, int]:
    """(family, first, last) as integers; plain string work, ~10x faster than ip_network."""
    if not isinstance(c, str):
        return c.version, int(c.network_address), int(c.broadcast_address)
    addr, _, plen = c.partition("/")
    if ":" in addr:
        family, bits, first = 6, 128, int(ipaddress.IPv6Address(addr))
    else:
        a, b, cc, d = addr.split(".")
        family, bits, first = 4, 32, (int(a) << 24) | (int(b) << 16) | (int(cc) << 8) | int(d)
    size = 1 << (bits - int(plen))
    if first % size:
        raise ValueError(f"{c} has host bits set")
    return family, first, first + size - 1


def _blocks(first: int, last: int, bits: int) -> list[tuple[int, int]]:
    """The minimal CIDR blocks (start, prefix) covering [first, last]."""
    out = []
    while first <= last:
        size = first & -first if first else 1 << bits
        while first + size - 1 > last:
            size >>= 1
        out.append((first, bits - size.bit_length() + 1))
        first += size
    return out


def _text(family: int, start: int, prefix: int) -> str:
    if family == 4:
        return f"{start >> 24}.{(start >> 16) & 255}.{(start >> 8) & 255}.{start & 255}/{prefix}"
    return f"{ipaddress.IPv6Address(start)}/{prefix}"


def aggregate_text(cidrs: Iterable[str | Net]) -> tuple[list[str], list[str]]:
    """Collapse overlapping and adjacent blocks; (IPv4, IPv6) CIDR strings, each sorted.

    Integer interval merge rather than ipaddress.collapse_addresses: same result, and
    100,000 CIDRs aggregate in a fraction of a second instead of seconds.
    """
    spans: dict[int, list[tuple[int, int]]] = {4: [], 6: []}
    for c in cidrs:
        family, first, last = _interval(c)
        spans[family].append((first, last))
    result: dict[int, list[str]] = {4: [], 6: []}
    for family, items in spans.items():
        items.sort()
        merged: list[list[int]] = []
        for first, last in items:
            if merged and first <= merged[-1][1] + 1:
                if last > merged[-1][1]:
                    merged[-1][1] = last
            else:
                merged.append([first, last])
        bits = 32 if family == 4 else 128
        result[family] = [_text(family, start, p) for first, last in merged for start, p in _blocks(first, last, bits)]
    return result[4], result[6]


def aggregate(cidrs: Iterable[str | Net]) -> tuple[list[Net], list[Net]]:
    """As aggregate_text, as ipaddress networks."""
    v4, v6 = aggregate_text(cidrs)
    return [ipaddress.ip_network(c) for c in v4], [ipaddress.ip_network(c) for c in v6]


def _chunks(items: Sequence, size: int) -> list[Sequence]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def pack_aws(zone: str, service: str, v4: list[str], v6: list[str], ports: Sequence[PortRange], q: Quotas
             ) -> tuple[tuple[PrefixListPlan, ...], tuple[SecurityGroupPlan, ...]]:
    per_list = min(q.aws_prefix_list_max_entries, q.aws_sg_inbound_rules // len(ports))
    if per_list < 1:
        raise QuotaExceeded(f"{zone}/{service}: security group rules", len(ports), q.aws_sg_inbound_rules,
                            f"{len(ports)} port ranges, each a rule of at least one entry")
    lists: list[PrefixListPlan] = []
    for family, nets in ((4, v4), (6, v6)):
        for k, chunk in enumerate(_chunks(nets, per_list), start=1):
            lists.append(PrefixListPlan(f"{zone}-{service}-v{family}-{k}", family, tuple(chunk)))
    # First-fit decreasing into groups; deterministic (stable sort on size, then name).
    cost = {pl.name: pl.max_entries * len(ports) for pl in lists}
    bins: list[list[str]] = []
    loads: list[int] = []
    for pl in sorted(lists, key=lambda p: (-cost[p.name], p.name)):
        for i, load in enumerate(loads):
            if load + cost[pl.name] <= q.aws_sg_inbound_rules:
                bins[i].append(pl.name)
                loads[i] += cost[pl.name]
                break
        else:
            bins.append([pl.name])
            loads.append(cost[pl.name])
    if len(bins) > q.aws_sgs_per_eni:
        total = sum(cost.values())
        raise QuotaExceeded(
            f"{zone}/{service}: security groups per network interface", len(bins), q.aws_sgs_per_eni,
            f"{len(v4) + len(v6)} aggregated CIDRs x {len(ports)} port ranges = {total} rules charged, "
            f"{q.aws_sg_inbound_rules} per group")
    groups = tuple(
        SecurityGroupPlan(f"{zone}-{service}-allow-{i}", tuple(sorted(names)), tuple(ports), loads[i - 1])
        for i, names in enumerate(bins, start=1)
    )
    return tuple(lists), groups


def pack_gcp(zone: str, service: str, v4: list[str], v6: list[str], ports: Sequence[PortRange], q: Quotas
             ) -> tuple[FirewallRulePlan, ...]:
    rules = []
    for family, nets in ((4, v4), (6, v6)):
        for k, chunk in enumerate(_chunks(nets, q.gcp_source_ranges_per_rule), start=1):
            rules.append(FirewallRulePlan(f"{zone}-{service}-allow-v{family}-{k}", family, tuple(chunk), tuple(ports)))
    return tuple(rules)


def compile_service(zone: str, service: str, cidrs: Sequence[str | Net], ports: Sequence[PortRange], q: Quotas,
                    subscribers: Sequence[str] = ()) -> ServiceAllowlist:
    v4, v6 = aggregate_text(cidrs)
    pls, sgs = pack_aws(zone, service, v4, v6, ports, q)
    return ServiceAllowlist(
        zone=zone, service=service, ports=tuple(ports), input_count=len(cidrs),
        subscribers=tuple(sorted(set(subscribers))), aggregated=tuple(v4 + v6),
        prefix_lists=pls, security_groups=sgs, firewall_rules=pack_gcp(zone, service, v4, v6, ports, q),
    )


def compile_zone(platform, zone_id: str) -> list[ServiceAllowlist]:
    """Every service of the catalogue that some subscriber of the zone is allowlisted to."""
    zone = platform.zone(zone_id)
    out = []
    for svc in platform.platform.services:
        entries = [(a.subscriber, c) for a in zone.allowlists if svc.id in a.services for c in a.cidrs]
        if not entries:
            continue
        out.append(compile_service(zone_id, svc.id, [c for _, c in entries], svc.ports,
                                   platform.platform.quotas, [s for s, _ in entries]))
    return out
