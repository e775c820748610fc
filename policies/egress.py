"""network-egress-declared: nothing leaves a segment but what the zone declares.

A segment's egress may go where a flow of its segment policy leads (the target segment's CIDRs at
every site, or its security group) or where the zone's `egress` declarations say, each with its
reason (zones/egress.py derives both, for the program too). Egress to 0.0.0.0/0 or ::/0 passes only
when declared (`internet: true`). Every GCP network must deny all egress it does not allow: GCP's
implied rule (priority 65535) allows all egress. AWS groups the provider creates carry no egress
unless a rule gives it (the provider strips AWS's default allow-all), so only rules are judged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


from .build import stack_policy
from .common import (
    INTERNET_V4,
    INTERNET_V6,
    UNKNOWN,
    PortSpan,
    as_list,
    display,
    get,
    known_str,
    labels_of,
    parse_net,
    proto_name,
    span_covers,
    span_label,
    zone_model,
    zone_of,
)
from .network import (
    DEFAULT_SG,
    FIREWALL,
    GCP_NETWORK,
    SG,
    SG_RULE,
    VPC_EGRESS,
    _aws_span,
    _gcp_spans,
    _segments_by_tag,
    linked,
    value_index,
)


@dataclass(frozen=True)
class _Out:
    """One egress rule as written: where it is, what it reaches, on which ports."""

    where: str
    cidrs: tuple[str, ...]
    prefix_lists: tuple[str, ...]  # ids (unknown at preview: "<unknown>")
    groups: tuple[Any, ...]  # referenced security groups (resources)
    spans: tuple[PortSpan, ...]


@lru_cache(maxsize=64)
def _declared(zone_id: str) -> dict[tuple[str, str], tuple]:
    """zones/egress.py egress_rules (in the zone facts) by (cloud, source segment): each egress is
    judged against its own segments' rules only (a scan of all of them per egress was quadratic:
    11 s of a 13,000-resource stack)."""
    by_source: dict[tuple[str, str], list] = {}
    for r in zone_model(zone_id).egress_rules:
        by_source.setdefault((r.cloud, r.source), []).append(r)
    return {k: tuple(v) for k, v in by_source.items()}


def _ids(value: Any) -> tuple[str, ...]:
    return tuple((known_str(v) or "<unknown>") for v in as_list(value) if v is not None)


def _strs(*values: Any) -> tuple[str, ...]:
    return tuple(c for v in values for c in (known_str(x) for x in as_list(v)) if c)


def _aws_outs(r, groups: dict, values: dict) -> list[_Out]:
    p = r.props
    if r.resource_type in (SG, DEFAULT_SG):
        outs = []
        for i, e in enumerate(as_list(get(p, "egress"))):
            if not isinstance(e, Mapping):
                continue
            refs = [values[g] for g in _strs(get(e, "securityGroups")) if g in values]
            outs.append(_Out(f"egress[{i}]", _strs(get(e, "cidrBlocks"), get(e, "ipv6CidrBlocks")),
                             _ids(get(e, "prefixListIds")), tuple(refs),
                             (_aws_span(get(e, "protocol"), get(e, "fromPort"), get(e, "toPort")),)))
        return outs
    if r.resource_type == SG_RULE:
        if (known_str(get(p, "type")) or "ingress") != "egress":
            return []
        refs = linked(r, "sourceSecurityGroupId", groups, values)
        return [_Out("egress rule", _strs(get(p, "cidrBlocks"), get(p, "ipv6CidrBlocks")), _ids(get(p, "prefixListIds")),
                     tuple(refs), (_aws_span(get(p, "protocol"), get(p, "fromPort"), get(p, "toPort")),))]
    if r.resource_type == VPC_EGRESS:
        refs = linked(r, "referencedSecurityGroupId", groups, values)
        return [_Out("egress rule", _strs(get(p, "cidrIpv4"), get(p, "cidrIpv6")), _ids(get(p, "prefixListId")),
                     tuple(refs), (_aws_span(get(p, "ipProtocol"), get(p, "fromPort"), get(p, "toPort")),))]
    return []


def _is_deny_all_egress(props: Any) -> bool:
    if get(props, "disabled") is True or (known_str(get(props, "direction")) or "INGRESS").upper() != "EGRESS":
        return False
    if as_list(get(props, "targetTags")) or as_list(get(props, "targetServiceAccounts")):
        return False
    if not any(proto_name(get(d, "protocol")) == "all" for d in as_list(get(props, "denies"))):
        return False
    dests = _strs(get(props, "destinationRanges"))
    return not dests or any(parse_net(d) == INTERNET_V4 for d in dests)


def _covered(spans: tuple[PortSpan, ...], rule) -> bool:
    allowed = [(p.protocol, p.from_port, p.to_port) for p in rule.ports]
    return all(any(span_covers(a, s) for a in allowed) for s in spans)


def _judge(zone_id: str, cloud: str, who: str, segments: set[str], out: _Out, report, urn: str) -> None:
    known = zone_model(zone_id) is not None
    spans = ", ".join(span_label(s) for s in out.spans)
    declared = _declared(zone_id) if known else {}
    rules = [r for s in sorted(segments) for r in declared.get((cloud, s), ())]
    if known and not segments:
        report(f"{who} {out.where}: egress ({spans}) from a group or rule with no segment: zone {zone_id}'s egress is "
               f"declared per segment (tag `segment` / network tag seg-<segment>)", urn)
        return
    segs = ", ".join(sorted(segments)) or "-"
    for cidr in out.cidrs:
        net = parse_net(cidr)
        if net is None:
            report(f"{who} {out.where}: egress destination {cidr!r} is not a CIDR", urn)
            continue
        if net in (INTERNET_V4, INTERNET_V6):
            if not any(r.world and _covered(out.spans, r) for r in rules):
                if known:
                    report(f"{who} {out.where}: egress to {cidr} ({spans}) from {segs}: zone {zone_id} declares no "
                           f"internet egress for {segs} (zones/{zone_id}.yaml `egress` with `internet: true` and the "
                           f"reason)", urn)
                else:
                    report(f"{who} {out.where}: egress to {cidr} ({spans}): zone {zone_id} is not in zones/, so no "
                           f"egress to the internet is declared for it", urn)
            continue
        if not known:
            continue
        if not any(_covered(out.spans, r) and any(
                (d := parse_net(c)) is not None and d.version == net.version and net.subnet_of(d) for c in r.cidrs)
                for r in rules):
            report(f"{who} {out.where}: egress to {cidr} ({spans}) from {segs} is neither a flow of zone {zone_id}'s "
                   f"segment policy nor a declared egress", urn)
    if not known:
        return
    for pl in out.prefix_lists:
        if not any(r.aws_service and _covered(out.spans, r) for r in rules):
            report(f"{who} {out.where}: egress to prefix list {pl} ({spans}) from {segs}: zone {zone_id} declares no "
                   f"AWS service (gateway endpoint) egress for {segs}", urn)
    for g in out.groups:
        targets = _segments_by_tag(zone_id, labels_of(g.props))
        if not targets or not all(any(r.name == f"to-{t}" and _covered(out.spans, r) for r in rules) for t in targets):
            report(f"{who} {out.where}: egress to group {display(g.urn, g.name)} ({spans}) from {segs} is not a flow of "
                   f"zone {zone_id}'s segment policy", urn)


def _egress_declared(args, report_violation) -> None:
    resources = args.resources
    groups = {r.urn: r for r in resources if r.resource_type in (SG, DEFAULT_SG)}
    group_values = value_index(groups.values())
    networks = {r.urn: r for r in resources if r.resource_type == GCP_NETWORK}
    net_values = value_index(networks.values())
    denied: set[str] = set()
    for r in resources:
        zone_id = zone_of(r.urn, r.props)
        who = display(r.urn, r.name)
        if r.resource_type in (SG, DEFAULT_SG, SG_RULE, VPC_EGRESS):
            owners = [r] if r.resource_type in (SG, DEFAULT_SG) else linked(r, "securityGroupId", groups, group_values)
            tags = labels_of(owners[0].props) if owners else labels_of(r.props)
            segments = _segments_by_tag(zone_id, tags) if zone_model(zone_id) is not None and tags is not UNKNOWN else set()
            for out in _aws_outs(r, groups, group_values):
                _judge(zone_id, "aws", who, segments, out, report_violation, r.urn)
        elif r.resource_type == FIREWALL:
            if _is_deny_all_egress(r.props):
                denied.update(n.urn for n in linked(r, "network", networks, net_values))
                continue
            p = r.props
            if get(p, "disabled") is True or (known_str(get(p, "direction")) or "INGRESS").upper() != "EGRESS" \
                    or not as_list(get(p, "allows")):
                continue
            targets = _strs(get(p, "targetTags"))
            zone = zone_model(zone_id)
            segments = (_segments_by_tag(zone_id, targets) if targets else
                        {s.name for s in zone.segments if "gcp" in s.sites}) if zone is not None else set()
            dests = _strs(get(p, "destinationRanges")) or ("0.0.0.0/0",)  # GCP's default destination
            out = _Out("firewall", dests, (), (), _gcp_spans(get(p, "allows")))
            _judge(zone_id, "gcp", who, segments, out, report_violation, r.urn)
    for urn, net in networks.items():
        if urn not in denied:
            report_violation(f"network {display(urn, net.name)} has no enabled deny-all egress firewall rule (denies all "
                             f"to 0.0.0.0/0 for every instance): GCP's implied rule allows all egress", urn)


egress_declared = stack_policy("network-egress-declared", _egress_declared)

POLICIES = [egress_declared]
