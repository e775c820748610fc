"""Firewall rules: compiled allowlists (target tag per service, IPv4 and IPv6 apart), the segment
policy (target tag per segment), an explicit deny-all ingress at the lowest priority; and egress as
zones/egress.py derives it (the source side of the segment policy, the declared egress) above a
deny-all egress, which replaces GCP's implied allow-all egress rule."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from zones.allowlist import ServiceAllowlist
from zones.egress import EgressRule
from zones.model import PortRange, SegmentRule

from .. import plans

LOWEST_PRIORITY = 65534  # 65535 is GCP's implied rules; 65534 is the lowest a rule can take


@dataclass
class GcpFirewallArgs:
    zone_id: str
    network_id: pulumi.Input[str]
    allowlists: list[ServiceAllowlist]
    segment_cidrs: dict[str, list[str]]
    gcp_segments: list[str]
    segment_policy: list[SegmentRule]
    egress: list[EgressRule] = None  # the zone's GCP egress (zones.egress.egress_rules, cloud "gcp")


def allows(ports: tuple[PortRange, ...] | list[PortRange]) -> list[gcp.compute.FirewallAllowArgs]:
    by_proto: dict[str, list[str]] = {}
    for p in ports:
        span = str(p.from_port) if p.from_port == p.to_port else f"{p.from_port}-{p.to_port}"
        by_proto.setdefault(p.protocol, []).append(span)
    return [gcp.compute.FirewallAllowArgs(protocol=proto, ports=spans if proto != "icmp" else None)
            for proto, spans in by_proto.items()]


class GcpFirewall(pulumi.ComponentResource):
    def __init__(self, name: str, args: GcpFirewallArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("byside:gcp:Firewall", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        z = args.zone_id
        log = gcp.compute.FirewallLogConfigArgs(metadata="INCLUDE_ALL_METADATA")
        self.rules: dict[str, gcp.compute.Firewall] = {}
        for svc in args.allowlists:
            for plan in svc.firewall_rules:
                self.rules[plan.name] = gcp.compute.Firewall(
                    plan.name, name=plan.name, network=args.network_id, direction="INGRESS", priority=1000,
                    description=f"{z}: subscribers allowed to {svc.service} (IPv{plan.family})",
                    source_ranges=list(plan.source_ranges), target_tags=[f"svc-{svc.service}"],
                    allows=allows(plan.ports), log_config=log, opts=child)
        for rule in plans.segment_flows(args.segment_policy):
            if rule.target not in args.gcp_segments:
                continue
            cidrs = args.segment_cidrs[rule.source]
            for family in (4, 6):
                ranges = [c for c in cidrs if (":" in c) == (family == 6)]
                if not ranges:
                    continue
                rname = f"{z}-seg-{rule.source}-to-{rule.target}" + ("-v6" if family == 6 else "")
                self.rules[rname] = gcp.compute.Firewall(
                    rname, name=rname, network=args.network_id, direction="INGRESS", priority=1000,
                    description=rule.description or None, source_ranges=ranges, target_tags=[f"seg-{rule.target}"],
                    allows=allows(rule.ports), log_config=log, opts=child)
        for suffix, source in (("", "0.0.0.0/0"), ("-v6", "::/0")):
            rname = f"{z}-deny-all-ingress{suffix}"
            self.rules[rname] = gcp.compute.Firewall(
                rname, name=rname, network=args.network_id, direction="INGRESS", priority=LOWEST_PRIORITY,
                description=f"{z}: deny every ingress not allowed above", source_ranges=[source],
                denies=[gcp.compute.FirewallDenyArgs(protocol="all")], log_config=log, opts=child)
        for rule in args.egress or []:
            for family in (4, 6):
                ranges = [c for c in rule.cidrs if (":" in c) == (family == 6)]
                if not ranges:
                    continue
                rname = f"{z}-seg-{rule.source}-{rule.name}-egress" + ("-v6" if family == 6 else "")
                self.rules[rname] = gcp.compute.Firewall(
                    rname, name=rname, network=args.network_id, direction="EGRESS", priority=1000,
                    description=rule.description[:2048], destination_ranges=ranges, target_tags=[f"seg-{rule.source}"],
                    allows=allows(rule.ports), log_config=log, opts=child)
        for suffix, dest in (("", "0.0.0.0/0"), ("-v6", "::/0")):
            rname = f"{z}-deny-all-egress{suffix}"
            self.rules[rname] = gcp.compute.Firewall(
                rname, name=rname, network=args.network_id, direction="EGRESS", priority=LOWEST_PRIORITY,
                description=f"{z}: deny every egress not allowed above (GCP's implied rule allows all)",
                destination_ranges=[dest], denies=[gcp.compute.FirewallDenyArgs(protocol="all")], log_config=log,
                opts=child)
        self.register_outputs({"firewallIds": {k: r.id for k, r in self.rules.items()}})
