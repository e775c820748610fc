"""A tiny policy pack for tests/check: one resource policy with a config property, one stack
policy. Served exactly like policies/__main__.py (the constructor prints the port, serves gRPC).
Like the byside pack it reads plan secrets (ciphertext-only envelopes) through policies/wire.py."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # the repository root, for policies.wire

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyPack,
    ResourceValidationPolicy,
    Severity,
    StackValidationPolicy,
)

from policies import wire  # STOCK: the test of a stock pack drops this line and the next

wire.install()  # STOCK


def no_public_bucket(args, report_violation):
    if args.resource_type == "aws:s3/bucket:Bucket":
        acl = args.props.get("acl")
        banned = (args.get_config() or {}).get("bannedAcls", ["public-read"])
        if acl in banned:
            report_violation(f"acl is {acl}")


def at_most_n_buckets(args, report_violation):
    limit = (args.get_config() or {}).get("limit", 2)
    buckets = [r for r in args.resources if r.resource_type == "aws:s3/bucket:Bucket"]
    if len(buckets) > limit:
        report_violation(f"{len(buckets)} buckets (limit {limit})")
    for r in buckets:
        if r.props.get("versioning") is None and r.dependencies == []:
            report_violation("bucket without versioning and no dependencies", r.urn)


PolicyPack(
    name="testpack",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[
        ResourceValidationPolicy(
            name="test-no-public-bucket", description="No public bucket ACL.", validate=no_public_bucket,
            severity=Severity.HIGH, remediation_steps="Set acl to private.",
            config_schema=PolicyConfigSchema(properties={"bannedAcls": {"type": "array", "items": {"type": "string"}}})),
        StackValidationPolicy(
            name="test-bucket-budget", description="Few buckets.", validate=at_most_n_buckets,
            enforcement_level=EnforcementLevel.ADVISORY, severity=Severity.LOW, remediation_steps="Merge buckets.",
            config_schema=PolicyConfigSchema(properties={"limit": {"type": "integer"}})),
    ],
)
