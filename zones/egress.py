"""Egress as declared (pure): what each segment's instances may open connections to.

Two sources, nothing else: the source side of every flow of the segment policy (to the target
segment's CIDRs at every site: DC VLANs arrive over the VPN), and the zone's `egress`
declarations, each with its reason (a gateway VPC endpoint, Google's private API range, a named
network, the internet). Used by the program (AWS security group and GCP firewall egress rules),
`byside drift` (the declared side) and `network-egress-declared` (what may leave), so the three
cannot disagree. DNS and NTP need no rule: AWS security groups do not filter the Amazon DNS server
or the Time Sync Service, and GCP firewalls always allow the metadata server (169.254.169.254),
which answers both.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import PortRange

# Google's Private Google Access VIPs (private.googleapis.com, restricted.googleapis.com).
GOOGLE_APIS = {"private": "199.36.153.8/30", "restricted": "199.36.153.4/30"}
INTERNET = ("0.0.0.0/0", "::/0")


@dataclass(frozen=True)
class SegmentFlow:
    source: str
    target: str
    ports: tuple  # PortRange, duplicates removed
    description: str


def segment_flows(policy) -> list[SegmentFlow]:
    """The segment policy with rules of the same (from, to) merged: one firewall rule / one set of
    security group rules per pair, so names stay unique however the YAML splits them."""
    flows: dict[tuple[str, str], SegmentFlow] = {}
    for rule in policy:
        key = (rule.from_, rule.to)
        prev = flows.get(key)
        ports = tuple(dict.fromkeys((prev.ports if prev else ()) + tuple(rule.ports)))
        text = "; ".join(d for d in ((prev.description if prev else ""), rule.description) if d)
        flows[key] = SegmentFlow(rule.from_, rule.to, ports, text)
    return list(flows.values())


@dataclass(frozen=True)
class EgressRule:
    source: str  # the segment whose instances open the connection
    cloud: str  # "aws" | "gcp": where the rule is enforced (its security group / firewall)
    name: str  # stable within (source, cloud): `to-<segment>`, `internet`, `s3`, `google-apis`, `net-<i>`
    cidrs: tuple[str, ...]  # destinations (none for an AWS service: its managed prefix list)
    aws_service: str | None
    ports: tuple[PortRange, ...]
    description: str
    declared: bool  # from the zone's `egress` (with its reason), not implied by the segment policy

    @property
    def world(self) -> bool:
        return any(c in INTERNET for c in self.cidrs)


def _target(e, cloud: str) -> tuple[str, tuple[str, ...], str | None] | None:
    """(name, destinations, AWS service) of a declaration on one cloud, None where it does not apply."""
    t = e.to
    if t.internet:
        return "internet", INTERNET, None
    if t.cidrs:
        return None, tuple(t.cidrs), None
    if t.aws_service:
        return (t.aws_service, (), t.aws_service) if cloud == "aws" else None
    if t.google_apis:
        return ("google-apis", (GOOGLE_APIS[t.google_apis],), None) if cloud == "gcp" else None
    return None


def egress_rules(zone) -> list[EgressRule]:
    """Every egress rule of the zone's cloud segments, in a stable order."""
    cidrs = {s.name: tuple(site.cidr for site in s.sites.values()) for s in zone.segments}
    out: list[EgressRule] = []
    for cloud in ("aws", "gcp"):
        if getattr(zone, cloud) is None:
            continue
        here = {s.name for s, _ in zone.cloud_segments(cloud)}
        for flow in segment_flows(zone.segment_policy):
            if flow.source in here and flow.target in cidrs:
                out.append(EgressRule(flow.source, cloud, f"to-{flow.target}", cidrs[flow.target], None, flow.ports,
                                      flow.description or f"{flow.source} to {flow.target}", False))
        for i, e in enumerate(zone.egress):
            target = _target(e, cloud)
            if target is None:
                continue
            name, dest, service = target
            for seg in e.from_:
                if seg in here:
                    out.append(EgressRule(seg, cloud, name or f"net-{i}", dest, service, tuple(e.ports), e.reason, True))
    return out
