"""monitoring-coverage: every VPN tunnel, every backup plan and every declared certificate has an
alert that reaches the operations channel (zones/platform.yaml operations_email).

- the channel: AWS, an SNS topic with an email subscription to operations_email; GCP, an enabled
  email notification channel for it;
- AWS VPN connection: a TunnelState alarm per tunnel (both) to such a topic (TunnelState is BGP
  state for BGP connections);
- GCP HA VPN tunnel and Cloud Router BGP peer: an enabled alert policy whose condition watches that
  tunnel / peer (tunnel_established / bgp/session_up) and notifies such a channel;
- AWS backup plan / restore testing plan: an EventBridge rule on failed backup / restore jobs
  (aws.backup, Backup Job State Change state FAILED / Restore Job State Change status FAILED)
  targeting such a topic;
- certificate the zone declares as served by ACM: a DaysToExpiry alarm (tag `certificate`) to such a
  topic. External certificates are watched where the zone file says (`check`).

Judged on a zone's stack (a plan holding its AWS or GCP provider); zone-aware (certificates).
"""

from __future__ import annotations

import json
from typing import Any

from .build import stack_policy
from .common import as_list, display, get, known_str, number, platform, zone_model
from .restore import AWS_PROVIDER, PLAN, RT_PLAN, by_zone, deploys_to, provider_urn

TOPIC = "aws:sns/topic:Topic"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
RULE = "aws:cloudwatch/eventRule:EventRule"
TARGET = "aws:cloudwatch/eventTarget:EventTarget"
VPN = "aws:ec2/vpnConnection:VpnConnection"
TUNNEL = "gcp:compute/vPNTunnel:VPNTunnel"
PEER = "gcp:compute/routerPeer:RouterPeer"
CHANNEL = "gcp:monitoring/notificationChannel:NotificationChannel"
ALERT_POLICY = "gcp:monitoring/alertPolicy:AlertPolicy"
GCP_PROVIDER = "pulumi:providers:gcp"
VPN_TUNNEL_METRIC = "vpn.googleapis.com/tunnel_established"
BGP_SESSION_METRIC = "router.googleapis.com/bgp/session_up"


def _refers(resource, prop: str, values: list, targets: dict[str, Any], keys: tuple[str, ...]) -> set[str]:
    """URNs among `targets` that resource.props[prop] refers to: by propertyDependencies, or by a
    known value equal to one of the target's `keys` (inputs or outputs the plan recorded)."""
    out = {d.urn for d in (resource.property_dependencies or {}).get(prop, []) if d.urn in targets}
    texts = {known_str(v) for v in values} - {None}
    for urn, t in targets.items():
        if any(known_str(get(t.props, k)) in texts for k in keys):
            out.add(urn)
    return out


def ops_topics(resources) -> dict[str, Any]:
    email = platform().platform.operations_email
    topics = {r.urn: r for r in resources if r.resource_type == TOPIC}
    found = {}
    for s in resources:
        if s.resource_type != SUBSCRIPTION:
            continue
        if known_str(get(s.props, "protocol")) != "email" or known_str(get(s.props, "endpoint")) != email:
            continue
        for urn in _refers(s, "topic", [get(s.props, "topic")], topics, ("arn", "name", "id")):
            found[urn] = topics[urn]
    return found


def ops_channels(resources) -> dict[str, Any]:
    email = platform().platform.operations_email
    return {r.urn: r for r in resources if r.resource_type == CHANNEL and known_str(get(r.props, "type")) == "email"
            and known_str(get(r.props, "labels", "email_address")) == email and get(r.props, "enabled") is not False}


def _alarms_to(resources, topics, namespace: str, metric: str) -> list:
    return [a for a in resources if a.resource_type == ALARM
            and known_str(get(a.props, "namespace")) == namespace and known_str(get(a.props, "metricName")) == metric
            and get(a.props, "actionsEnabled") is not False
            and _refers(a, "alarmActions", as_list(get(a.props, "alarmActions")), topics, ("arn", "name", "id"))]


def _vpn_alarms(conn, alarms) -> set[str]:
    """Tunnels (by address when known, else by alarm) of `conn` with a TunnelState alarm."""
    ids = {known_str(get(conn.props, k)) for k in ("id",)} - {None}
    out = set()
    for a in alarms:
        linked = any(d.urn == conn.urn for d in (a.property_dependencies or {}).get("dimensions", []))
        if linked or known_str(get(a.props, "dimensions", "VpnId")) in ids:
            out.add(known_str(get(a.props, "dimensions", "TunnelIpAddress")) or a.urn)
    return out


def _watching(policies, channels, metric: str, label: str, name: str) -> bool:
    needle = f'{label} = "{name}"'
    for p in policies:
        if get(p.props, "enabled") is False:
            continue
        if not _refers(p, "notificationChannels", as_list(get(p.props, "notificationChannels")), channels, ("name",)):
            continue
        for c in as_list(get(p.props, "conditions")):
            f = known_str(get(c, "conditionThreshold", "filter")) or known_str(get(c, "conditionAbsent", "filter")) or ""
            if metric in f and needle in " ".join(f.split()):
                return True
    return False


def _pattern(rule) -> dict:
    try:
        doc = json.loads(known_str(get(rule.props, "eventPattern")) or "{}")
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}


def _failure_rules(resources, topics, detail_type: str, field: str) -> list:
    """Enabled rules for failed AWS Backup jobs of `detail_type` with a target on an ops topic."""
    rules = {r.urn: r for r in resources if r.resource_type == RULE and known_str(get(r.props, "state")) != "DISABLED"}
    good = []
    for r in rules.values():
        p = _pattern(r)
        if "aws.backup" not in p.get("source", []) or detail_type not in p.get("detail-type", []):
            continue
        states = (p.get("detail") or {}).get(field)
        if states is not None and "FAILED" not in states:
            continue
        for t in resources:
            if t.resource_type != TARGET or not _refers(t, "rule", [get(t.props, "rule")], {r.urn: r}, ("name", "id")):
                continue
            if _refers(t, "arn", [get(t.props, "arn")], topics, ("arn",)):
                good.append(r)
    return good


def _coverage(args, report_violation) -> None:
    for zid, rs in sorted(by_zone(args.resources).items()):
        on_aws, on_gcp = deploys_to(rs, AWS_PROVIDER), deploys_to(rs, GCP_PROVIDER)
        if not (on_aws or on_gcp):
            continue
        topics, channels = ops_topics(args.resources), ops_channels(args.resources)
        email = platform().platform.operations_email
        if on_aws and not topics:
            report_violation(f"zone {zid} has no SNS topic with an email subscription to the operations channel "
                             f"{email}: no AWS alert reaches it", provider_urn(rs, AWS_PROVIDER))
        if on_gcp and not channels:
            report_violation(f"zone {zid} has no enabled email notification channel for the operations channel "
                             f"{email}: no GCP alert reaches it", provider_urn(rs, GCP_PROVIDER))
        tunnel_alarms = _alarms_to(args.resources, topics, "AWS/VPN", "TunnelState")
        for conn in (r for r in rs if r.resource_type == VPN):
            n = len(_vpn_alarms(conn, tunnel_alarms))
            if n < 2:
                report_violation(f"VPN connection {display(conn.urn, conn.name)}: {n} of its 2 tunnels have a "
                                 f"TunnelState alarm to the operations channel", conn.urn)
        policies = [r for r in args.resources if r.resource_type == ALERT_POLICY]
        for kind, typ, metric, label in (("VPN tunnel", TUNNEL, VPN_TUNNEL_METRIC, "metric.label.tunnel_name"),
                                         ("BGP session", PEER, BGP_SESSION_METRIC, "metric.label.bgp_peer_name")):
            for r in (x for x in rs if x.resource_type == typ):
                name = known_str(get(r.props, "name")) or r.name
                if not _watching(policies, channels, metric, label, name):
                    report_violation(f"{kind} {name} has no enabled alert policy on {metric} notifying the operations "
                                     f"channel", r.urn)
        for typ, what, detail_type, field in ((PLAN, "backup plan", "Backup Job State Change", "state"),
                                              (RT_PLAN, "restore test", "Restore Job State Change", "status")):
            items = [r for r in rs if r.resource_type == typ]
            if items and not _failure_rules(args.resources, topics, detail_type, field):
                for r in items:
                    report_violation(f"{what} {display(r.urn, r.name)}: no EventBridge rule sends failed AWS Backup "
                                     f"jobs ({detail_type}) to the operations channel", r.urn)
        zone = zone_model(zid)
        if zone is None or not on_aws:
            continue
        cert_alarms = _alarms_to(args.resources, topics, "AWS/CertificateManager", "DaysToExpiry")
        for cert in zone.certificates:
            if cert.served_by != "acm":
                continue
            ok = [a for a in cert_alarms if known_str(get(a.props, "tags", "certificate")) == cert.name
                  and (cert.acm_arn is None or known_str(get(a.props, "dimensions", "CertificateArn")) == cert.acm_arn)
                  and "LessThan" in (known_str(get(a.props, "comparisonOperator")) or "")
                  and (number(get(a.props, "threshold")) or 0) > 0]
            if not ok:
                report_violation(f"certificate {cert.name} ({cert.domain}) of zone {zid} has no DaysToExpiry alarm "
                                 f"(tag certificate={cert.name}) to the operations channel",
                                 provider_urn(rs, AWS_PROVIDER))


coverage = stack_policy("monitoring-coverage", _coverage)

POLICIES = [coverage]
