"""An S3 bucket for evidence and audit logs: its own KMS key, versioned, public access blocked,
TLS only, objects (and old versions) expired after the zone's retention. Used by the backup
evidence (Backup Audit Manager reports) and the CloudTrail audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pulumi
import pulumi_aws as aws

from ..tags import tagged


@dataclass
class EncryptedBucketArgs:
    zone_id: str
    purpose: str  # names the key and the child resources: <zone>-<purpose>-...
    bucket_name: str
    retention_days: int
    key_policy: str
    bucket_policy: Callable[[str], str]  # bucket ARN -> policy document
    tags: dict[str, str]


class EncryptedBucket(pulumi.ComponentResource):
    def __init__(self, name: str, args: EncryptedBucketArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("byside:aws:EncryptedBucket", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        key = f"{args.zone_id}-{args.purpose}"
        self.key = aws.kms.Key(f"{key}-key", description=f"{args.zone_id}: {args.purpose} bucket encryption",
                               enable_key_rotation=True, deletion_window_in_days=30, policy=args.key_policy,
                               tags=tagged(args.tags), opts=child)
        self.bucket = aws.s3.Bucket(f"{key}-bucket", bucket=args.bucket_name, force_destroy=False,
                                    tags=tagged(args.tags), opts=child)
        self.encryption = aws.s3.BucketServerSideEncryptionConfiguration(
            f"{key}-encryption", bucket=self.bucket.id,
            rules=[aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                    sse_algorithm="aws:kms", kms_master_key_id=self.key.arn),
                bucket_key_enabled=True)], opts=child)
        self.versioning = aws.s3.BucketVersioning(
            f"{key}-versioning", bucket=self.bucket.id,
            versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"), opts=child)
        self.public_access = aws.s3.BucketPublicAccessBlock(
            f"{key}-public-access", bucket=self.bucket.id, block_public_acls=True, block_public_policy=True,
            ignore_public_acls=True, restrict_public_buckets=True, opts=child)
        days = args.retention_days
        self.lifecycle = aws.s3.BucketLifecycleConfiguration(
            f"{key}-lifecycle", bucket=self.bucket.id,
            rules=[aws.s3.BucketLifecycleConfigurationRuleArgs(
                id="retention", status="Enabled", filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
                expiration=aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(days=days),
                noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                    noncurrent_days=days),
                abort_incomplete_multipart_upload=aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                    days_after_initiation=7))],
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.versioning]))
        self.policy = aws.s3.BucketPolicy(
            f"{key}-policy", bucket=self.bucket.id, policy=self.bucket.arn.apply(args.bucket_policy),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.public_access]))
        self.register_outputs({"bucketName": self.bucket.bucket, "bucketArn": self.bucket.arn, "keyArn": self.key.arn})
