"""AWS Backup restore testing: once a month, at the start of the zone's window, restore the newest
recovery point of every resource type in the backup scope (the zone's tagged databases and file
stores) from the zone's vault, keep the copy `validation_hours` for validation, then discard it.

What AWS lets a restore testing plan express: when it starts (cron + timezone, a start window of
1-168 hours), which recovery points (vaults, types, the newest or a random one within N days) and,
per selection, the validation window (1-168 hours). It cannot bound how long the restore itself
takes: that is measured by AWS Backup on every restore job and judged by the Audit Manager control
RESTORE_TIME_FOR_RESOURCES_MEET_TARGET (infra/aws/backup_evidence.py), whose target is the RTO less
the validation window, so restored and validated fits the RTO.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .. import promises
from ..tags import tagged


@dataclass
class AwsRestoreTestingArgs:
    zone_id: str
    timezone: str
    plan: promises.RestoreTest
    resource_types: list[str]
    vault_arn: pulumi.Input[str]
    role_arn: pulumi.Input[str]
    selection_key: str
    selection_value: str
    tags: dict[str, str]


class AwsRestoreTesting(pulumi.ComponentResource):
    def __init__(self, name: str, args: AwsRestoreTestingArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("byside:aws:RestoreTesting", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        z, rt = args.zone_id, args.plan
        self.plan = aws.backup.RestoreTestingPlan(
            f"{z}-restore-test", name=f"{z}_restore_test",
            schedule_expression=rt.schedule, schedule_expression_timezone=args.timezone,
            start_window_hours=rt.start_window_hours,
            recovery_point_selection=aws.backup.RestoreTestingPlanRecoveryPointSelectionArgs(
                algorithm="LATEST_WITHIN_WINDOW", include_vaults=[args.vault_arn], recovery_point_types=["SNAPSHOT"],
                selection_window_days=rt.selection_window_days),
            tags=tagged(args.tags), opts=child)
        self.selections: dict[str, aws.backup.RestoreTestingSelection] = {}
        for rtype in args.resource_types:
            key = rtype.lower()
            self.selections[rtype] = aws.backup.RestoreTestingSelection(
                f"{z}-restore-test-{key}", name=f"{z}_{key}", restore_testing_plan_name=self.plan.name,
                protected_resource_type=rtype, iam_role_arn=args.role_arn, protected_resource_arns=["*"],
                protected_resource_conditions=aws.backup.RestoreTestingSelectionProtectedResourceConditionsArgs(
                    string_equals=[aws.backup.RestoreTestingSelectionProtectedResourceConditionsStringEqualArgs(
                        key=f"aws:ResourceTag/{args.selection_key}", value=args.selection_value)]),
                validation_window_hours=rt.validation_window_hours, opts=child)
        self.register_outputs({"planArn": self.plan.arn})
