"""Which zone facts a resource was built from, found after the program ran by matching the
resource's inputs (CIDRs, ports, VLANs, schedules, names, tags) against the zone model.

No hook in infra/: the program stays as it is, and the same matching works on any plan of this
project — the offline preview, `pulumi preview --json`, a stack export. A value is matched only
where it can be matched reliably (a CIDR inside a declared range, a port of the service a tag
names, a VLAN of the data centre); anything else gets no fact rather than a guess, and the
program line (`sourcePosition`) still says where the resource came from.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any, Callable, Mapping

from .facts import Fact, ZoneFacts

SECRET_SIG = ("4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270")


def _net(text: Any):
    if not isinstance(text, str):
        return None
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


def _tags(inputs: Mapping[str, Any]) -> Mapping[str, Any]:
    for key in ("tags", "labels", "userLabels"):
        v = inputs.get(key)
        if isinstance(v, Mapping) and v:
            return v
    return {}


def _list(v: Any) -> list:
    return v if isinstance(v, list) else ([] if v is None else [v])


def _int(v: Any) -> int | None:
    try:
        return int(str(v))
    except (TypeError, ValueError):
        return None


def _cidr_facts(zf: ZoneFacts, ranges: list, services: set[str] | None) -> list[Fact]:
    """Declared subscriber CIDRs inside the given (aggregated) ranges, for those services."""
    out: list[Fact] = []
    for text in ranges:
        net = _net(text)
        if net is None or net.prefixlen == 0:  # the whole internet is built from no subscriber's range
            continue
        for c in zf.cidrs:
            if c.net.version == net.version and c.net.subnet_of(net) and (services is None or
                                                                          set(c.services) & services):
                out += [c.fact, c.subscriber]
    return out


def _port_facts(zf: ZoneFacts, service: str, spans: list[tuple[str, int, int]]) -> list[Fact]:
    return [f for span, f in zf.services.get(service, []) if any(s == span for s in spans)]


def _segment_of(zf: ZoneFacts, cidr: Any) -> list[tuple[str, str, Fact]]:
    net = _net(cidr)
    return [(seg, site, f) for n, seg, site, f in zf.segment_nets if net is not None and n == net]


def _policy_facts(zf: ZoneFacts, source: str | None, target: str | None, spans) -> list[Fact]:
    return [f for frm, to, span, f in zf.policy
            if (source is None or frm == source) and (target is None or to == target) and span in spans]


def _gcp_spans(allows: Any) -> list[tuple[str, int, int]]:
    out = []
    for a in _list(allows):
        if not isinstance(a, Mapping):
            continue
        proto = str(a.get("protocol", ""))
        for p in _list(a.get("ports")):
            lo, _, hi = str(p).partition("-")
            if _int(lo) is not None:
                out.append((proto, int(lo), _int(hi) if hi else int(lo)))
    return out


# ---------------------------------------------------------------- per resource type


def _prefix_list(zf, name, inputs, tags, deps, lookup):
    service = str(tags.get("service") or "")
    m = re.fullmatch(rf"{re.escape(zf.zone)}-(?P<svc>.+)-v[46]-\d+", str(inputs.get("name") or name))
    service = service or (m.group("svc") if m else "")
    ranges = [e.get("cidr") for e in _list(inputs.get("entries")) if isinstance(e, Mapping)]
    facts = _cidr_facts(zf, ranges, {service} if service else None)
    return facts + [f for _, f in zf.services.get(service, [])]


def _ingress_rule(zf, name, inputs, tags, deps, lookup):
    span = (str(inputs.get("ipProtocol", "")), _int(inputs.get("fromPort")), _int(inputs.get("toPort")))
    facts: list[Fact] = []
    service = str(tags.get("service") or "")
    for urn in deps.get("prefixListId", []):
        facts += lookup(urn)  # the prefix list's subscriber CIDRs
    if service:
        facts += _port_facts(zf, service, [span])
    for key in ("cidrIpv4", "cidrIpv6"):
        for seg, site, f in _segment_of(zf, inputs.get(key)):
            facts.append(f)
            facts += _policy_facts(zf, seg, str(tags.get("segment") or "") or None, [span])
    return facts


def _firewall(zf, name, inputs, tags, deps, lookup):
    targets = [str(t) for t in _list(inputs.get("targetTags"))]
    services = {t[4:] for t in targets if t.startswith("svc-")}
    segments = {t[4:] for t in targets if t.startswith("seg-")}
    spans = _gcp_spans(inputs.get("allows"))
    ranges = _list(inputs.get("sourceRanges"))
    facts = _cidr_facts(zf, ranges, services) if services else []
    for svc in sorted(services):
        facts += _port_facts(zf, svc, spans)
    for r in ranges:
        for seg, site, f in _segment_of(zf, r):
            facts.append(f)
            for target in sorted(segments) or [None]:
                facts += _policy_facts(zf, seg, target, spans)
    return facts


def _subnet(zf, name, inputs, tags, deps, lookup):
    net = _net(inputs.get("cidrBlock") or inputs.get("ipCidrRange"))
    facts = []
    if net is not None:
        facts += [f for n, seg, site, f in zf.segment_nets if n.version == net.version and net.subnet_of(n)
                  and site in ("aws", "gcp")]
    az = inputs.get("availabilityZone")
    if az and "aws.availability_zones" in zf.site:
        facts.append(zf.site["aws.availability_zones"])
    return facts


def _vpc(zf, name, inputs, tags, deps, lookup):
    net = _net(inputs.get("cidrBlock"))
    return [f for n, seg, site, f in zf.segment_nets
            if site == "aws" and net is not None and n.version == net.version and n.subnet_of(net)]


def _port_group(zf, name, inputs, tags, deps, lookup):
    vlan = _int(inputs.get("vlanId"))
    return [f for (dc, v), f in zf.vlans.items() if v == vlan]


def _customer_gateway(zf, name, inputs, tags, deps, lookup):
    ip, asn = str(inputs.get("ipAddress") or ""), _int(inputs.get("bgpAsn"))
    out = []
    for facts in zf.datacenters.values():
        if f"edge:{ip}" in facts:
            out.append(facts[f"edge:{ip}"])
            if asn is not None and facts["asn"].value == str(asn):
                out.append(facts["asn"])
    return out


def _external_gateway(zf, name, inputs, tags, deps, lookup):
    ips = {str(i.get("ipAddress")) for i in _list(inputs.get("interfaces")) if isinstance(i, Mapping)}
    return [f for facts in zf.datacenters.values() for key, f in sorted(facts.items())
            if key.startswith("edge:") and key[5:] in ips]


def _router_peer(zf, name, inputs, tags, deps, lookup):
    asn = _int(inputs.get("peerAsn"))
    return [facts["asn"] for facts in zf.datacenters.values() if asn is not None and facts["asn"].value == str(asn)]


def _asn(key: str, prop: Callable[[Mapping], Any]):
    def match(zf, name, inputs, tags, deps, lookup):
        f = zf.site.get(key)
        return [f] if f is not None and str(prop(inputs)) == f.value else []
    return match


def _backup_plan(zf, name, inputs, tags, deps, lookup):
    facts = []
    for rule in _list(inputs.get("rules")):
        if not isinstance(rule, Mapping):
            continue
        key = str(rule.get("ruleName") or "")
        if key in zf.backup:
            facts.append(zf.backup[key])
        if rule.get("schedule"):
            facts.append(zf.backup["start"])
        if rule.get("scheduleExpressionTimezone") and zf.timezone:
            facts.append(zf.timezone)
    return facts


def _selection(zf, name, inputs, tags, deps, lookup):
    tag = zf.backup.get("selection_tag")
    wanted = tag.value if tag else ""
    for key in ("selectionTags",):
        for t in _list(inputs.get(key)):
            if isinstance(t, Mapping) and f"{t.get('key')}={t.get('value')}" == wanted:
                return [tag]
    cond = inputs.get("protectedResourceConditions")
    if isinstance(cond, Mapping):
        for t in _list(cond.get("stringEquals")):
            if isinstance(t, Mapping) and str(t.get("key", "")).endswith(wanted.split("=")[0]) and \
                    str(t.get("value")) == wanted.split("=")[-1]:
                return [tag, zf.restore_test]
    return [zf.restore_test] if "restore" in name else []


def _snapshots(zf, name, inputs, tags, deps, lookup):
    return [zf.backup[k] for k in ("daily", "weekly", "monthly", "start")]


def _maintenance(zf, name, inputs, tags, deps, lookup):
    return [f for f in (zf.window, zf.timezone if inputs.get("scheduleTimezone") else None) if f]


def _log_group(zf, name, inputs, tags, deps, lookup):
    days = _int(inputs.get("retentionInDays") or inputs.get("retentionDays"))
    label = str(inputs.get("name") or inputs.get("bucketId") or name)
    found = [f for k, f in zf.log_retention.items() if k in label and f.value.endswith(f" {days} days")]
    if not found and ("cloudtrail" in label or "_Default" in label) and "audit" in zf.log_retention:
        found = [zf.log_retention["audit"]]
    return found


def _lifecycle(zf, name, inputs, tags, deps, lookup):
    f = zf.log_retention.get("audit")
    days = {_int((r.get("expiration") or {}).get("days")) for r in _list(inputs.get("rules")) if isinstance(r, Mapping)}
    return [f] if f is not None and any(f.value.endswith(f" {d} days") for d in days if d) else []


def _restore(zf, name, inputs, tags, deps, lookup):
    facts = [zf.restore_test]
    if inputs.get("scheduleExpressionTimezone"):
        facts += [zf.window, zf.timezone]
    return [f for f in facts if f]


def _framework(zf, name, inputs, tags, deps, lookup):
    return [zf.backup["rpo_hours"], zf.backup["daily"], zf.backup["rto_hours"], zf.backup["scope"], zf.restore_test]


def _alarm(zf, name, inputs, tags, deps, lookup):
    cert = str(tags.get("certificate") or "")
    if cert in zf.certificates:
        return [zf.certificates[cert], zf.platform["certificate-warning-days"]]
    return []


def _operations(zf, name, inputs, tags, deps, lookup):
    email = zf.platform["operations-email"]
    values = [inputs.get("endpoint"), (inputs.get("labels") or {}).get("email_address")
              if isinstance(inputs.get("labels"), Mapping) else None]
    return [email] if email.value in values else []


def _role(zf, name, inputs, tags, deps, lookup):
    out = []
    team = str(tags.get("team") or "")
    level = str(tags.get("access-level") or "")
    if team in zf.teams:
        out.append(zf.teams[team])
    if level in zf.levels:
        out.append(zf.levels[level])
    return out


def _iam_member(zf, name, inputs, tags, deps, lookup):
    member = str(inputs.get("member") or "")
    group = member.split(":", 1)[-1]
    return [zf.groups[group]] if member.startswith("group:") and group in zf.groups else []


def _audit_config(zf, name, inputs, tags, deps, lookup):
    f = zf.platform.get(f"data-access:{inputs.get('service')}")
    return [f] if f else []


def _sink(zf, name, inputs, tags, deps, lookup):
    f = zf.platform["siem"]
    return [f, zf.log_retention["audit"]] if inputs.get("destination") == f.value and "audit" in zf.log_retention \
        else ([f] if inputs.get("destination") == f.value else [])


def _site(*keys: str):
    def match(zf, name, inputs, tags, deps, lookup):
        return [zf.site[k] for k in keys if k in zf.site]
    return match


def _tag_facts(zf: ZoneFacts, tags: Mapping[str, Any]) -> list[Fact]:
    """What the tags every resource carries say (docs/contracts.md): the zone tags (`zone`,
    `owner`, `data-classification`) and, where present, the `service`, `segment` or `datacenter`
    the resource belongs to."""
    out = []
    if tags.get("owner") is not None and zf.owner and str(tags.get("owner")) == zf.owner.value:
        out.append(zf.owner)
    dc = zf.platform.get("data-classification")
    if dc and str(tags.get("data-classification")) == dc.value:
        out.append(dc)
    if str(tags.get("zone")) == zf.zone:
        out.append(zf.zone_fact)
    out += [f for _, f in zf.services.get(str(tags.get("service") or ""), [])]
    seg = str(tags.get("segment") or "")
    out += [f for (s, site), f in zf.segment_sites.items() if s == seg]
    facts = zf.datacenters.get(str(tags.get("datacenter") or ""))
    if facts:
        out.append(facts["dc"])
    return out


MATCHERS: dict[str, Callable] = {
    "aws:ec2/managedPrefixList:ManagedPrefixList": _prefix_list,
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": _ingress_rule,
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": _ingress_rule,
    "gcp:compute/firewall:Firewall": _firewall,
    "aws:ec2/subnet:Subnet": _subnet,
    "gcp:compute/subnetwork:Subnetwork": _subnet,
    "aws:ec2/vpc:Vpc": _vpc,
    "vsphere:index/distributedPortGroup:DistributedPortGroup": _port_group,
    "aws:ec2/customerGateway:CustomerGateway": _customer_gateway,
    "gcp:compute/externalVpnGateway:ExternalVpnGateway": _external_gateway,
    "gcp:compute/routerPeer:RouterPeer": _router_peer,
    "aws:ec2/vpnGateway:VpnGateway": _asn("aws.asn", lambda i: i.get("amazonSideAsn")),
    "gcp:compute/router:Router": _asn("gcp.asn", lambda i: (i.get("bgp") or {}).get("asn")
                                      if isinstance(i.get("bgp"), Mapping) else None),
    "aws:backup/plan:Plan": _backup_plan,
    "aws:backup/selection:Selection": _selection,
    "aws:backup/restoreTestingSelection:RestoreTestingSelection": _selection,
    "gcp:compute/resourcePolicy:ResourcePolicy": _snapshots,
    "aws:ssm/maintenanceWindow:MaintenanceWindow": _maintenance,
    "aws:cloudwatch/logGroup:LogGroup": _log_group,
    "gcp:logging/projectBucketConfig:ProjectBucketConfig": _log_group,
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": _lifecycle,
    "aws:backup/restoreTestingPlan:RestoreTestingPlan": _restore,
    "aws:backup/framework:Framework": _framework,
    "aws:cloudwatch/metricAlarm:MetricAlarm": _alarm,
    "aws:sns/topicSubscription:TopicSubscription": _operations,
    "gcp:monitoring/notificationChannel:NotificationChannel": _operations,
    "aws:iam/role:Role": _role,
    "gcp:projects/iAMMember:IAMMember": _iam_member,
    "gcp:projects/iAMAuditConfig:IAMAuditConfig": _audit_config,
    "gcp:logging/projectSink:ProjectSink": _sink,
    "pulumi:providers:aws": _site("aws.region", "aws.account_id"),
    "pulumi:providers:gcp": _site("gcp.project", "gcp.region"),
}


def facts_of(zf: ZoneFacts, rtype: str, name: str, inputs: Mapping[str, Any], deps: Mapping[str, list[str]],
             lookup: Callable[[str], list[Fact]]) -> list[Fact]:
    """The zone facts a resource of this type, name and inputs was built from (sorted, no repeats);
    `lookup(urn)` gives another resource's facts (an ingress rule's prefix list)."""
    if not isinstance(inputs, Mapping):
        return []
    tags = _tags(inputs)
    match = MATCHERS.get(rtype)
    found = match(zf, name, inputs, tags, deps, lookup) if match else []
    return sorted(set(f for f in found + _tag_facts(zf, tags) if f is not None))
