"""The zone account's audit trail for the SIEM: one multi-region CloudTrail with log file
validation, encrypted with its own KMS key, delivered to an encrypted, versioned bucket kept for
the zone's audit retention, and to a CloudWatch log group for real-time alerting (the break-glass
rule of infra/aws/iam.py reads these events)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .. import promises
from ..tags import tagged
from .bucket import EncryptedBucket, EncryptedBucketArgs


@dataclass
class AwsAuditTrailArgs:
    zone_id: str
    region: str
    account_id: str
    trail_name: str
    trail_arn: str
    bucket_name: str
    retention_days: int
    tags: dict[str, str]


class AwsAuditTrail(pulumi.ComponentResource):
    def __init__(self, name: str, args: AwsAuditTrailArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("byside:aws:AuditTrail", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        z, acct = args.zone_id, args.account_id
        self.store = EncryptedBucket(f"{z}-cloudtrail", EncryptedBucketArgs(
            z, "cloudtrail", args.bucket_name, args.retention_days,
            promises.trail_key_policy(acct, args.region, args.trail_arn),
            lambda arn: promises.trail_bucket_policy(arn, acct, args.trail_arn), args.tags), child)
        self.log_group = aws.cloudwatch.LogGroup(f"{z}-cloudtrail-logs", name=f"/byside/{z}/cloudtrail",
                                                 retention_in_days=args.retention_days, kms_key_id=self.store.key.arn,
                                                 tags=tagged(args.tags), opts=child)
        self.role = aws.iam.Role(f"{z}-cloudtrail-role", name=f"{z}-cloudtrail-logs",
                                 assume_role_policy=promises.trail_logs_trust(),
                                 tags=tagged(args.tags, access_level="service"), opts=child)
        self.role_policy = aws.iam.RolePolicy(f"{z}-cloudtrail-logs-policy", role=self.role.id,
                                              policy=self.log_group.arn.apply(promises.trail_logs_policy), opts=child)
        self.trail = aws.cloudtrail.Trail(
            f"{z}-audit-trail", name=args.trail_name, s3_bucket_name=self.store.bucket.id,
            is_multi_region_trail=True, include_global_service_events=True, enable_log_file_validation=True,
            enable_logging=True, kms_key_id=self.store.key.arn,
            cloud_watch_logs_group_arn=self.log_group.arn.apply(lambda a: f"{a}:*"),
            cloud_watch_logs_role_arn=self.role.arn,
            event_selectors=[aws.cloudtrail.TrailEventSelectorArgs(read_write_type="All",
                                                                   include_management_events=True)],
            tags=tagged(args.tags),
            # CloudTrail checks at creation that it may write to the bucket and the log group.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.store.policy, self.store.encryption,
                                                                 self.role_policy]))
        self.register_outputs({"trailArn": self.trail.arn, "bucket": self.store.bucket.bucket})
