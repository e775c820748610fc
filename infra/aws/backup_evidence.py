"""Evidence that the backup promises hold: an AWS Backup Audit Manager framework whose controls
are the promises (RPO and retention of the plans, encrypted recovery points, every database and
file store in a plan, a recovery point within the RPO, restores within the RTO), and report plans
that deliver restore-job, backup-job and control-compliance reports every day to an encrypted,
versioned bucket kept for the zone's audit retention.

Audit Manager evaluates its controls with AWS Config: the account's configuration recorder must
record the AWS Backup resource types (a per-account setting this program does not own).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .. import promises
from ..tags import tagged
from .bucket import EncryptedBucket, EncryptedBucketArgs


@dataclass
class AwsBackupEvidenceArgs:
    zone_id: str
    account_id: str
    bucket_name: str
    retention_days: int
    controls: list[promises.Control]
    tags: dict[str, str]


class AwsBackupEvidence(pulumi.ComponentResource):
    def __init__(self, name: str, args: AwsBackupEvidenceArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("byside:aws:BackupEvidence", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        z, acct = args.zone_id, args.account_id
        self.framework = aws.backup.Framework(
            f"{z}-backup-framework", name=f"{z}_backup_promises",
            description=f"{z}: the Service Description's backup promises (RPO, retention, encryption, scope, RTO)",
            controls=[aws.backup.FrameworkControlArgs(
                name=c.name,
                input_parameters=[aws.backup.FrameworkControlInputParameterArgs(name=k, value=v) for k, v in c.parameters],
                scope=aws.backup.FrameworkControlScopeArgs(compliance_resource_types=list(c.resource_types))
                if c.resource_types else None) for c in args.controls],
            tags=tagged(args.tags), opts=child)
        self.bucket = EncryptedBucket(f"{z}-backup-evidence", EncryptedBucketArgs(
            z, "backup-evidence", args.bucket_name, args.retention_days, promises.evidence_key_policy(acct),
            lambda arn: promises.evidence_bucket_policy(arn, acct), args.tags), child)
        self.report_plans: dict[str, aws.backup.ReportPlan] = {}
        for template in promises.REPORT_TEMPLATES:
            key = template.removesuffix("_REPORT").lower()
            compliance = template == "CONTROL_COMPLIANCE_REPORT"
            self.report_plans[template] = aws.backup.ReportPlan(
                f"{z}-report-{key.replace('_', '-')}", name=f"{z}_{key}",
                description=f"{z}: {template.replace('_', ' ').lower()}s, daily, to the evidence bucket",
                report_delivery_channel=aws.backup.ReportPlanReportDeliveryChannelArgs(
                    s3_bucket_name=self.bucket.bucket.bucket, s3_key_prefix=f"{z}/{key}", formats=["CSV", "JSON"]),
                report_setting=aws.backup.ReportPlanReportSettingArgs(
                    report_template=template,
                    framework_arns=[self.framework.arn] if compliance else None,
                    number_of_frameworks=1 if compliance else None),
                tags=tagged(args.tags),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[self.bucket.policy, self.bucket.encryption]))
        self.register_outputs({"frameworkArn": self.framework.arn, "evidenceBucket": self.bucket.bucket.bucket})
