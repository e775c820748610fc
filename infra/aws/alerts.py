"""The operations team's SNS topic: VPN tunnel alarms and break-glass use land here."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .. import plans
from ..tags import tagged


@dataclass
class AlertsArgs:
    zone_id: str
    region: str
    account_id: str
    operations_email: str
    tags: dict[str, str]


class Alerts(pulumi.ComponentResource):
    def __init__(self, name: str, args: AlertsArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("byside:aws:Alerts", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        z = args.zone_id
        # A key of our own: the AWS-managed aws/sns key's policy lets neither CloudWatch alarms nor
        # EventBridge publish to an encrypted topic.
        self.key = aws.kms.Key(f"{z}-alerts-key", description=f"{z}: ops alerts topic encryption",
                               enable_key_rotation=True, deletion_window_in_days=30,
                               policy=plans.kms_key_policy(args.account_id, args.region,
                                                           ["cloudwatch.amazonaws.com", "events.amazonaws.com"]),
                               tags=tagged(args.tags), opts=child)
        self.topic = aws.sns.Topic(f"{z}-ops-alerts", name=f"{z}-ops-alerts", kms_master_key_id=self.key.arn,
                                   tags=tagged(args.tags), opts=child)
        self.policy = aws.sns.TopicPolicy(f"{z}-ops-alerts-policy", arn=self.topic.arn,
                                          policy=self.topic.arn.apply(lambda a: plans.topic_policy(a, args.account_id)),
                                          opts=child)
        self.subscription = aws.sns.TopicSubscription(f"{z}-ops-alerts-email", topic=self.topic.arn, protocol="email",
                                                      endpoint=args.operations_email, opts=child)
        self.register_outputs({"topicArn": self.topic.arn})
