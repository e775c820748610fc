"""VPC flow logs (all traffic) to a KMS-encrypted CloudWatch log group with the zone's retention."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .. import plans
from ..tags import tagged


@dataclass
class FlowLogsArgs:
    zone_id: str
    region: str
    account_id: str
    vpc_id: pulumi.Input[str]
    retention_days: int
    tags: dict[str, str]


class FlowLogs(pulumi.ComponentResource):
    def __init__(self, name: str, args: FlowLogsArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("byside:aws:FlowLogs", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        z = args.zone_id
        self.key = aws.kms.Key(f"{z}-logs-key", description=f"{z}: CloudWatch Logs encryption",
                               enable_key_rotation=True, deletion_window_in_days=30,
                               policy=plans.kms_key_policy(args.account_id, args.region, ["logs.{r}.amazonaws.com"]),
                               tags=tagged(args.tags), opts=child)
        self.log_group = aws.cloudwatch.LogGroup(f"{z}-vpc-flow-logs", name=f"/byside/{z}/vpc-flow-logs",
                                                 retention_in_days=args.retention_days, kms_key_id=self.key.arn,
                                                 tags=tagged(args.tags), opts=child)
        self.role = aws.iam.Role(f"{z}-flow-logs-role", name=f"{z}-flow-logs", assume_role_policy=plans.flow_log_trust(),
                                 tags=tagged(args.tags, access_level="service"), opts=child)
        self.role_policy = aws.iam.RolePolicy(f"{z}-flow-logs-policy", role=self.role.id,
                                              policy=self.log_group.arn.apply(plans.flow_log_policy), opts=child)
        self.flow_log = aws.ec2.FlowLog(f"{z}-vpc-flow-log", vpc_id=args.vpc_id, traffic_type="ALL",
                                        log_destination_type="cloud-watch-logs", log_destination=self.log_group.arn,
                                        iam_role_arn=self.role.arn, max_aggregation_interval=60,
                                        tags=tagged(args.tags), opts=child)
        self.register_outputs({"logGroupArn": self.log_group.arn, "flowLogId": self.flow_log.id})
