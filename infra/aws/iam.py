"""IAM from the access model: a role per team and level (MFA trust, zone-scoped permissions),
break-glass limited to one-hour sessions and alarmed when assumed. No IAM users."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from zones.model import AccessLevel, Team

from .. import plans
from ..tags import tagged

BREAK_GLASS = "break-glass"


@dataclass
class AwsIamArgs:
    zone_id: str
    region: str
    account_id: str
    teams: list[Team]
    levels: dict[str, AccessLevel]
    alarm_topic_arn: pulumi.Input[str]
    tags: dict[str, str]


class AwsIam(pulumi.ComponentResource):
    def __init__(self, name: str, args: AwsIamArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("byside:aws:Iam", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        z = args.zone_id
        self.roles: dict[str, aws.iam.Role] = {}
        self.policies: dict[str, aws.iam.Policy] = {}
        self.attachments: list[aws.iam.RolePolicyAttachment] = []
        # One policy per level: every team holding the level gets the same permissions.
        used = sorted({lvl for t in args.teams for lvl in t.aws}, key=list(args.levels).index)
        for lvl in used:
            level = args.levels[lvl]
            self.policies[lvl] = aws.iam.Policy(
                f"{z}-{lvl}", name=f"{z}-{lvl}", description=f"{z}: {level.description}",
                policy=plans.level_policy(z, args.region, args.account_id, level.aws_actions, lvl == BREAK_GLASS),
                tags=tagged(args.tags, access_level=lvl), opts=child)
        for team in args.teams:
            trust = plans.trust_policy(args.account_id, team.aws_identity_group)
            for lvl in team.aws:
                key = f"{z}-{team.id}-{lvl}"
                role = aws.iam.Role(key, name=key, assume_role_policy=trust,
                                    max_session_duration=args.levels[lvl].max_session_seconds,
                                    description=f"{team.description}: {args.levels[lvl].description}",
                                    tags=tagged(args.tags, access_level=lvl, team=team.id,
                                                identity_group=team.aws_identity_group), opts=child)
                self.roles[key] = role
                self.attachments.append(aws.iam.RolePolicyAttachment(
                    f"{key}-attach", role=role.name, policy_arn=self.policies[lvl].arn, opts=child))
        glass = [r for k, r in self.roles.items() if k.endswith(f"-{BREAK_GLASS}")]
        self.break_glass_rule = self.break_glass_target = None
        if glass:
            arns = pulumi.Output.all(*[r.arn for r in glass])
            self.break_glass_rule = aws.cloudwatch.EventRule(
                f"{z}-break-glass-assumed", name=f"{z}-break-glass-assumed",
                description=f"{z}: a break-glass role was assumed",
                event_pattern=arns.apply(lambda a: plans.break_glass_event_pattern(list(a))),
                tags=tagged(args.tags), opts=child)
            self.break_glass_target = aws.cloudwatch.EventTarget(
                f"{z}-break-glass-assumed-ops", rule=self.break_glass_rule.name, arn=args.alarm_topic_arn, opts=child)
        self.register_outputs({"roleArns": {k: r.arn for k, r in self.roles.items()}})
