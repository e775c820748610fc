"""Cloud Monitoring alerts to the operations channel: an email notification channel (the
platform's operations_email) and, per HA VPN tunnel and per BGP session, an alert policy on the
metric Cloud VPN / Cloud Router publish (tunnel established, BGP session up). A metric that stops
arriving counts as down, so a deleted tunnel or peer alerts too."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from .. import promises
from ..tags import labels


@dataclass
class GcpMonitoringArgs:
    zone_id: str
    project: str
    operations_email: str
    tunnels: list[str]  # VPN tunnel names
    bgp_peers: list[str]  # Cloud Router BGP peer names
    tags: dict[str, str]


class GcpMonitoring(pulumi.ComponentResource):
    def __init__(self, name: str, args: GcpMonitoringArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("byside:gcp:Monitoring", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        z = args.zone_id
        # `labels` configure the channel (its address); the zone's labels go in user_labels.
        self.channel = gcp.monitoring.NotificationChannel(
            f"{z}-ops-email", project=args.project, type="email", display_name=f"{z} operations",
            labels={"email_address": args.operations_email}, user_labels=labels(args.tags), opts=child)
        self.policies: dict[str, gcp.monitoring.AlertPolicy] = {}
        for kind, names, metric_filter, what in (
                ("tunnel", args.tunnels, promises.tunnel_filter, "VPN tunnel {} is not established"),
                ("bgp", args.bgp_peers, promises.bgp_filter, "BGP session {} is down")):
            for n in names:
                self.policies[n] = gcp.monitoring.AlertPolicy(
                    f"{n}-down", project=args.project, display_name=what.format(n), combiner="OR", severity="CRITICAL",
                    conditions=[gcp.monitoring.AlertPolicyConditionArgs(
                        display_name=what.format(n),
                        condition_threshold=gcp.monitoring.AlertPolicyConditionConditionThresholdArgs(
                            filter=metric_filter(n), comparison="COMPARISON_LT", threshold_value=1, duration="300s",
                            evaluation_missing_data="EVALUATION_MISSING_DATA_ACTIVE",
                            aggregations=[gcp.monitoring.AlertPolicyConditionConditionThresholdAggregationArgs(
                                alignment_period="60s", per_series_aligner="ALIGN_MIN")]))],
                    notification_channels=[self.channel.name],
                    alert_strategy=gcp.monitoring.AlertPolicyAlertStrategyArgs(auto_close="1800s"),
                    documentation=gcp.monitoring.AlertPolicyDocumentationArgs(
                        mime_type="text/markdown",
                        content=f"Zone {z}: {what.format(n)}. Check the peer DC edge and the tunnel's logs."),
                    user_labels=labels(args.tags, monitors=kind), opts=child)
        self.register_outputs({"channel": self.channel.name})
