"""Pure planning for the Pulumi program: numbers and documents derived from the zone model.

No Pulumi here, so each rule (VPC supernet, backup retentions and windows, the GCP snapshot
hour, link-local tunnel ranges, IAM documents) is testable on its own and written once.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from zones import cloud_limits
from zones.egress import SegmentFlow, segment_flows  # noqa: F401  (re-exported)
from zones.windows import minutes_to_window_end, shortest_night_hours

# Site-to-Site VPN crypto accepted on both ends (AWS and GCP both offer these; nothing weaker).
IKE_VERSIONS = ["ikev2"]
ENCRYPTIONS = ["AES256-GCM-16"]
INTEGRITIES = ["SHA2-384"]
DH_GROUPS = [20, 21]
# The same suite in GCP's spelling (VPNTunnel.cipherSuite), exactly as Google's "Supported IKE
# ciphers" page documents it for IKEv2 ciphers that use AEAD: AES-GCM-16-256 fills the "Encryption &
# Integrity" role, so no integrity algorithm is sent (phase 1: PRF-HMAC-SHA2-384 and DH Group-20/21;
# phase 2: PFS Group-20/21). The DC edge then negotiates the AWS suite above: AES256-GCM-16 with
# PRF SHA2-384 and DH 20/21.
GCP_PHASE1 = {"encryptions": ["AES-GCM-16-256"], "prves": ["PRF-HMAC-SHA2-384"], "dhs": ["Group-20", "Group-21"]}
GCP_PHASE2 = {"encryptions": ["AES-GCM-16-256"], "pfs": ["Group-20", "Group-21"]}
PSK_LENGTH = 40  # AWS accepts 8-64 characters: letters, digits, '.', '_' and not starting with 0


def vpc_cidr(cidrs: list[str]) -> str:
    """The smallest block holding every cloud-side segment (AWS VPCs span /16 to /28)."""
    nets = [ipaddress.ip_network(c) for c in cidrs]
    first = min(int(n.network_address) for n in nets)
    last = max(int(n.broadcast_address) for n in nets)
    prefix = 32 - (first ^ last).bit_length()
    net = ipaddress.ip_network(f"{ipaddress.IPv4Address(first)}/{prefix}", strict=False)
    if net.prefixlen < 16:
        raise ValueError(f"AWS segments {', '.join(cidrs)} need a /{net.prefixlen} VPC; AWS allows /16 at most")
    return str(net)


def minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


@dataclass(frozen=True)
class BackupRule:
    name: str
    schedule: str  # AWS cron in the zone's timezone
    delete_after_days: int
    start_window: int  # minutes
    completion_window: int  # minutes, counted from the scheduled start


def backup_rules(zone) -> list[BackupRule]:
    """Counts (5 daily / 4 weekly / 3 monthly) become ages: AWS Backup keeps by age, not count.

    A weekly copy kept `weekly` x 7 days leaves `weekly` copies; a monthly copy kept
    `monthly` x 31 days leaves at least `monthly` whatever the month lengths.
    The job must start and finish inside the maintenance window: the start window is one
    hour (AWS's minimum) and the completion window runs to the window's end; zones validate
    rejects a start that leaves AWS Backup no valid pair (zones/validate_cloud.py, same rule).
    """
    b, w = zone.backup, zone.maintenance_window
    start_window = cloud_limits.BACKUP_MIN_START_WINDOW
    completion = minutes_to_window_end(w, b.start)
    if not 0 <= completion <= w.minutes()[1] - w.minutes()[0] or cloud_limits.backup_windows(start_window, completion):
        raise ValueError(f"zone {zone.id}: backup start {b.start} leaves no hour inside the window {w.start}-{w.end}")
    h, m = (int(x) for x in b.start.split(":"))
    return [
        BackupRule("daily", f"cron({m} {h} * * ? *)", b.daily * 1, start_window, completion),
        BackupRule("weekly", f"cron({m} {h} ? * SUN *)", b.weekly * 7, start_window, completion),
        BackupRule("monthly", f"cron({m} {h} 1 * ? *)", b.monthly * 31, start_window, completion),
    ]


def longest_retention_days(zone) -> int:
    return max(r.delete_after_days for r in backup_rules(zone))


def utc_offsets(tz: str, year: int = 2026) -> list[int]:
    """Every UTC offset (minutes) the timezone uses in a year: one, or two with DST."""
    zone = ZoneInfo(tz)
    offs = set()
    day = date(year, 1, 1)
    while day.year == year:
        dt = datetime.combine(day, time(12), tzinfo=zone)
        offs.add(int(dt.utcoffset().total_seconds() // 60))
        day += timedelta(days=7)
    return sorted(offs)


def gcp_snapshot_start_utc(zone, run_minutes: int = 60) -> str:
    """GCP snapshot schedules take a UTC hour ("HH:00") and no timezone: the first UTC hour at or
    after the local backup start whose snapshot hour stays inside the window under every UTC
    offset the zone's timezone uses (summer and winter time)."""
    w_start, w_end = zone.maintenance_window.minutes()
    start = minutes(zone.backup.start)
    if start < w_start:
        start += 24 * 60
    offsets = utc_offsets(zone.timezone)
    for hour in range(24):
        utc = ((start - offsets[0]) // 60 + hour) % 24 * 60
        locals_ = [(utc + off) % 1440 for off in offsets]
        locals_ = [t + 1440 if t < w_start else t for t in locals_]
        if all(start <= t and t + run_minutes <= w_end for t in locals_):
            return f"{utc // 60:02d}:00"
    raise ValueError(f"zone {zone.id}: no UTC hour keeps the snapshot inside {zone.maintenance_window.start}-"
                     f"{zone.maintenance_window.end} {zone.timezone}")


def maintenance_cron(zone, year: int = 2026) -> tuple[str, int, int]:
    """SSM cron (in the zone's timezone), duration in whole hours — the window's shortest night of
    the year (a spring-forward night is an hour short), so no run overruns it — and the cutoff."""
    w_start, _ = zone.maintenance_window.minutes()
    h, m = divmod(w_start, 60)
    hours = int(shortest_night_hours(zone.maintenance_window, zone.timezone, year))
    return f"cron({m} {h} * * ? *)", hours, cloud_limits.SSM_CUTOFF_HOURS


LINK_LOCAL_BASE = 0xA9FE4000  # 169.254.64.0: GCP BGP sessions use 169.254.64.0/18 (4,096 /30s)


def link_local_30(zone_index: int, dc_index: int, tunnel: int, dcs_total: int) -> tuple[str, str, str]:
    """(range, cloud router IP, peer IP) of one GCP tunnel's BGP session (2 per zone and DC),
    unique platform-wide because a DC edge terminates tunnels from several zones."""
    block = (zone_index * dcs_total + dc_index) * 2 + tunnel
    if not (0 <= tunnel < 2 and 0 <= dc_index < dcs_total) or block >= 4096:
        raise ValueError(f"link-local plan: zone #{zone_index}, DC #{dc_index}, tunnel {tunnel} is outside "
                         "169.254.64.0/18 (4,096 tunnels)")
    base = ipaddress.IPv4Address(LINK_LOCAL_BASE + 4 * block)
    return f"{base}/30", str(base + 1), str(base + 2)


# The segment policy's flows live with the egress derivation (one place): zones/egress.py.


# ---------------------------------------------------------------- IAM documents

WRITE_FREE_PREFIXES = ("Describe", "Get", "List", "Filter")


def is_read_action(action: str) -> bool:
    return action.split(":", 1)[1].startswith(WRITE_FREE_PREFIXES)


def trust_policy(account_id: str, identity_group: str) -> str:
    """People reach a role through the zone account's IAM Identity Center, with MFA, and only
    from their own team's permission set (named after the directory group in access.yaml): any
    other principal of the account, and any other team, is refused."""
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
            "Action": "sts:AssumeRole",
            "Condition": {
                "Bool": {"aws:MultiFactorAuthPresent": "true"},
                "ArnLike": {"aws:PrincipalArn": identity_center_role_arn(account_id, identity_group)},
            },
        }],
    }, sort_keys=True)


def identity_center_role_arn(account_id: str, identity_group: str) -> str:
    """The roles IAM Identity Center creates for the team's permission set, in any region."""
    return f"arn:aws:iam::{account_id}:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_{identity_group}_*"


# Where each service's write actions may land, as ARN patterns in the zone's region/account.
_SERVICE_ARNS = {
    "ec2": ["arn:aws:ec2:{r}:{a}:*"],
    "backup": ["arn:aws:backup:{r}:{a}:*"],
    "ssm": ["arn:aws:ssm:{r}:{a}:*", "arn:aws:ec2:{r}:{a}:instance/*"],
    "logs": ["arn:aws:logs:{r}:{a}:log-group:*"],
    "cloudwatch": ["arn:aws:cloudwatch:{r}:{a}:alarm:*"],
}


def restrictable(actions: list[str]) -> set[str]:
    """The named actions AWS can scope to a resource ARN (the others need Resource "*").

    Asked of cloudsplaining's IAM database, the one checkov's CKV_AWS_355 and the pack consult.
    """
    from cloudsplaining.scan.policy_document import PolicyDocument

    named = [a for a in actions if "*" not in a]
    if not named:
        return set()
    doc = PolicyDocument({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": named, "Resource": "*"}]})
    found = {a.lower() for a in doc.all_allowed_unrestricted_actions}
    return {a for a in named if a.lower() in found}


def _zone_arns(actions: list[str], region: str, account_id: str) -> list[str]:
    services = sorted({a.split(":", 1)[0] for a in actions})
    return sorted({p.format(r=region, a=account_id) for s in services
                   for p in _SERVICE_ARNS.get(s, [f"arn:aws:{s}:{{r}}:{{a}}:*"])})


def level_policy(zone_id: str, region: str, account_id: str, actions: list[str], break_glass: bool) -> str:
    """Reads AWS cannot scope (most Describe/List calls) on "*"; reads it can scope, at the zone's
    ARNs; writes only at the zone's ARNs and, where AWS evaluates it, only at resources tagged
    with the zone."""
    reads = sorted(a for a in actions if ":" in a and not a.endswith(":*") and is_read_action(a))
    writes = sorted(a for a in actions if a not in reads)
    scoped = restrictable(reads)
    statements = []
    if unscoped := [a for a in reads if a not in scoped]:
        statements.append({"Sid": "Read", "Effect": "Allow", "Action": unscoped, "Resource": "*"})
    if in_zone := [a for a in reads if a in scoped]:
        statements.append({"Sid": "ReadInZone", "Effect": "Allow", "Action": in_zone,
                           "Resource": _zone_arns(in_zone, region, account_id)})
    if writes:
        stmt = {"Sid": "WriteInZone", "Effect": "Allow", "Action": writes, "Resource": _zone_arns(writes, region, account_id)}
        if not break_glass:
            # Break-glass repairs what the tags may have lost; the others touch only tagged resources.
            stmt["Condition"] = {"StringEquals": {"aws:ResourceTag/zone": zone_id}}
        statements.append(stmt)
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, sort_keys=True)


def flow_log_trust() -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
        sort_keys=True)


def flow_log_policy(log_group_arn: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
        "Resource": [log_group_arn, f"{log_group_arn}:*"]}]}, sort_keys=True)


def backup_trust() -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "backup.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
        sort_keys=True)


def kms_key_policy(account_id: str, region: str, services: list[str]) -> str:
    """The account administers the key; the named AWS services (logs, backup) may use it in-region."""
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "Account", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
         "Action": "kms:*", "Resource": "*"},
        {"Sid": "Services", "Effect": "Allow", "Principal": {"Service": [s.format(r=region) for s in services]},
         "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:DescribeKey"],
         "Resource": "*",
         "Condition": {"StringEquals": {"aws:SourceAccount": account_id}}},
    ]}, sort_keys=True)


def topic_policy(topic_arn: str, account_id: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "AlarmsAndEvents", "Effect": "Allow",
        "Principal": {"Service": ["cloudwatch.amazonaws.com", "events.amazonaws.com"]},
        "Action": "sns:Publish", "Resource": topic_arn,
        "Condition": {"StringEquals": {"aws:SourceAccount": account_id}}}]}, sort_keys=True)


def break_glass_event_pattern(role_arns: list[str]) -> str:
    """CloudTrail AssumeRole calls on the break-glass roles."""
    return json.dumps({
        "source": ["aws.sts"],
        "detail-type": ["AWS API Call via CloudTrail"],
        "detail": {"eventSource": ["sts.amazonaws.com"], "eventName": ["AssumeRole"],
                   "requestParameters": {"roleArn": sorted(role_arns)}},
    }, sort_keys=True)

