"""Value rules the providers or the cloud APIs enforce and an input schema cannot say.

Each rule names its upstream source (`source`: the Terraform provider validation the Pulumi
provider runs in its Check, or the cloud API reference whose error `pulumi up` would hit). Rules
that also judge zone facts live in zones/cloud_limits.py and are called from here, so `zones
validate` and this check cannot disagree. A rule reads plain input values (camelCase, as in a plan)
and skips what it cannot see: secrets, values unknown at preview, values of the wrong type (those
are schema findings already).
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from policies.vpn import GCP_DOCUMENTED
from zones import cloud_limits

Problems = Iterator[tuple[str, str]]  # (input path, message)


@dataclass(frozen=True)
class Rule:
    id: str
    types: tuple[str, ...]
    source: str
    check: Callable[[dict], Problems]


RULES: list[Rule] = []


def rule(rule_id: str, types: tuple[str, ...] | str, source: str):
    def register(fn: Callable[[dict], Problems]) -> Callable[[dict], Problems]:
        RULES.append(Rule(rule_id, (types,) if isinstance(types, str) else types, source, fn))
        return fn
    return register


def for_type(token: str) -> list[Rule]:
    return [r for r in RULES if token in r.types]


# ------------------------------------------------------------------ reading values


def _int(v: Any) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return None


def _str(v: Any) -> str | None:
    return v if isinstance(v, str) and v != "04da6b54-80e4-46f7-96ec-b56ff0331ba9" else None


def _list(v: Any) -> list:
    return v if isinstance(v, list) else []


def _obj(v: Any) -> dict:
    return v if isinstance(v, dict) and "4dabf18193072939515e22adb298388d" not in v else {}


def _net(text: Any):
    try:
        return ipaddress.ip_network(text, strict=False) if isinstance(text, str) else None
    except ValueError:
        return None


# ------------------------------------------------------------------ AWS cron / rate / at

_CRON_FIELDS = (("minutes", 0, 59), ("hours", 0, 23), ("day-of-month", 1, 31), ("month", 1, 12),
                ("day-of-week", 1, 7), ("year", 1970, 2199))
_NAMES = {3: "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), 4: "SUN MON TUE WED THU FRI SAT".split()}
_TOKEN = re.compile(r"^(\*|\?|L|LW|\d{1,4}W|[A-Z]{3}|\d{1,4})(-([A-Z]{3}|\d{1,4}))?(/\d{1,4})?(#\d)?L?$")


def aws_cron(expr: str, allow: tuple[str, ...] = ("cron",)) -> list[str]:
    """AWS schedule expression syntax, as EventBridge, SSM and AWS Backup share it: cron() with six
    fields (minutes hours day-of-month month day-of-week year), and "you can't specify the
    day-of-month and day-of-week fields in the same cron expression: one of them must be ?"
    (EventBridge User Guide, "Cron expressions"); SSM also takes rate() and at() (Systems Manager,
    "Reference: Cron and rate expressions")."""
    text = expr.strip()
    if "rate" in allow and re.fullmatch(r"rate\(\d+ (minute|minutes|hour|hours|day|days)\)", text):
        return []
    if "at" in allow and re.fullmatch(r"at\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\)", text):
        return []
    m = re.fullmatch(r"cron\((.*)\)", text)
    if not m:
        return [f"{expr!r} is not a {' or '.join(a + '()' for a in allow)} expression"]
    fields = m.group(1).split()
    if len(fields) != 6:
        return [f"{expr!r} has {len(fields)} fields; AWS cron takes 6 (minutes hours day-of-month month day-of-week "
                f"year)"]
    out = []
    for i, (value, (name, lo, hi)) in enumerate(zip(fields, _CRON_FIELDS)):
        for part in value.upper().split(","):
            tm = _TOKEN.match(part)
            if not tm:
                out.append(f"{expr!r}: {name} {value!r} is not a cron field")
                break
            for number in re.findall(r"\d+", (tm.group(1) or "") + (tm.group(3) or "")):
                if not lo <= int(number) <= hi:
                    out.append(f"{expr!r}: {name} {number} is outside {lo}-{hi}")
            for word in re.findall(r"[A-Z]{3}", part):
                if word not in _NAMES.get(i, ()):
                    out.append(f"{expr!r}: {name} {word!r} is not a name AWS cron knows")
    dom, dow = fields[2], fields[4]
    if (dom == "?") == (dow == "?"):
        out.append(f"{expr!r}: exactly one of day-of-month ({dom}) and day-of-week ({dow}) must be ?")
    return out


# ------------------------------------------------------------------ logs


@rule("logs.retention", "aws:cloudwatch/logGroup:LogGroup",
      "terraform-provider-aws internal/service/logs/group.go: retention_in_days validation.IntInSlice")
def _log_group(v: dict) -> Problems:
    days = _int(v.get("retentionInDays"))
    if days is not None and days != 0:  # 0: never expire (the provider's default, a policy question)
        for problem in cloud_limits.cloudwatch_retention(days):
            yield "retentionInDays", problem


@rule("logging.bucket-retention", ("gcp:logging/projectBucketConfig:ProjectBucketConfig",),
      "Cloud Logging API LogBucket.retentionDays: minimum 1 day (0 at creation means the 30-day default); "
      "Cloud Logging retention guide: up to 3650 days")
def _log_bucket(v: dict) -> Problems:
    days = _int(v.get("retentionDays"))
    if days is not None and days != 0:
        for problem in cloud_limits.gcp_log_bucket_retention(days):
            yield "retentionDays", problem


# ------------------------------------------------------------------ SSM


@rule("ssm.window", "aws:ssm/maintenanceWindow:MaintenanceWindow",
      "Systems Manager API CreateMaintenanceWindow (Duration 1-24, Cutoff 0-23) and its ValidationException "
      "\"Cutoff ... must be smaller than (Duration - 1)\"")
def _ssm_window(v: dict) -> Problems:
    duration, cutoff = _int(v.get("duration")), _int(v.get("cutoff"))
    if duration is not None and cutoff is not None:
        for problem in cloud_limits.ssm_window(duration, cutoff):
            yield ("cutoff" if problem.startswith("cutoff") else "duration"), problem


@rule("ssm.schedule", "aws:ssm/maintenanceWindow:MaintenanceWindow",
      "Systems Manager, \"Reference: Cron and rate expressions\" (cron(), rate(), at())")
def _ssm_schedule(v: dict) -> Problems:
    expr = _str(v.get("schedule"))
    if expr is not None:
        for problem in aws_cron(expr, ("cron", "rate", "at")):
            yield "schedule", problem


# ------------------------------------------------------------------ AWS Backup

_RULE_NAME = re.compile(r"^[0-9A-Za-z_.-]{1,50}$")
_VAULT_NAME = re.compile(r"^[0-9A-Za-z_-]{2,50}$")


@rule("backup.rule", "aws:backup/plan:Plan",
      "AWS Backup API BackupRuleInput (StartWindowMinutes at least 60; CompletionWindowMinutes counted from the "
      "scheduled start; Lifecycle.DeleteAfterDays 1-36500 and 90 days past MoveToColdStorageAfterDays); "
      "terraform-provider-aws internal/service/backup/plan.go (defaults start_window 60, completion_window 180; "
      "rule_name ^[0-9A-Za-z_.-]{1,50}$, target_vault_name ^[0-9A-Za-z_-]{2,50}$)")
def _backup_rules(v: dict) -> Problems:
    for i, r in enumerate(_list(v.get("rules"))):
        r = _obj(r)
        at = f"rules[{i}]"
        start, completion = r.get("startWindow", 60), r.get("completionWindow", 180)
        if _int(start) is not None and _int(completion) is not None:
            for problem in cloud_limits.backup_windows(_int(start), _int(completion)):
                yield f"{at}.{'startWindow' if problem.startswith('start') else 'completionWindow'}", problem
        life = _obj(r.get("lifecycle"))
        if life:
            for problem in cloud_limits.backup_lifecycle(_int(life.get("deleteAfter")), _int(life.get("coldStorageAfter"))):
                yield f"{at}.lifecycle", problem
        for key, pattern in (("ruleName", _RULE_NAME), ("targetVaultName", _VAULT_NAME)):
            name = _str(r.get(key))
            if name is not None and not pattern.match(name):
                yield f"{at}.{key}", f"{name!r} does not match {pattern.pattern}"


@rule("backup.schedule", ("aws:backup/plan:Plan", "aws:backup/restoreTestingPlan:RestoreTestingPlan"),
      "AWS Backup API BackupRuleInput.ScheduleExpression / RestoreTestingPlanForCreate.ScheduleExpression: a cron "
      "expression (EventBridge cron syntax)")
def _backup_schedule(v: dict) -> Problems:
    for i, r in enumerate(_list(v.get("rules"))):
        expr = _str(_obj(r).get("schedule"))
        if expr is not None:
            for problem in aws_cron(expr):
                yield f"rules[{i}].schedule", problem
    expr = _str(v.get("scheduleExpression"))
    if expr is not None:
        for problem in aws_cron(expr):
            yield "scheduleExpression", problem


# ------------------------------------------------------------------ VPN crypto

# terraform-provider-aws internal/service/ec2 (vpnsite_connection.go and its consts): the tunnel
# options' allowed values (validation.StringInSlice) and lifetimes (validation.IntBetween); the DH
# groups are the EC2 API's VpnTunnelOptionsSpecification valid values (also the provider's defaults).
AWS_TUNNEL_VALUES: dict[str, set] = {
    "IkeVersions": {"ikev1", "ikev2"},
    "Phase1EncryptionAlgorithms": {"AES128", "AES256", "AES128-GCM-16", "AES256-GCM-16"},
    "Phase2EncryptionAlgorithms": {"AES128", "AES256", "AES128-GCM-16", "AES256-GCM-16"},
    "Phase1IntegrityAlgorithms": {"SHA1", "SHA2-256", "SHA2-384", "SHA2-512"},
    "Phase2IntegrityAlgorithms": {"SHA1", "SHA2-256", "SHA2-384", "SHA2-512"},
    "Phase1DhGroupNumbers": {2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24},
    "Phase2DhGroupNumbers": {2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24},
}
AWS_TUNNEL_RANGES = {"Phase1LifetimeSeconds": (900, 28800), "Phase2LifetimeSeconds": (900, 3600),
                     "RekeyMarginTimeSeconds": (60, 1800), "RekeyFuzzPercentage": (0, 100),
                     "ReplayWindowSize": (64, 2048)}
# EC2 API VpnTunnelOptionsSpecification.TunnelInsideCidr: a /30 of 169.254.0.0/16, not these.
AWS_RESERVED_INSIDE = {f"169.254.{n}.0/30" for n in range(6)} | {"169.254.169.252/30"}
LINK_LOCAL = ipaddress.ip_network("169.254.0.0/16")


@rule("vpn.aws-tunnel-options", "aws:ec2/vpnConnection:VpnConnection",
      "terraform-provider-aws internal/service/ec2/vpnsite_connection.go (tunnel option values and lifetimes); EC2 "
      "API VpnTunnelOptionsSpecification (DH groups, TunnelInsideCidr)")
def _aws_tunnels(v: dict) -> Problems:
    for n in (1, 2):
        for option, allowed in AWS_TUNNEL_VALUES.items():
            key = f"tunnel{n}{option}"
            bad = [x for x in _list(v.get(key)) if (_int(x) if "Dh" in option else x) not in allowed]
            if bad:
                yield key, f"{', '.join(map(str, bad))} not accepted (valid: {', '.join(map(str, sorted(allowed, key=str)))})"
        for option, (lo, hi) in AWS_TUNNEL_RANGES.items():
            key = f"tunnel{n}{option}"
            x = _int(v.get(key))
            if x is not None and not lo <= x <= hi:
                yield key, f"{x} is outside {lo}-{hi}"
        cidr = _str(v.get(f"tunnel{n}InsideCidr"))
        if cidr is not None:
            try:
                net = ipaddress.ip_network(cidr)
            except ValueError:
                net = None
            if net is None or net.version != 4 or net.prefixlen != 30 or not net.subnet_of(LINK_LOCAL):
                yield f"tunnel{n}InsideCidr", f"{cidr} is not a /30 of 169.254.0.0/16"
            elif str(net) in AWS_RESERVED_INSIDE:
                yield f"tunnel{n}InsideCidr", f"{cidr} is reserved by AWS"


@rule("vpn.gcp-cipher-suite", "gcp:compute/vPNTunnel:VPNTunnel",
      "Google Cloud VPN \"Supported IKE ciphers\" (IKEv2 tables; AES-GCM is encryption and integrity in one); "
      "Cloud VPN \"Create an HA VPN gateway\": ciphers can be configured only for IKEv2 tunnels; magic-modules "
      "VpnTunnel.yaml: ikeVersion 1 or 2")
def _gcp_tunnel(v: dict) -> Problems:
    version = _int(v.get("ikeVersion"))
    if version is not None and version not in (1, 2):
        yield "ikeVersion", f"IKE version {version}: GCP accepts 1 or 2"
    suite = _obj(v.get("cipherSuite"))
    if suite and version == 1:
        yield "cipherSuite", "a cipher suite can be configured only on an IKEv2 tunnel"
    for phase in ("phase1", "phase2"):
        block = _obj(suite.get(phase))
        encryptions = [e for e in _list(block.get("encryptions")) if isinstance(e, str)]
        for field, documented in GCP_DOCUMENTED[phase].items():
            values = [x for x in _list(block.get(field)) if isinstance(x, str)]
            if field == "integrities" and values and encryptions and all(e.startswith("AES-GCM") for e in encryptions):
                yield f"cipherSuite.{phase}.integrities", "AES-GCM takes no separate integrity algorithm"
                continue
            bad = [x for x in values if x not in documented]
            if bad:
                yield f"cipherSuite.{phase}.{field}", f"{', '.join(bad)} not a {phase} value Google documents"


# ------------------------------------------------------------------ prefix lists


@rule("ec2.prefix-list", "aws:ec2/managedPrefixList:ManagedPrefixList",
      "terraform-provider-aws internal/service/ec2 vpc_managed_prefix_list.go (address_family IPv4|IPv6, "
      "max_entries at least 1, entry cidr a CIDR); EC2 API CreateManagedPrefixList (entries may not exceed "
      "MaxEntries)")
def _prefix_list(v: dict) -> Problems:
    family, entries, most = _str(v.get("addressFamily")), _list(v.get("entries")), _int(v.get("maxEntries"))
    if family is not None and family not in ("IPv4", "IPv6"):
        yield "addressFamily", f"{family!r} is not IPv4 or IPv6"
    if most is not None and most < 1:
        yield "maxEntries", f"maxEntries {most} is below 1"
    elif most is not None and len(entries) > most:
        yield "entries", f"{len(entries)} entries exceed maxEntries {most}"
    for i, e in enumerate(entries):
        cidr = _str(_obj(e).get("cidr"))
        if cidr is None:
            continue
        net = _net(cidr)
        if net is None:
            yield f"entries[{i}].cidr", f"{cidr!r} is not a CIDR"
        elif family in ("IPv4", "IPv6") and f"IPv{net.version}" != family:
            yield f"entries[{i}].cidr", f"{cidr} is not an {family} range"


# ------------------------------------------------------------------ GCP snapshot schedules

_HOURLY = re.compile(r"^([01]\d|2[0-3]):00$")
_DAYS = {"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"}


@rule("gcp.snapshot-schedule", "gcp:compute/resourcePolicy:ResourcePolicy",
      "magic-modules ResourcePolicy.yaml (schedule: exactly one of hourly/daily/weekly; start times \"HH:00\" UTC, "
      "verify.ValidateHourlyOnly; onSourceDiskDelete KEEP_AUTO_SNAPSHOTS|APPLY_RETENTION_POLICY; day MONDAY..SUNDAY) "
      "and the service's \"Days in cycle for snapshot schedule policy must be 1\" (magic-modules #8339)")
def _snapshot_schedule(v: dict) -> Problems:
    policy = _obj(v.get("snapshotSchedulePolicy"))
    if not policy:
        return
    schedule = _obj(policy.get("schedule"))
    kinds = [k for k in ("hourlySchedule", "dailySchedule", "weeklySchedule") if _obj(schedule.get(k))]
    if schedule and len(kinds) != 1:
        yield "snapshotSchedulePolicy.schedule", f"exactly one of hourlySchedule, dailySchedule, weeklySchedule " \
                                                 f"(given: {', '.join(kinds) or 'none'})"
    daily = _obj(schedule.get("dailySchedule"))
    if _int(daily.get("daysInCycle")) not in (None, 1):
        yield "snapshotSchedulePolicy.schedule.dailySchedule.daysInCycle", \
            f"daysInCycle {daily['daysInCycle']}: a daily snapshot schedule takes 1"
    starts = [("dailySchedule.startTime", daily.get("startTime")),
              ("hourlySchedule.startTime", _obj(schedule.get("hourlySchedule")).get("startTime"))]
    for i, d in enumerate(_list(_obj(schedule.get("weeklySchedule")).get("dayOfWeeks"))):
        d = _obj(d)
        starts.append((f"weeklySchedule.dayOfWeeks[{i}].startTime", d.get("startTime")))
        day = _str(d.get("day"))
        if day is not None and day not in _DAYS:
            yield f"snapshotSchedulePolicy.schedule.weeklySchedule.dayOfWeeks[{i}].day", f"{day!r} is not a day name"
    for key, start in starts:
        start = _str(start)
        if start is not None and not _HOURLY.match(start):
            yield f"snapshotSchedulePolicy.schedule.{key}", f"{start!r} is not an hour in UTC (\"HH:00\")"
    retention = _obj(policy.get("retentionPolicy"))
    days = _int(retention.get("maxRetentionDays"))
    if days is not None and days < 1:
        yield "snapshotSchedulePolicy.retentionPolicy.maxRetentionDays", f"maxRetentionDays {days} is below 1"
    mode = _str(retention.get("onSourceDiskDelete"))
    if mode is not None and mode not in ("KEEP_AUTO_SNAPSHOTS", "APPLY_RETENTION_POLICY"):
        yield "snapshotSchedulePolicy.retentionPolicy.onSourceDiskDelete", f"{mode!r} is not KEEP_AUTO_SNAPSHOTS or " \
                                                                             "APPLY_RETENTION_POLICY"


# ------------------------------------------------------------------ firewall protocols and IP families

_GCP_PROTOCOLS = {"tcp", "udp", "icmp", "esp", "ah", "sctp", "ipip", "all"}
_GCP_PORTED = {"tcp", "udp", "sctp", "6", "17", "132"}


@rule("gcp.firewall", "gcp:compute/firewall:Firewall",
      "GCP VPC firewall rules (\"A firewall rule can contain either IPv4 or IPv6 ranges, but not both\"; ports only "
      "with tcp, udp, sctp; ICMP for IPv6 is protocol 58, `icmp` is IPv4's); magic-modules Firewall.yaml (protocol: "
      "tcp, udp, icmp, esp, ah, sctp, ipip, all or an IP protocol number; direction INGRESS|EGRESS; priority "
      "0-65535)")
def _gcp_firewall(v: dict) -> Problems:
    ranges = [_net(r) for r in _list(v.get("sourceRanges")) + _list(v.get("destinationRanges"))]
    families = {n.version for n in ranges if n is not None}
    if len(families) > 1:
        yield "sourceRanges", "IPv4 and IPv6 ranges in one rule"
    direction = _str(v.get("direction"))
    if direction is not None and direction not in ("INGRESS", "EGRESS"):
        yield "direction", f"{direction!r} is not INGRESS or EGRESS"
    priority = _int(v.get("priority"))
    if priority is not None and not 0 <= priority <= 65535:
        yield "priority", f"priority {priority} is outside 0-65535"
    for key in ("allows", "denies"):
        for i, block in enumerate(_list(v.get(key))):
            block = _obj(block)
            proto = _str(block.get("protocol"))
            if proto is None:
                continue
            at = f"{key}[{i}]"
            if proto not in _GCP_PROTOCOLS and not (proto.isdigit() and 0 <= int(proto) <= 255):
                yield f"{at}.protocol", f"{proto!r} is not a protocol GCP firewalls take"
            elif proto == "icmp" and families == {6}:
                yield f"{at}.protocol", "`icmp` is IPv4's ICMP: an IPv6 rule takes 58 (ICMPv6)"
            if _list(block.get("ports")) and proto not in _GCP_PORTED:
                yield f"{at}.ports", f"ports apply only to tcp, udp and sctp, not {proto}"


_AWS_SOURCES = ("cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId")


@rule("aws.sg-rule", ("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                      "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"),
      "terraform-provider-aws internal/service/ec2 vpc_security_group_ingress_rule.go (exactly one of cidr_ipv4, "
      "cidr_ipv6, prefix_list_id, referenced_security_group_id); EC2 API IpPermission (IpProtocol tcp, udp, icmp, "
      "icmpv6, -1 or a number; tcp and udp take a port range 0-65535; ICMP for IPv6 is icmpv6)")
def _aws_sg_rule(v: dict) -> Problems:
    given = [k for k in _AWS_SOURCES if v.get(k) is not None]
    if len(given) != 1:
        yield "cidrIpv4", f"exactly one of {', '.join(_AWS_SOURCES)} (given: {', '.join(given) or 'none'})"
    for key, version in (("cidrIpv4", 4), ("cidrIpv6", 6)):
        text = _str(v.get(key))
        if text is not None and (_net(text) is None or _net(text).version != version):
            yield key, f"{text!r} is not an IPv{version} CIDR"
    proto = _str(v.get("ipProtocol"))
    if proto is None:
        return
    if proto not in ("tcp", "udp", "icmp", "icmpv6", "-1") and not (proto.isdigit() and int(proto) <= 255):
        yield "ipProtocol", f"{proto!r} is not tcp, udp, icmp, icmpv6, -1 or a protocol number"
    if proto in ("icmp", "1") and v.get("cidrIpv6") is not None:
        yield "ipProtocol", "icmp is IPv4's ICMP: an IPv6 rule takes icmpv6"
    if proto in ("tcp", "udp", "6", "17"):
        lo, hi = _int(v.get("fromPort")), _int(v.get("toPort"))
        if lo is None or hi is None:
            yield "fromPort", f"{proto} needs fromPort and toPort"
        elif not 0 <= lo <= hi <= 65535:
            yield "fromPort", f"port range {lo}-{hi} is not within 0-65535 (from <= to)"


# ------------------------------------------------------------------ BGP


def _rfc6996(asn: int) -> bool:
    return 64512 <= asn <= 65534 or 4200000000 <= asn <= 4294967294


@rule("bgp.asn", ("gcp:compute/router:Router", "gcp:compute/routerPeer:RouterPeer", "aws:ec2/vpnGateway:VpnGateway",
                  "aws:ec2/customerGateway:CustomerGateway"),
      "terraform-provider-google verify.ValidateRFC6996Asn (Cloud Router: 64512-65534, 4200000000-4294967294 or 16550); "
      "terraform-provider-aws verify.ValidAmazonSideASN (VGW: 64512-65534, 4200000000-4294967294, or 7224, 9059, "
      "10124, 17493) and verify.Valid4ByteASN (customer gateway: 0-4294967295); BGP peer ASNs are 32-bit")
def _asn(v: dict) -> Problems:
    router = _int(_obj(v.get("bgp")).get("asn"))
    if router is not None and not (_rfc6996(router) or router == 16550):
        yield "bgp.asn", f"ASN {router} is not an RFC 6996 private ASN (64512-65534, 4200000000-4294967294) or 16550"
    peer = _int(v.get("peerAsn"))
    if peer is not None and not 1 <= peer <= 4294967295:
        yield "peerAsn", f"ASN {peer} is outside 1-4294967295"
    for key, ok, text in (("amazonSideAsn", lambda a: _rfc6996(a) or a in (7224, 9059, 10124, 17493),
                           "64512-65534, 4200000000-4294967294, 7224, 9059, 10124 or 17493"),
                          ("bgpAsn", lambda a: 0 <= a <= 4294967295, "0-4294967295")):
        raw = _str(v.get(key))
        if raw is None:
            continue
        if not raw.isdigit():
            yield key, f"{raw!r} is not an ASN"
        elif not ok(int(raw)):
            yield key, f"ASN {raw} is outside {text}"


@rule("bgp.link-local", ("gcp:compute/routerInterface:RouterInterface", "gcp:compute/routerPeer:RouterPeer"),
      "magic-modules RouterInterface.yaml (ip_range in the RFC 3927 link-local space); Cloud VPN \"Create an HA VPN "
      "gateway\": each BGP IPv4 address in the same /30 of 169.254.0.0/16, the first or second host of it")
def _link_local(v: dict) -> Problems:
    text = _str(v.get("ipRange"))
    if text is not None:
        try:
            iface = ipaddress.ip_interface(text)
        except ValueError:
            iface = None
        if iface is None or iface.version != 4 or iface.network.prefixlen != 30 or not iface.network.subnet_of(LINK_LOCAL):
            yield "ipRange", f"{text} is not an address in a /30 of 169.254.0.0/16"
        elif iface.ip in (iface.network.network_address, iface.network.broadcast_address):
            yield "ipRange", f"{text}: the /30's network or broadcast address"
    ours, theirs = _str(v.get("ipAddress")), _str(v.get("peerIpAddress"))
    if ours is not None and theirs is not None:
        nets = {ipaddress.ip_network(f"{a}/30", strict=False) for a in (ours, theirs) if _net(a) and _net(a).version == 4}
        if len(nets) != 1 or not next(iter(nets)).subnet_of(LINK_LOCAL) or ours == theirs:
            yield "peerIpAddress", f"{ours} and {theirs} are not two hosts of one /30 of 169.254.0.0/16"


# ------------------------------------------------------------------ IAM

_IAM_NAME = re.compile(r"^[\w+=,.@-]+$")


@rule("iam.aws-names", ("aws:iam/role:Role", "aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy"),
      "terraform-provider-aws internal/service/iam role.go / policy.go / role_policy.go (names 1-64 for roles, 1-128 "
      "for policies, of [\\w+=,.@-]; path at most 512 characters; max_session_duration 3600-43200; policy documents "
      "valid JSON, validation.StringIsJSON / verify.ValidIAMPolicyJSON); IAM API CreateRole Path pattern "
      "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F): starts and ends with /")
def _aws_iam(v: dict) -> Problems:
    longest = 64 if "assumeRolePolicy" in v or "maxSessionDuration" in v else 128
    name = _str(v.get("name"))
    if name is not None and (not _IAM_NAME.match(name) or len(name) > longest):
        yield "name", f"{name!r} is not 1-{longest} characters of letters, digits and +=,.@_-"
    path = _str(v.get("path"))
    if path is not None and (len(path) > 512 or not (path.startswith("/") and path.endswith("/"))):
        yield "path", f"{path!r} is not a path of at most 512 characters starting and ending with /"
    seconds = _int(v.get("maxSessionDuration"))
    if seconds is not None and not 3600 <= seconds <= 43200:
        yield "maxSessionDuration", f"{seconds} s is outside 3600-43200"
    for key in ("assumeRolePolicy", "policy"):
        doc = _str(v.get(key))
        if doc is not None:
            try:
                json.loads(doc)
            except ValueError as exc:
                yield key, f"not valid JSON: {exc}"


_MEMBER = re.compile(r"^(.+:.+|projectOwners|projectReaders|projectWriters|allUsers|allAuthenticatedUsers)$")
_ROLE = re.compile(r"^(roles/[\w.]+|(projects|organizations)/[^/]+/roles/[\w.]+)$")


@rule("iam.gcp-binding", ("gcp:projects/iAMMember:IAMMember", "gcp:pubsub/topicIAMMember:TopicIAMMember",
                          "gcp:storage/bucketIAMMember:BucketIAMMember"),
      "terraform-provider-google tpgiamresource validateIAMMember (a member is type:id, allUsers, "
      "allAuthenticatedUsers or a project convenience value, never deleted:); IAM API Binding.role (roles/<name>, or "
      "projects/<p>/roles/<name> / organizations/<o>/roles/<name> for custom roles)")
def _gcp_binding(v: dict) -> Problems:
    member = _str(v.get("member"))
    if member is not None and (member.startswith("deleted") or not _MEMBER.match(member)):
        yield "member", f"{member!r} is not an IAM member (type:id)"
    role = _str(v.get("role"))
    if role is not None and not _ROLE.match(role):
        yield "role", f"{role!r} is not roles/<name> or a custom role's projects/<p>/roles/<name>"


_GCE_NAME = re.compile(r"^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$")


@rule("gce.name", ("gcp:compute/network:Network", "gcp:compute/subnetwork:Subnetwork", "gcp:compute/firewall:Firewall",
                   "gcp:compute/route:Route", "gcp:compute/router:Router", "gcp:compute/haVpnGateway:HaVpnGateway",
                   "gcp:compute/externalVpnGateway:ExternalVpnGateway", "gcp:compute/vPNTunnel:VPNTunnel",
                   "gcp:compute/routerInterface:RouterInterface", "gcp:compute/routerPeer:RouterPeer",
                   "gcp:compute/resourcePolicy:ResourcePolicy"),
      "terraform-provider-google verify.ValidateGCEName / Compute Engine resource naming (RFC 1035: a lowercase "
      "letter, then up to 62 lowercase letters, digits or hyphens, not ending in a hyphen)")
def _gce_name(v: dict) -> Problems:
    name = _str(v.get("name"))
    if name is not None and not _GCE_NAME.match(name):
        yield "name", f"{name!r} is not a Compute Engine name ([a-z]([-a-z0-9]{{0,61}}[a-z0-9])?)"
