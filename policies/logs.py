"""log-retention: every log group keeps logs between the Service Description's bounds (7-180 d)."""

from __future__ import annotations

from .build import resource_policy
from .common import UNKNOWN, get, number, platform

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
GCP_BUCKET = "gcp:logging/projectBucketConfig:ProjectBucketConfig"
GCP_DEFAULT_RETENTION_DAYS = 30  # what GCP applies to a log bucket without retentionDays


def _log_retention(args, report_violation) -> None:
    if args.resource_type == LOG_GROUP:
        key, default = "retentionInDays", None
    elif args.resource_type == GCP_BUCKET:
        key, default = "retentionDays", GCP_DEFAULT_RETENTION_DAYS
    else:
        return
    bounds = platform().platform.service_description.log_retention_days
    raw = get(args.props, key)
    if raw is UNKNOWN:
        return
    days = number(raw) if raw is not None else default
    if not days:  # unset or 0: CloudWatch keeps the logs forever
        report_violation(f"{key} is not set: logs are kept forever (allowed {bounds.min}-{bounds.max} days)", None)
    elif not bounds.min <= days <= bounds.max:
        report_violation(f"{key} is {days:g} days, outside {bounds.min}-{bounds.max} days", None)


log_retention = resource_policy("log-retention", _log_retention)

POLICIES = [log_retention]
