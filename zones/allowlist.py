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


def aggregate(cidrs: Iterable[str | Net]) -> tuple[list[Net], list[Net]]:
    """Collapse overlapping and adjacent blocks; (IPv4, IPv6), each sorted."""
    v4, v6 = [], []
    for c in cidrs:
        net = c if isinstance(c, (ipaddress.IPv4Network, ipaddress.IPv6Network)) else ipaddress.ip_network(c, strict=True)
        (v4 if net.version == 4 else v6).append(net)
    return list(ipaddress.collapse_addresses(v4)), list(ipaddress.collapse_addresses(v6))


def _chunks(items: Sequence, size: int) -> list[Sequence]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def pack_aws(zone: str, service: str, v4: list[Net], v6: list[Net], ports: Sequence[PortRange], q: Quotas
             ) -> tuple[tuple[PrefixListPlan, ...], tuple[SecurityGroupPlan, ...]]:
    per_list = min(q.aws_prefix_list_max_entries, q.aws_sg_inbound_rules // len(ports))
    if per_list < 1:
        raise QuotaExceeded(f"{zone}/{service}: security group rules", len(ports), q.aws_sg_inbound_rules,
                            f"{len(ports)} port ranges, each a rule of at least one entry")
    lists: list[PrefixListPlan] = []
    for family, nets in ((4, v4), (6, v6)):
        for k, chunk in enumerate(_chunks(nets, per_list), start=1):
            lists.append(PrefixListPlan(f"{zone}-{service}-v{family}-{k}", family, tuple(map(str, chunk))))
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


def pack_gcp(zone: str, service: str, v4: list[Net], v6: list[Net], ports: Sequence[PortRange], q: Quotas
             ) -> tuple[FirewallRulePlan, ...]:
    rules = []
    for family, nets in ((4, v4), (6, v6)):
        for k, chunk in enumerate(_chunks(nets, q.gcp_source_ranges_per_rule), start=1):
            rules.append(FirewallRulePlan(f"{zone}-{service}-allow-v{family}-{k}", family, tuple(map(str, chunk)), tuple(ports)))
    return tuple(rules)


def compile_service(zone: str, service: str, cidrs: Sequence[str | Net], ports: Sequence[PortRange], q: Quotas,
                    subscribers: Sequence[str] = ()) -> ServiceAllowlist:
    v4, v6 = aggregate(cidrs)
    pls, sgs = pack_aws(zone, service, v4, v6, ports, q)
    return ServiceAllowlist(
        zone=zone, service=service, ports=tuple(ports), input_count=len(cidrs),
        subscribers=tuple(sorted(set(subscribers))), aggregated=tuple(map(str, v4 + v6)),
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
