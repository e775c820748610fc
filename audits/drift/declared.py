"""What zones/ declares for one zone, in the shapes the live readers produce.

Pure: the allowlist compiler (zones.allowlist.compile_zone) gives per service the prefix lists,
security groups and firewall rules with their CIDRs and ports; the segment policy gives the
segment groups/rules; the zone's data centres give the VPN peers. The VPN crypto is the suite
the program deploys (infra/plans.py, also pure), so drift and program cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from infra import plans
from zones.allowlist import compile_zone
from zones.egress import egress_rules

# A rule/firewall source or port, normalised: ("tcp", 443, 443); a source is a CIDR or "pl:<name>".
Port = tuple[str, int, int]
ALL_PORTS: dict[str, tuple[int, int]] = {"tcp": (0, 65535), "udp": (0, 65535), "icmp": (-1, -1)}

# AWS tunnel option -> the declared values (IKE versions and names as AWS spells them).
AWS_TUNNEL_OPTIONS: dict[str, frozenset] = {
    "IkeVersions": frozenset(plans.IKE_VERSIONS),
    "Phase1EncryptionAlgorithms": frozenset(plans.ENCRYPTIONS),
    "Phase2EncryptionAlgorithms": frozenset(plans.ENCRYPTIONS),
    "Phase1IntegrityAlgorithms": frozenset(plans.INTEGRITIES),
    "Phase2IntegrityAlgorithms": frozenset(plans.INTEGRITIES),
    "Phase1DHGroupNumbers": frozenset(plans.DH_GROUPS),
    "Phase2DHGroupNumbers": frozenset(plans.DH_GROUPS),
}
# GCP REST field names (cipherSuite.phaseN.<field>) from the program's Pulumi spelling.
_GCP_FIELD = {"encryptions": "encryption", "integrities": "integrity", "prves": "prf", "dhs": "dh", "pfs": "pfs"}
GCP_CIPHER: dict[str, dict[str, frozenset]] = {
    "phase1": {_GCP_FIELD[k]: frozenset(v) for k, v in plans.GCP_PHASE1.items()},
    "phase2": {_GCP_FIELD[k]: frozenset(v) for k, v in plans.GCP_PHASE2.items()},
}
GCP_IKE_VERSION = 2


@dataclass(frozen=True)
class PrefixList:
    name: str
    service: str
    family: int
    entries: frozenset[str]


@dataclass(frozen=True)
class SecurityGroup:
    name: str
    scope: str  # "service:<id>" | "segment:<name>" | "default"
    rules: frozenset[tuple[str, int, int, str]]  # (protocol, from, to, source)
    # Egress (protocol, from, to, destination): a CIDR or "pl:<AWS-managed list name>" (zones/egress.py).
    egress: frozenset[tuple[str, int, int, str]] = frozenset()


@dataclass(frozen=True)
class FirewallRule:
    name: str
    scope: str
    action: str  # "allow" | "deny"
    sources: frozenset[str]
    ports: frozenset[Port]  # ("all", 0, 65535) for a deny-all
    target_tags: frozenset[str]
    direction: str = "INGRESS"  # for EGRESS, `sources` are the destination ranges


@dataclass
class DeclaredZone:
    zone: str
    aws_region: str | None
    gcp_project: str | None
    gcp_region: str | None
    prefix_lists: dict[str, PrefixList] = field(default_factory=dict)
    security_groups: dict[str, SecurityGroup] = field(default_factory=dict)
    firewall_rules: dict[str, FirewallRule] = field(default_factory=dict)
    vpn_peers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # dc -> edge IPs


def _port(p) -> Port:
    return (p.protocol, p.from_port, p.to_port)


def declared_zone(platform, zone_id: str) -> DeclaredZone:
    zone = platform.zone(zone_id)
    z = zone.id
    d = DeclaredZone(zone=z, aws_region=zone.aws.region if zone.aws else None,
                     gcp_project=zone.gcp.project if zone.gcp else None, gcp_region=zone.gcp.region if zone.gcp else None)
    seg_cidrs = {s.name: [site.cidr for site in s.sites.values()] for s in zone.segments}
    allowlists = compile_zone(platform, z)
    if zone.aws:
        for svc in allowlists:
            for pl in svc.prefix_lists:
                d.prefix_lists[pl.name] = PrefixList(pl.name, svc.service, pl.family, frozenset(pl.entries))
            for sg in svc.security_groups:
                d.security_groups[sg.name] = SecurityGroup(sg.name, f"service:{svc.service}", frozenset(
                    (*_port(p), f"pl:{pl}") for pl in sg.prefix_lists for p in sg.ports))
        aws_egress = [r for r in egress_rules(zone) if r.cloud == "aws"]
        for seg, _ in zone.cloud_segments("aws"):
            rules = frozenset((*_port(p), cidr) for r in zone.segment_policy if r.to == seg.name
                              for cidr in seg_cidrs[r.from_] for p in r.ports)
            egress = frozenset((*_port(p), dest) for r in aws_egress if r.source == seg.name for p in r.ports
                               for dest in ([f"pl:com.amazonaws.{zone.aws.region}.{r.aws_service}"] if r.aws_service
                                            else r.cidrs))
            d.security_groups[f"{z}-seg-{seg.name}"] = SecurityGroup(f"{z}-seg-{seg.name}", f"segment:{seg.name}", rules,
                                                                     egress)
        d.security_groups["default"] = SecurityGroup("default", "default", frozenset())  # no rules (contracts)
    if zone.gcp:
        for svc in allowlists:
            for fw in svc.firewall_rules:
                d.firewall_rules[fw.name] = FirewallRule(fw.name, f"service:{svc.service}", "allow",
                                                         frozenset(fw.source_ranges), frozenset(map(_port, fw.ports)),
                                                         frozenset({f"svc-{svc.service}"}))
        gcp_segments = {s.name for s, _ in zone.cloud_segments("gcp")}
        for r in zone.segment_policy:
            if r.to not in gcp_segments:
                continue
            for family in (4, 6):
                ranges = [c for c in seg_cidrs[r.from_] if (":" in c) == (family == 6)]
                if ranges:
                    name = f"{z}-seg-{r.from_}-to-{r.to}" + ("-v6" if family == 6 else "")
                    d.firewall_rules[name] = FirewallRule(name, f"segment:{r.to}", "allow", frozenset(ranges),
                                                          frozenset(map(_port, r.ports)), frozenset({f"seg-{r.to}"}))
        for suffix, source in (("", "0.0.0.0/0"), ("-v6", "::/0")):
            name = f"{z}-deny-all-ingress{suffix}"
            d.firewall_rules[name] = FirewallRule(name, "deny-all", "deny", frozenset({source}),
                                                  frozenset({("all", 0, 65535)}), frozenset())
        for r in egress_rules(zone):
            if r.cloud != "gcp":
                continue
            for family in (4, 6):
                ranges = [c for c in r.cidrs if (":" in c) == (family == 6)]
                if ranges:
                    name = f"{z}-seg-{r.source}-{r.name}-egress" + ("-v6" if family == 6 else "")
                    d.firewall_rules[name] = FirewallRule(name, f"segment:{r.source}", "allow", frozenset(ranges),
                                                          frozenset(map(_port, r.ports)), frozenset({f"seg-{r.source}"}),
                                                          "EGRESS")
        for suffix, dest in (("", "0.0.0.0/0"), ("-v6", "::/0")):
            name = f"{z}-deny-all-egress{suffix}"
            d.firewall_rules[name] = FirewallRule(name, "deny-all", "deny", frozenset({dest}),
                                                  frozenset({("all", 0, 65535)}), frozenset(), "EGRESS")
    for dc in zone.datacenters:
        d.vpn_peers[dc] = tuple(platform.datacenter(dc).vpn_edge_ips)
    return d
