"""ZoneStack: everything one production zone owns, built from the zone model only."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_gcp as gcp

from zones.allowlist import compile_zone
from zones.egress import egress_rules
from zones.layout import aws_subnets

from . import plans, promises
from .aws.alerts import Alerts, AlertsArgs
from .aws.allowlists import AwsAllowlists, AwsAllowlistsArgs
from .aws.audit_trail import AwsAuditTrail, AwsAuditTrailArgs
from .aws.backup import AwsBackup, AwsBackupArgs
from .aws.backup_evidence import AwsBackupEvidence, AwsBackupEvidenceArgs
from .aws.egress import AwsEgress, AwsEgressArgs
from .aws.flowlogs import FlowLogs, FlowLogsArgs
from .aws.iam import AwsIam, AwsIamArgs
from .aws.maintenance import Maintenance, MaintenanceArgs
from .aws.monitoring import AcmCertificate, AwsMonitoring, AwsMonitoringArgs
from .aws.network import AwsNetwork, AwsNetworkArgs
from .aws.restore_testing import AwsRestoreTesting, AwsRestoreTestingArgs
from .aws.vpn import AwsVpn, AwsVpnArgs, DcPeer
from .dc.handover import Handover, HandoverArgs
from .dc.vsphere import Vlan, VsphereVlans, VsphereVlansArgs
from .gcp.audit_logs import GcpAuditLogs, GcpAuditLogsArgs
from .gcp.backup import GcpBackup, GcpBackupArgs
from .gcp.firewall import GcpFirewall, GcpFirewallArgs
from .gcp.iam import GcpIam, GcpIamArgs
from .gcp.monitoring import GcpMonitoring, GcpMonitoringArgs
from .gcp.network import GcpNetwork, GcpNetworkArgs
from .gcp.vpn import GcpVpn, GcpVpnArgs
from .tags import labels, zone_tags


def planned(p, zone_id: str, field: tuple, fn, *args):
    """Run a planning rule; its error names the zone file, line and field (zone data at fault)."""
    try:
        return fn(*args)
    except ValueError as exc:
        src = p.sources.get(zone_id)
        where = f"{src.name}:{src.line(field)}" if src else zone_id
        raise ValueError(f"{where}: {'.'.join(str(f) for f in field)}: {exc}") from None


@dataclass
class ZoneStackArgs:
    platform: object  # zones.Platform
    zone_id: str


class ZoneStack(pulumi.ComponentResource):
    def __init__(self, name: str, args: ZoneStackArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("byside:zone:ZoneStack", name, None, opts)
        p = args.platform
        zone = p.zone(args.zone_id)
        z = zone.id
        tags = zone_tags(p, zone)
        self.zone = zone
        allowlists = compile_zone(p, z)
        public = sorted({s.segment for s in p.platform.services})
        segment_cidrs = {s.name: [site.cidr for site in s.sites.values()] for s in zone.segments}
        peers = [DcPeer(d, p.datacenter(d).bgp_asn, list(p.datacenter(d).vpn_edge_ips)) for d in zone.datacenters]
        teams = p.teams_for(z)
        self.aws_vpn = self.gcp_vpn = self.aws_network = self.gcp_network = self.aws_allowlists = None

        if zone.aws:
            a = zone.aws
            self.aws_provider = aws.Provider(
                f"aws-{a.region}", region=a.region, allowed_account_ids=[a.account_id],
                default_tags=aws.ProviderDefaultTagsArgs(tags=tags), opts=pulumi.ResourceOptions(parent=self))
            on_aws = pulumi.ResourceOptions(parent=self, providers=[self.aws_provider])
            subnets = [plan for seg, _ in zone.cloud_segments("aws")
                       for plan in planned(p, z, ("segments",), aws_subnets, z, seg, a.availability_zones)]
            vpc_cidr = planned(p, z, ("segments",), plans.vpc_cidr, [site.cidr for _, site in zone.cloud_segments("aws")])
            self.aws_network = AwsNetwork(f"{z}-aws-network", AwsNetworkArgs(
                z, vpc_cidr, subnets,
                [s for s in public if zone.segment(s) and "aws" in zone.segment(s).sites], tags), on_aws)
            vpc_id = self.aws_network.vpc.id
            self.flow_logs = FlowLogs(f"{z}-flow-logs", FlowLogsArgs(
                z, a.region, a.account_id, vpc_id, zone.log_retention["vpc-flow-logs"], tags), on_aws)
            self.alerts = Alerts(f"{z}-alerts", AlertsArgs(z, a.region, a.account_id, p.platform.operations_email, tags), on_aws)
            if peers:
                self.aws_vpn = AwsVpn(f"{z}-aws-vpn", AwsVpnArgs(
                    z, vpc_id, a.asn, peers, {seg: rt.id for seg, rt in self.aws_network.route_tables.items()},
                    self.alerts.topic.arn, self.flow_logs.key.arn,
                    zone.log_retention.get("vpn", zone.log_retention["vpc-flow-logs"]), tags), on_aws)
            self.aws_allowlists = AwsAllowlists(f"{z}-aws-allowlists", AwsAllowlistsArgs(
                z, vpc_id, allowlists, segment_cidrs, [s.name for s, _ in zone.cloud_segments("aws")],
                list(zone.segment_policy), tags), on_aws)
            self.aws_egress = AwsEgress(f"{z}-aws-egress", AwsEgressArgs(
                z, a.region, vpc_id, [r for r in egress_rules(zone) if r.cloud == "aws"],
                self.aws_allowlists.segment_groups, self.aws_network.route_tables, tags), on_aws)
            self.aws_backup = AwsBackup(f"{z}-aws-backup", AwsBackupArgs(
                z, a.region, a.account_id, zone.timezone, planned(p, z, ("backup", "start"), plans.backup_rules, zone),
                zone.backup.selection_tag.key, zone.backup.selection_tag.value, tags), on_aws)
            cron, hours, cutoff = plans.maintenance_cron(zone)
            self.maintenance = Maintenance(f"{z}-maintenance", MaintenanceArgs(z, cron, hours, cutoff, zone.timezone, tags),
                                           on_aws)
            self.aws_iam = AwsIam(f"{z}-aws-iam", AwsIamArgs(
                z, a.region, a.account_id, teams, dict(p.access.levels), self.alerts.topic.arn, tags), on_aws)
            # The Service Description's remaining promises: restores tested within the RTO with
            # evidence, alerts to the operations channel, an audit trail for the SIEM.
            audit_days = zone.log_retention["audit"]
            self.restore_testing = AwsRestoreTesting(f"{z}-restore-testing", AwsRestoreTestingArgs(
                z, zone.timezone, planned(p, z, ("restore_test",), promises.restore_test, zone),
                promises.resource_types(zone), self.aws_backup.vault.arn, self.aws_backup.role.arn,
                zone.backup.selection_tag.key, zone.backup.selection_tag.value, tags), on_aws)
            self.backup_evidence = AwsBackupEvidence(f"{z}-backup-evidence", AwsBackupEvidenceArgs(
                z, a.account_id, promises.bucket_name(zone, "backup-evidence"), audit_days,
                planned(p, z, ("restore_test",), promises.framework_controls, zone), tags), on_aws)
            self.aws_monitoring = AwsMonitoring(f"{z}-aws-monitoring", AwsMonitoringArgs(
                z, self.alerts.topic.arn,
                [AcmCertificate(c.name, c.domain, c.acm_arn) for c in zone.certificates if c.served_by == "acm"],
                p.platform.monitoring.certificate_warning_days, tags), on_aws)
            self.audit_trail = AwsAuditTrail(f"{z}-audit-trail", AwsAuditTrailArgs(
                z, a.region, a.account_id, promises.trail_name(zone), promises.trail_arn(zone),
                promises.bucket_name(zone, "cloudtrail"), audit_days, tags), on_aws)

        if zone.gcp:
            g = zone.gcp
            self.gcp_provider = gcp.Provider(f"gcp-{g.project}", project=g.project, region=g.region,
                                             default_labels=labels(tags), opts=pulumi.ResourceOptions(parent=self))
            on_gcp = pulumi.ResourceOptions(parent=self, providers=[self.gcp_provider])
            gcp_segments = {s.name: site.cidr for s, site in zone.cloud_segments("gcp")}
            gcp_egress = [r for r in egress_rules(zone) if r.cloud == "gcp"]
            api_routes: dict[str, list[str]] = {}
            for r in gcp_egress:
                if r.name == "google-apis":
                    for cidr in r.cidrs:
                        api_routes.setdefault(cidr, []).append(r.source)
            self.gcp_network = GcpNetwork(f"{z}-gcp-network", GcpNetworkArgs(
                z, g.region, gcp_segments, [s for s in public if s in gcp_segments], api_routes), on_gcp)
            net_id = self.gcp_network.network.id
            self.gcp_firewall = GcpFirewall(f"{z}-gcp-firewall", GcpFirewallArgs(
                z, net_id, allowlists, segment_cidrs, list(gcp_segments), list(zone.segment_policy), gcp_egress), on_gcp)
            if peers:
                dc_index = {d: i for i, d in enumerate(sorted(p.datacenters))}
                self.gcp_vpn = GcpVpn(f"{z}-gcp-vpn", GcpVpnArgs(
                    z, list(p.zones).index(z), len(p.datacenters), g.region, net_id, g.asn,
                    [(dc_index[peer.dc_id], peer) for peer in peers], tags), on_gcp)
            self.gcp_backup = GcpBackup(f"{z}-gcp-backup", GcpBackupArgs(
                z, g.region, planned(p, z, ("backup", "start"), plans.gcp_snapshot_start_utc, zone),
                plans.longest_retention_days(zone), tags), on_gcp)
            self.gcp_iam = GcpIam(f"{z}-gcp-iam", GcpIamArgs(z, g.project, teams, dict(p.access.levels)), on_gcp)
            self.gcp_monitoring = GcpMonitoring(f"{z}-gcp-monitoring", GcpMonitoringArgs(
                z, g.project, p.platform.operations_email, list(self.gcp_vpn.tunnels) if self.gcp_vpn else [],
                list(self.gcp_vpn.bgp_peers) if self.gcp_vpn else [], tags), on_gcp)
            self.gcp_audit_logs = GcpAuditLogs(f"{z}-gcp-audit-logs", GcpAuditLogsArgs(
                z, g.project, list(p.platform.audit_trail.gcp_data_access_services), p.platform.audit_trail.siem,
                zone.log_retention["audit"]), on_gcp)

        self.port_groups: dict[str, VsphereVlans] = {}
        self.handovers: dict[str, Handover] = {}
        for d in zone.datacenters:
            dc = p.datacenter(d)
            vlans = [Vlan(s.name, site.vlan, site.cidr) for s, site in zone.dc_segments(d)]
            if dc.provisioning == "vsphere":
                if vlans:
                    self.port_groups[d] = VsphereVlans(f"{z}-{d}-vlans", VsphereVlansArgs(
                        z, d, dc.vsphere.datacenter, dc.vsphere.distributed_switch, vlans),
                        pulumi.ResourceOptions(parent=self))
            else:
                aws_peers = {k: v for k, v in (self.aws_vpn.peer_parameters if self.aws_vpn else {}).items()
                             if v["datacenter"] == d}
                gcp_peers = {k: v for k, v in (self.gcp_vpn.peer_parameters if self.gcp_vpn else {}).items()
                             if v["datacenter"] == d}
                self.handovers[d] = Handover(f"{z}-{d}-handover", HandoverArgs(z, dc, vlans, aws_peers, gcp_peers),
                                             pulumi.ResourceOptions(parent=self))
        self.register_outputs(self.exports())

    def exports(self) -> dict:
        """Stack outputs: VPN peer parameters (keys as secrets), network ids, prefix lists, handovers."""
        out: dict = {"zone": self.zone.id}
        if self.aws_network:
            out["vpcId"] = self.aws_network.vpc.id
            out["subnetIds"] = {k: s.id for k, s in self.aws_network.subnets.items()}
        if self.aws_allowlists:
            out["prefixListIds"] = {k: pl.id for k, pl in self.aws_allowlists.prefix_lists.items()}
        if self.gcp_network:
            out["networkId"] = self.gcp_network.network.id
        out["vpnPeers"] = {"aws": self.aws_vpn.peer_parameters if self.aws_vpn else {},
                           "gcp": self.gcp_vpn.peer_parameters if self.gcp_vpn else {}}
        if self.handovers:
            out["handover"] = {d: h.document for d, h in self.handovers.items()}
        return out
