"""Alerts to the operations channel (the ops SNS topic, infra/aws/alerts.py) for what the VPN
alarms do not cover: failed or aborted AWS Backup jobs, failed restores (restore tests included),
and the expiry of every certificate the zone serves from ACM (a DaysToExpiry alarm)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .. import promises
from ..tags import tagged


@dataclass
class AcmCertificate:
    name: str
    domain: str
    arn: str | None  # None: the newest ISSUED certificate for the domain in the zone's region


@dataclass
class AwsMonitoringArgs:
    zone_id: str
    topic_arn: pulumi.Input[str]
    certificates: list[AcmCertificate]
    warning_days: int
    tags: dict[str, str]


class AwsMonitoring(pulumi.ComponentResource):
    def __init__(self, name: str, args: AwsMonitoringArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("byside:aws:Monitoring", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        z = args.zone_id
        self.rules: dict[str, aws.cloudwatch.EventRule] = {}
        self.targets: dict[str, aws.cloudwatch.EventTarget] = {}
        for key, what, pattern in (("backup-job-failed", "an AWS Backup job failed, was aborted or expired",
                                    promises.backup_failed_pattern()),
                                   ("restore-job-failed", "an AWS Backup restore (or restore test) failed",
                                    promises.restore_failed_pattern())):
            rule = aws.cloudwatch.EventRule(f"{z}-{key}", name=f"{z}-{key}", description=f"{z}: {what}",
                                            event_pattern=pattern, tags=tagged(args.tags), opts=child)
            self.rules[key] = rule
            self.targets[key] = aws.cloudwatch.EventTarget(f"{z}-{key}-ops", rule=rule.name, arn=args.topic_arn,
                                                           opts=child)
        self.certificate_alarms: dict[str, aws.cloudwatch.MetricAlarm] = {}
        for cert in args.certificates:
            arn = cert.arn or aws.acm.get_certificate_output(
                domain=cert.domain, statuses=["ISSUED"], most_recent=True,
                opts=pulumi.InvokeOutputOptions(parent=self)).arn
            self.certificate_alarms[cert.name] = aws.cloudwatch.MetricAlarm(
                f"{z}-cert-{cert.name}-expiry", name=f"{z}-cert-{cert.name}-expiry",
                alarm_description=f"{z}: certificate {cert.name} ({cert.domain}) expires in fewer than "
                                  f"{args.warning_days} days",
                namespace="AWS/CertificateManager", metric_name="DaysToExpiry", statistic="Minimum",
                dimensions={"CertificateArn": arn}, period=86400, evaluation_periods=1,
                threshold=args.warning_days, comparison_operator="LessThanThreshold",
                # ACM publishes the metric daily until expiry: no data means the certificate is gone.
                treat_missing_data="breaching", alarm_actions=[args.topic_arn], ok_actions=[args.topic_arn],
                tags=tagged(args.tags, certificate=cert.name), opts=child)
        self.register_outputs({"ruleArns": {k: r.arn for k, r in self.rules.items()}})
