"""AWS Backup: a KMS-encrypted vault and a plan whose rules turn the zone's counts into ages,
scheduled in the zone's timezone inside its window; resources chosen by the zone's tag."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .. import plans
from ..tags import tagged


@dataclass
class AwsBackupArgs:
    zone_id: str
    region: str
    account_id: str
    timezone: str
    rules: list[plans.BackupRule]
    selection_key: str
    selection_value: str
    tags: dict[str, str]


class AwsBackup(pulumi.ComponentResource):
    def __init__(self, name: str, args: AwsBackupArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("byside:aws:Backup", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        z = args.zone_id
        self.key = aws.kms.Key(f"{z}-backup-key", description=f"{z}: AWS Backup vault encryption",
                               enable_key_rotation=True, deletion_window_in_days=30,
                               policy=plans.kms_key_policy(args.account_id, args.region, ["backup.amazonaws.com"]),
                               tags=tagged(args.tags), opts=child)
        self.vault = aws.backup.Vault(f"{z}-backup-vault", name=f"{z}-backup", kms_key_arn=self.key.arn,
                                      tags=tagged(args.tags), opts=child)
        self.plan = aws.backup.Plan(
            f"{z}-backup-plan", name=f"{z}-backup",
            rules=[aws.backup.PlanRuleArgs(
                rule_name=r.name, target_vault_name=self.vault.name, schedule=r.schedule,
                schedule_expression_timezone=args.timezone, start_window=r.start_window,
                completion_window=r.completion_window,
                lifecycle=aws.backup.PlanRuleLifecycleArgs(delete_after=r.delete_after_days),
                recovery_point_tags=tagged(args.tags, backup_rule=r.name)) for r in args.rules],
            tags=tagged(args.tags), opts=child)
        self.role = aws.iam.Role(f"{z}-backup-role", name=f"{z}-backup", assume_role_policy=plans.backup_trust(),
                                 tags=tagged(args.tags, access_level="service"), opts=child)
        self.role_attachments = [
            aws.iam.RolePolicyAttachment(f"{z}-backup-role-{suffix}", role=self.role.name,
                                         policy_arn=f"arn:aws:iam::aws:policy/service-role/{policy}", opts=child)
            for suffix, policy in (("backup", "AWSBackupServiceRolePolicyForBackup"),
                                   ("restore", "AWSBackupServiceRolePolicyForRestores"))
        ]
        self.selection = aws.backup.Selection(
            f"{z}-backup-selection", name=f"{z}-tagged", plan_id=self.plan.id, iam_role_arn=self.role.arn,
            selection_tags=[aws.backup.SelectionSelectionTagArgs(type="STRINGEQUALS", key=args.selection_key,
                                                                 value=args.selection_value)],
            opts=child)
        self.register_outputs({"vaultArn": self.vault.arn, "planId": self.plan.id})
