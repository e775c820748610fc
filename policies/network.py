"""Network policies: public admin ports, allowlisted ingress, default deny, segment isolation,
flow logs — over AWS security groups (inline, SecurityGroupRule, vpc ingress/egress rules,
default groups, managed prefix lists) and GCP firewalls, networks and subnetworks."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


from .build import resource_policy, stack_policy
from .common import (
    INTERNET_V4,
    INTERNET_V6,
    UNKNOWN,
    Net,
    PortSpan,
    as_list,
    display,
    get,
    is_internal,
    known_str,
    labels_of,
    number,
    parse_net,
    platform,
    proto_name,
    span_covers,
    span_hits,
    span_label,
    zone_model,
    zone_of,
)

SG = "aws:ec2/securityGroup:SecurityGroup"
DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
VPC_INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
VPC_EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
PREFIX_LIST = "aws:ec2/managedPrefixList:ManagedPrefixList"
FIREWALL = "gcp:compute/firewall:Firewall"
VPC = "aws:ec2/vpc:Vpc"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
GCP_NETWORK = "gcp:compute/network:Network"
GCP_SUBNET = "gcp:compute/subnetwork:Subnetwork"

# Ports that must never face the internet; not zone facts (the same everywhere), overridable
# through the policy's `adminPorts` config.
ADMIN_PORTS: dict[int, str] = {
    22: "SSH", 1433: "SQL Server", 1521: "Oracle", 3306: "MySQL", 3389: "RDP", 5432: "PostgreSQL",
    6379: "Redis", 27017: "MongoDB",
}
# Google's load-balancer health-check ranges: provider facts, documented by Google, that a GCP
# firewall must admit for load balancing; they are not subscriber traffic.
GCP_HEALTH_CHECK_RANGES = tuple(parse_net(n) for n in ("35.191.0.0/16", "130.211.0.0/22"))


@dataclass(frozen=True)
class Rule:
    where: str
    direction: str  # "ingress" | "egress"
    sources: tuple[str, ...]  # CIDRs (ingress: sources; egress: destinations)
    spans: tuple[PortSpan, ...]
    source_tags: tuple[str, ...] = ()
    target_tags: tuple[str, ...] | None = None  # GCP; None = every instance of the network
    gcp: bool = False


def _aws_span(protocol: Any, lo: Any, hi: Any) -> PortSpan:
    proto = proto_name(protocol)
    if proto == "all":
        return ("all", 0, 65535)
    a, b = number(lo), number(hi)
    if a is None or b is None or (proto in ("tcp", "udp") and a <= 0 and b <= 0):
        return (proto, 0, 65535)
    return (proto, int(a), int(b))


def _cidrs(*values: Any) -> tuple[str, ...]:
    out = []
    for v in values:
        out += [c for c in (known_str(x) for x in as_list(v)) if c]
    return tuple(out)


def _aws_inline(props: Any, key: str) -> list[Rule]:
    rules = []
    for i, item in enumerate(as_list(get(props, key))):
        if not isinstance(item, Mapping):
            continue
        span = _aws_span(get(item, "protocol"), get(item, "fromPort"), get(item, "toPort"))
        rules.append(Rule(f"{key}[{i}]", key, _cidrs(get(item, "cidrBlocks"), get(item, "ipv6CidrBlocks")), (span,)))
    return rules


def _gcp_spans(allows: Any) -> tuple[PortSpan, ...]:
    spans: list[PortSpan] = []
    for a in as_list(allows):
        proto = proto_name(get(a, "protocol", default="all"))
        ports = [p for p in as_list(get(a, "ports")) if isinstance(p, (str, int))]
        if proto == "all":
            spans.append(("all", 0, 65535))
        elif not ports:
            spans.append((proto, 0, 65535))
        for p in ports:
            lo, _, hi = str(p).partition("-")
            spans.append((proto, int(lo), int(hi or lo)))
    return tuple(spans)


def rules_of(resource_type: str, props: Any) -> list[Rule]:
    """Every allow rule a resource carries, normalised across AWS and GCP shapes."""
    if resource_type in (SG, DEFAULT_SG):
        return _aws_inline(props, "ingress") + _aws_inline(props, "egress")
    if resource_type == SG_RULE:
        direction = known_str(get(props, "type")) or "ingress"
        span = _aws_span(get(props, "protocol"), get(props, "fromPort"), get(props, "toPort"))
        return [Rule(f"{direction} rule", direction, _cidrs(get(props, "cidrBlocks"), get(props, "ipv6CidrBlocks")), (span,))]
    if resource_type in (VPC_INGRESS, VPC_EGRESS):
        direction = "ingress" if resource_type == VPC_INGRESS else "egress"
        span = _aws_span(get(props, "ipProtocol"), get(props, "fromPort"), get(props, "toPort"))
        return [Rule(f"{direction} rule", direction, _cidrs(get(props, "cidrIpv4"), get(props, "cidrIpv6")), (span,))]
    if resource_type == FIREWALL:
        if get(props, "disabled") is True or not as_list(get(props, "allows")):
            return []
        direction = (known_str(get(props, "direction")) or "INGRESS").lower()
        spans = _gcp_spans(get(props, "allows"))
        targets = tuple(t for t in (known_str(x) for x in as_list(get(props, "targetTags"))) if t) or None
        if direction == "egress":
            return [Rule("firewall", "egress", _cidrs(get(props, "destinationRanges")) or ("0.0.0.0/0",), spans,
                         target_tags=targets, gcp=True)]
        sources = _cidrs(get(props, "sourceRanges"))
        tags = tuple(t for t in (known_str(x) for x in as_list(get(props, "sourceTags"))) if t)
        if not sources and not tags and not as_list(get(props, "sourceServiceAccounts")):
            sources = ("0.0.0.0/0",)  # GCP's default source for an ingress rule with none given
        return [Rule("firewall", "ingress", sources, spans, tags, targets, gcp=True)]
    return []


def _admin_ports(args) -> dict[int, str]:
    ports = (args.get_config() or {}).get("adminPorts")
    if ports:
        return {int(p): ADMIN_PORTS.get(int(p), "admin") for p in ports}
    return ADMIN_PORTS


# ---------------------------------------------------------------- network-no-public-admin-ingress


def _no_public_admin(args, report_violation) -> None:
    admin = sorted(_admin_ports(args).items())
    for rule in rules_of(args.resource_type, args.props):
        if rule.direction != "ingress":
            continue
        for src in rule.sources:
            if parse_net(src) not in (INTERNET_V4, INTERNET_V6):
                continue
            hits = [f"{label} ({port})" for port, label in admin if any(span_hits(s, "tcp", port) for s in rule.spans)]
            if hits:
                spans = ", ".join(span_label(s) for s in rule.spans)
                report_violation(f"{rule.where} allows {spans} from {src}: exposes {', '.join(hits)}", None)


no_public_admin_ingress = resource_policy(
    "network-no-public-admin-ingress", _no_public_admin,
    config={"adminPorts": {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 65535},
                           "description": "TCP ports that must never be open to 0.0.0.0/0 or ::/0"}})


# ---------------------------------------------------------------- network-ingress-allowlisted


@dataclass(frozen=True)
class _Allowed:
    service: str
    nets: tuple[Net, ...]
    spans: tuple[PortSpan, ...]


@lru_cache(maxsize=64)
def _allowlist(zone_id: str) -> tuple[_Allowed, ...]:
    out = []
    for sa in zone_model(zone_id).allowlist:  # zones/allowlist.py compile_zone, in the zone facts
        nets = tuple(n for n in (parse_net(c) for c in sa.aggregated) if n is not None)
        spans = tuple((p.protocol, p.from_port, p.to_port) for p in sa.ports)
        out.append(_Allowed(sa.service, nets, spans))
    return tuple(out)


def _within(net: Net, nets: tuple[Net, ...]) -> bool:
    return any(net.version == n.version and net.subnet_of(n) for n in nets)


def _judge_source(zone_id: str, where: str, src: str, spans: tuple[PortSpan, ...] | None) -> str | None:
    net = parse_net(src)
    if net is None:
        return f"{where}: source {src!r} is not a CIDR"
    services = [a for a in _allowlist(zone_id) if _within(net, a.nets)]
    if not services:
        return f"{where}: source {src} is not in zone {zone_id}'s subscriber allowlists"
    for span in spans or ():
        if not any(span_covers(s, span) for a in services for s in a.spans):
            names = ", ".join(a.service for a in services)
            ports = ", ".join(span_label(s) for a in services for s in a.spans)
            return f"{where}: source {src} is allowlisted in zone {zone_id} for {names} ({ports}), not for {span_label(span)}"
    return None


def _ingress_allowlisted(args, report_violation) -> None:
    zone_id = zone_of(args.urn, args.props)
    if zone_model(zone_id) is None:
        return  # zone-aware: zones/ does not know this zone
    if args.resource_type == PREFIX_LIST:
        name = known_str(get(args.props, "name")) or args.name
        m = re.fullmatch(rf"{re.escape(zone_id)}-(?P<svc>.+)-v[46]-\d+", name)
        service = m.group("svc") if m else None
        for i, entry in enumerate(as_list(get(args.props, "entries"))):
            cidr = known_str(get(entry, "cidr"))
            net = parse_net(cidr) if cidr else None
            if net is None or is_internal(net):
                continue
            allowed = [a for a in _allowlist(zone_id) if service is None or a.service == service]
            if not any(_within(net, a.nets) for a in allowed):
                scope = f"service {service}" if service else "any service"
                report_violation(f"entries[{i}]: {cidr} is not in zone {zone_id}'s subscriber allowlist for {scope}", None)
        return
    for rule in rules_of(args.resource_type, args.props):
        if rule.direction != "ingress":
            continue
        for src in rule.sources:
            net = parse_net(src)
            if net is not None and (is_internal(net) or (rule.gcp and _within(net, GCP_HEALTH_CHECK_RANGES))):
                continue
            problem = _judge_source(zone_id, rule.where, src, rule.spans)
            if problem:
                report_violation(problem, None)


ingress_allowlisted = resource_policy("network-ingress-allowlisted", _ingress_allowlisted)


# ---------------------------------------------------------------- stack helpers


def linked(resource, key: str, candidates: dict[str, Any], by_value: dict[str, Any]) -> list:
    """Resources `resource.props[key]` points at: through property_dependencies (the engine knows
    them even when IDs are unknown at preview); else, for a value unknown at preview, the one
    candidate among the resource's dependencies (several would be a guess: none is taken); else
    by the known value (id, name, ARN or the last segment of a self link)."""
    found = [d for d in (resource.property_dependencies or {}).get(key, []) if d.urn in candidates]
    if found:
        return found
    raw = get(resource.props, key)
    if raw is UNKNOWN:
        deps = [d for d in (resource.dependencies or []) if d.urn in candidates]
        return deps if len(deps) == 1 else []
    value = known_str(raw)
    if value:
        hit = by_value.get(value) or by_value.get(value.rsplit("/", 1)[-1])
        if hit is not None:
            return [hit]
    return []


def value_index(resources) -> dict[str, Any]:
    """id / name / selfLink / arn -> resource, for the fallback match on known values."""
    out: dict[str, Any] = {}
    for r in resources:
        for key in ("id", "arn", "selfLink", "name"):
            v = known_str(get(r.props, key))
            if v:
                out.setdefault(v, r)
    return out


# ---------------------------------------------------------------- network-default-deny


def _is_deny_all(props: Any) -> bool:
    if get(props, "disabled") is True:
        return False
    if (known_str(get(props, "direction")) or "INGRESS").upper() != "INGRESS":
        return False
    if as_list(get(props, "targetTags")) or as_list(get(props, "targetServiceAccounts")):
        return False
    if not any(proto_name(get(d, "protocol")) == "all" for d in as_list(get(props, "denies"))):
        return False
    sources = _cidrs(get(props, "sourceRanges"))
    return not sources or any(parse_net(s) == INTERNET_V4 for s in sources)


def _default_deny(args, report_violation) -> None:
    resources = args.resources
    vpcs = {r.urn: r for r in resources if r.resource_type == VPC}
    networks = {r.urn: r for r in resources if r.resource_type == GCP_NETWORK}
    vpc_values, net_values = value_index(vpcs.values()), value_index(networks.values())
    covered_vpcs: set[str] = set()
    covered_nets: set[str] = set()
    for r in resources:
        if r.resource_type == DEFAULT_SG:
            ingress = [x for x in as_list(get(r.props, "ingress")) if x is not UNKNOWN]
            egress = [x for x in as_list(get(r.props, "egress")) if x is not UNKNOWN]
            if ingress or egress:
                report_violation(f"default security group {display(r.urn, r.name)} has {len(ingress)} ingress and "
                                 f"{len(egress)} egress rules; it must have none", r.urn)
            covered_vpcs.update(v.urn for v in linked(r, "vpcId", vpcs, vpc_values))
        elif r.resource_type == FIREWALL and _is_deny_all(r.props):
            covered_nets.update(n.urn for n in linked(r, "network", networks, net_values))
    for urn, vpc in vpcs.items():
        if urn not in covered_vpcs:
            report_violation(f"VPC {display(urn, vpc.name)} has no DefaultSecurityGroup resource emptying its default "
                             f"group (AWS's default allows all traffic between members and all egress)", urn)
    for urn, net in networks.items():
        if urn not in covered_nets:
            report_violation(f"network {display(urn, net.name)} has no enabled deny-all ingress firewall rule "
                             f"(denies all protocols from 0.0.0.0/0 to every instance)", urn)


default_deny = stack_policy("network-default-deny", _default_deny)


# ---------------------------------------------------------------- network-segment-isolation


@lru_cache(maxsize=64)
def _segment_nets(zone_id: str) -> tuple[tuple[Net, str], ...]:
    zone = zone_model(zone_id)
    return tuple((parse_net(p.cidr), s.name) for s in zone.segments for p in s.sites.values())


@lru_cache(maxsize=64)
def _segment_index(zone_id: str) -> dict[int, tuple[list[int], list[int], list[str]]] | None:
    """Per IP version, the segments' site ranges as sorted, disjoint [start, end] integer intervals,
    so finding the segments a source overlaps is a bisection, not a scan of every segment (a zone
    of 800 segments has 2,400 ranges). None if ranges overlap (the scan then decides)."""
    out: dict[int, tuple[list[int], list[int], list[str]]] = {}
    for version in (4, 6):
        spans = sorted((int(n.network_address), int(n.broadcast_address), seg)
                       for n, seg in _segment_nets(zone_id) if n is not None and n.version == version)
        if any(b[0] <= a[1] for a, b in zip(spans, spans[1:])):
            return None
        out[version] = ([s for s, _, _ in spans], [e for _, e, _ in spans], [g for _, _, g in spans])
    return out


def _overlapping_segments(zone_id: str, net: Net) -> set[str]:
    index = _segment_index(zone_id)
    if index is None:
        return {seg for n, seg in _segment_nets(zone_id) if n.version == net.version and n.overlaps(net)}
    starts, ends, names = index[net.version]
    lo, hi = int(net.network_address), int(net.broadcast_address)
    # Disjoint and sorted: ends are sorted too; the overlapping ranges are [first end >= lo, last start <= hi].
    return set(names[bisect_left(ends, lo):bisect_right(starts, hi)])


@lru_cache(maxsize=64)
def _segment_policy(zone_id: str) -> dict[tuple[str, str], tuple[PortSpan, ...]]:
    out: dict[tuple[str, str], tuple[PortSpan, ...]] = {}
    for rule in zone_model(zone_id).segment_policy:
        out[(rule.from_, rule.to)] = out.get((rule.from_, rule.to), ()) + tuple(
            (p.protocol, p.from_port, p.to_port) for p in rule.ports)
    return out


@lru_cache(maxsize=64)
def _segment_names(zone_id: str) -> tuple[frozenset[str], dict[str, str]]:
    """The zone's segment names, and service -> the segment it listens in."""
    return (frozenset(s.name for s in zone_model(zone_id).segments),
            {s.id: s.segment for s in platform().platform.services})


@lru_cache(maxsize=64)
def _gcp_segments(zone_id: str) -> frozenset[str]:
    """Segments with a GCP site: where a firewall rule without target tags applies."""
    return frozenset(s.name for s in zone_model(zone_id).segments if "gcp" in s.sites)


def _segments_by_tag(zone_id: str, tags: Any) -> set[str]:
    """Segments named by a resource's `segment` / `service` tag (AWS) or network tags (GCP)."""
    names, services = _segment_names(zone_id)
    out: set[str] = set()
    if isinstance(tags, Mapping):
        seg, svc = known_str(get(tags, "segment")), known_str(get(tags, "service"))
        if seg in names:
            out.add(seg)
        if svc in services:
            out.add(services[svc])
    else:
        for t in tags or ():
            if t.startswith("seg-") and t[4:] in names:
                out.add(t[4:])
            if t.startswith("svc-") and t[4:] in services:
                out.add(services[t[4:]])
    return out


def _sources_segments(zone_id: str, rule: Rule) -> set[str]:
    out = _segments_by_tag(zone_id, rule.source_tags) if rule.source_tags else set()
    for src in rule.sources:
        net = parse_net(src)
        if net is not None:
            out |= _overlapping_segments(zone_id, net)
    return out


def _segment_isolation(args, report_violation) -> None:
    groups = {r.urn: r for r in args.resources if r.resource_type in (SG, DEFAULT_SG)}
    group_values = value_index(groups.values())
    for r in args.resources:
        if r.resource_type not in (SG, DEFAULT_SG, SG_RULE, VPC_INGRESS, FIREWALL):
            continue
        zone_id = zone_of(r.urn, r.props)
        if zone_model(zone_id) is None:
            continue
        if r.resource_type in (SG_RULE, VPC_INGRESS):
            owners = linked(r, "securityGroupId", groups, group_values)
            tags = labels_of(owners[0].props) if owners else labels_of(r.props)
            destinations = _segments_by_tag(zone_id, tags)
        elif r.resource_type == FIREWALL:
            destinations = None  # per rule: target tags
        else:
            destinations = _segments_by_tag(zone_id, labels_of(r.props))
        for rule in rules_of(r.resource_type, r.props):
            if rule.direction != "ingress":
                continue
            dests = destinations
            if rule.gcp:
                dests = (_segments_by_tag(zone_id, rule.target_tags) if rule.target_tags
                         else set(_gcp_segments(zone_id)))
            if r.resource_type in (SG_RULE, VPC_INGRESS):
                refs = linked(r, "sourceSecurityGroupId" if r.resource_type == SG_RULE else "referencedSecurityGroupId",
                              groups, group_values)
                src_segments = set().union(*(_segments_by_tag(zone_id, labels_of(g.props)) for g in refs)) if refs else set()
                src_segments |= _sources_segments(zone_id, rule)
            else:
                src_segments = _sources_segments(zone_id, rule)
            policy = _segment_policy(zone_id)
            for dst in sorted(dests or ()):
                for src in sorted(src_segments - {dst}):
                    allowed = policy.get((src, dst), ())
                    for span in rule.spans:
                        if not any(span_covers(a, span) for a in allowed):
                            ok = ", ".join(span_label(a) for a in allowed) or "nothing"
                            report_violation(
                                f"{display(r.urn, r.name)} {rule.where}: {src} -> {dst} {span_label(span)} is not "
                                f"allowed by zone {zone_id}'s segment policy (allowed: {ok})", r.urn)


segment_isolation = stack_policy("network-segment-isolation", _segment_isolation)


# ---------------------------------------------------------------- network-flow-logs


def _flow_logs(args, report_violation) -> None:
    vpcs = {r.urn: r for r in args.resources if r.resource_type == VPC}
    values = value_index(vpcs.values())
    logged: set[str] = set()
    partial: dict[str, tuple[Any, Any]] = {}
    for r in args.resources:
        if r.resource_type == FLOW_LOG:
            traffic = get(r.props, "trafficType")
            for v in linked(r, "vpcId", vpcs, values):
                if traffic is UNKNOWN or str(traffic).upper() == "ALL":
                    logged.add(v.urn)
                else:
                    partial.setdefault(v.urn, (r, traffic))
        elif r.resource_type == GCP_SUBNET:
            if get(r.props, "logConfig") is None:
                report_violation(f"subnetwork {display(r.urn, r.name)} has no logConfig: VPC flow logs are off", r.urn)
    for urn, vpc in vpcs.items():
        if urn in logged:
            continue
        if urn in partial:
            log, traffic = partial[urn]
            report_violation(f"VPC {display(urn, vpc.name)}: flow log {display(log.urn, log.name)} captures only "
                             f"{traffic} traffic; it must capture ALL", urn)
        else:
            report_violation(f"VPC {display(urn, vpc.name)} has no flow log capturing ALL traffic", urn)


flow_logs = stack_policy("network-flow-logs", _flow_logs)

POLICIES = [no_public_admin_ingress, ingress_allowlisted, default_deny, segment_isolation, flow_logs]
