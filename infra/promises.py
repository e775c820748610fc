"""Pure planning for the Service Description's remaining promises: restore tests and backup
evidence, monitoring and the audit trail. Numbers and documents derived from the zone model; no
Pulumi here, so each rule is testable on its own and written once (the policies check the same
facts independently, from the zone model).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from zones.model import BACKUP_SCOPE_AWS_TYPES

BACKUP_REPORTS_ROLE = "role/aws-service-role/reports.backup.amazonaws.com/AWSServiceRoleForBackupReports"
# Events AWS Backup sends to EventBridge; a backup job's state is `state`, a restore job's `status`.
BACKUP_JOB_FAILED = ("FAILED", "ABORTED", "EXPIRED")
RESTORE_JOB_FAILED = ("FAILED", "ABORTED")
REPORT_TEMPLATES = ("RESTORE_JOB_REPORT", "BACKUP_JOB_REPORT", "CONTROL_COMPLIANCE_REPORT")
# GCP: the metrics Cloud VPN and Cloud Router publish (1 = tunnel established / BGP session up).
VPN_TUNNEL_METRIC = "vpn.googleapis.com/tunnel_established"
BGP_SESSION_METRIC = "router.googleapis.com/bgp/session_up"
AUDIT_LOG_FILTER = 'logName:"cloudaudit.googleapis.com"'
AUDIT_LOG_TYPES = ("ADMIN_READ", "DATA_READ", "DATA_WRITE")


def resource_types(zone) -> list[str]:
    """AWS Backup resource types of the zone's backup scope, in a stable order."""
    return [t for scope in zone.backup.scope for t in BACKUP_SCOPE_AWS_TYPES[scope]]


@dataclass(frozen=True)
class RestoreTest:
    schedule: str  # AWS cron in the zone's timezone
    start_window_hours: int
    selection_window_days: int  # restore the newest recovery point of the last RPO
    validation_window_hours: int
    max_restore_minutes: int  # Audit Manager's RESTORE_TIME target: restore + validation <= RTO


def restore_test(zone) -> RestoreTest:
    """Monthly, starting at the window's start (AWS's smallest start window, one hour, so it starts
    inside the window); the restored copy is kept `validation_hours` for validation, and the restore
    itself must finish in what remains of the RTO."""
    rt, b = zone.restore_test, zone.backup
    start, end = zone.maintenance_window.minutes()
    if start + 60 > end:
        raise ValueError(f"zone {zone.id}: the window {zone.maintenance_window.start}-{zone.maintenance_window.end} "
                         "has no hour to start a restore test")
    if rt.validation_hours >= b.rto_hours:
        raise ValueError(f"zone {zone.id}: {rt.validation_hours} h of validation leaves no time to restore within "
                         f"the RTO of {b.rto_hours} h")
    h, m = divmod(start % 1440, 60)
    return RestoreTest(schedule=f"cron({m} {h} {rt.day_of_month} * ? *)", start_window_hours=1,
                       selection_window_days=max(1, -(-b.rpo_hours // 24)),
                       validation_window_hours=rt.validation_hours,
                       max_restore_minutes=(b.rto_hours - rt.validation_hours) * 60)


@dataclass(frozen=True)
class Control:
    name: str
    parameters: tuple[tuple[str, str], ...]
    resource_types: tuple[str, ...]  # the control's scope (empty: AWS's default scope)


def framework_controls(zone) -> list[Control]:
    """AWS Backup Audit Manager controls that express the promises: RPO and retention of the
    plans, encrypted recovery points, every in-scope resource in a plan, a recovery point within
    the RPO, and restores that meet the RTO."""
    b = zone.backup
    types = tuple(resource_types(zone))
    return [
        Control("BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
                (("requiredFrequencyUnit", "hours"), ("requiredFrequencyValue", str(b.rpo_hours)),
                 ("requiredRetentionDays", str(b.daily))), ()),
        Control("BACKUP_RECOVERY_POINT_ENCRYPTED", (), ()),
        Control("BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN", (), types),
        Control("BACKUP_LAST_RECOVERY_POINT_CREATED",
                (("recoveryPointAgeUnit", "hours"), ("recoveryPointAgeValue", str(b.rpo_hours))), types),
        Control("RESTORE_TIME_FOR_RESOURCES_MEET_TARGET",
                (("maxRestoreTime", str(restore_test(zone).max_restore_minutes)),), types),
    ]


def bucket_name(zone, purpose: str) -> str:
    """Globally unique S3 names: project, zone, purpose and the zone's account."""
    return f"byside-{zone.id}-{purpose}-{zone.aws.account_id}"


def trail_name(zone) -> str:
    return f"{zone.id}-audit-trail"


def trail_arn(zone) -> str:
    return f"arn:aws:cloudtrail:{zone.aws.region}:{zone.aws.account_id}:trail/{trail_name(zone)}"


def reports_role_arn(account_id: str) -> str:
    return f"arn:aws:iam::{account_id}:{BACKUP_REPORTS_ROLE}"


def _tls_only(bucket_arn: str) -> dict:
    return {"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [bucket_arn, f"{bucket_arn}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


def evidence_bucket_policy(bucket_arn: str, account_id: str) -> str:
    """Backup Audit Manager writes reports as its service-linked role. That role is created with the
    first framework or report plan, so it is named in a condition, not as the principal (a policy
    naming a role that does not exist yet is rejected)."""
    return json.dumps({"Version": "2012-10-17", "Statement": [
        _tls_only(bucket_arn),
        {"Sid": "BackupReports", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:PutObject",
         "Resource": f"{bucket_arn}/*",
         "Condition": {"ArnEquals": {"aws:PrincipalArn": reports_role_arn(account_id)},
                       "StringEquals": {"aws:PrincipalAccount": account_id,
                                        "s3:x-amz-acl": "bucket-owner-full-control"}}},
    ]}, sort_keys=True)


def trail_bucket_policy(bucket_arn: str, account_id: str, trail: str) -> str:
    """CloudTrail (this trail only) may read the ACL and write its logs; everything over TLS."""
    source = {"StringEquals": {"aws:SourceArn": trail}}
    return json.dumps({"Version": "2012-10-17", "Statement": [
        _tls_only(bucket_arn),
        {"Sid": "CloudTrailAcl", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
         "Action": "s3:GetBucketAcl", "Resource": bucket_arn, "Condition": source},
        {"Sid": "CloudTrailWrite", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
         "Action": "s3:PutObject", "Resource": f"{bucket_arn}/AWSLogs/{account_id}/*",
         "Condition": {"StringEquals": {"aws:SourceArn": trail, "s3:x-amz-acl": "bucket-owner-full-control"}}},
    ]}, sort_keys=True)


def _admin(account_id: str) -> dict:
    return {"Sid": "Account", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
            "Action": "kms:*", "Resource": "*"}


def evidence_key_policy(account_id: str) -> str:
    """The account administers the key; Backup Audit Manager's role may encrypt its reports."""
    return json.dumps({"Version": "2012-10-17", "Statement": [
        _admin(account_id),
        {"Sid": "BackupReports", "Effect": "Allow", "Principal": {"AWS": "*"},
         "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*",
         "Condition": {"ArnEquals": {"aws:PrincipalArn": reports_role_arn(account_id)},
                       "StringEquals": {"aws:PrincipalAccount": account_id}}},
    ]}, sort_keys=True)


def trail_key_policy(account_id: str, region: str, trail: str) -> str:
    """CloudTrail encrypts this trail's log files (encryption context names the trail); CloudWatch
    Logs encrypts the trail's log group; the account administers and decrypts."""
    return json.dumps({"Version": "2012-10-17", "Statement": [
        _admin(account_id),
        {"Sid": "CloudTrailEncrypt", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
         "Action": "kms:GenerateDataKey*", "Resource": "*",
         "Condition": {"StringEquals": {"aws:SourceArn": trail},
                       "StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn":
                                      f"arn:aws:cloudtrail:*:{account_id}:trail/*"}}},
        {"Sid": "CloudTrailDescribe", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
         "Action": "kms:DescribeKey", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceArn": trail}}},
        {"Sid": "Logs", "Effect": "Allow", "Principal": {"Service": f"logs.{region}.amazonaws.com"},
         "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:DescribeKey"],
         "Resource": "*", "Condition": {"StringEquals": {"aws:SourceAccount": account_id}}},
    ]}, sort_keys=True)


def trail_logs_trust() -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
        sort_keys=True)


def trail_logs_policy(log_group_arn: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": [f"{log_group_arn}:*"]}]}, sort_keys=True)


def backup_failed_pattern() -> str:
    return json.dumps({"source": ["aws.backup"], "detail-type": ["Backup Job State Change"],
                       "detail": {"state": list(BACKUP_JOB_FAILED)}}, sort_keys=True)


def restore_failed_pattern() -> str:
    """Failed restores, restore tests included (their jobs are restore jobs)."""
    return json.dumps({"source": ["aws.backup"], "detail-type": ["Restore Job State Change"],
                       "detail": {"status": list(RESTORE_JOB_FAILED)}}, sort_keys=True)


def tunnel_filter(tunnel_name: str) -> str:
    return (f'resource.type = "vpn_gateway" AND metric.type = "{VPN_TUNNEL_METRIC}" '
            f'AND metric.label.tunnel_name = "{tunnel_name}"')


def bgp_filter(peer_name: str) -> str:
    return (f'resource.type = "gce_router" AND metric.type = "{BGP_SESSION_METRIC}" '
            f'AND metric.label.bgp_peer_name = "{peer_name}"')
