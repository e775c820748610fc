"""Site-to-Site VPN to each DC of the zone: a customer gateway per DC edge IP, one VPN gateway
attached to the VPC with route propagation, a connection per edge with two IKEv2-only tunnels,
and an alarm on each tunnel's state."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from .. import plans
from ..tags import tagged


@dataclass
class DcPeer:
    dc_id: str
    bgp_asn: int
    edge_ips: list[str]


@dataclass
class AwsVpnArgs:
    zone_id: str
    vpc_id: pulumi.Input[str]
    amazon_asn: int
    peers: list[DcPeer]
    route_table_ids: dict[str, pulumi.Input[str]]  # segment -> route table
    alarm_topic_arn: pulumi.Input[str]
    log_key_arn: pulumi.Input[str]
    log_retention_days: int
    tags: dict[str, str]


def preshared_key(name: str, parent: pulumi.Resource) -> tuple[random.RandomPassword, pulumi.Output[str]]:
    """A PSK AWS accepts (letters and digits, not starting with 0), kept secret end to end."""
    pw = random.RandomPassword(name, length=plans.PSK_LENGTH - 1, special=False, upper=True, lower=True,
                               numeric=True, opts=pulumi.ResourceOptions(parent=parent))
    return pw, pulumi.Output.secret(pulumi.Output.concat("k", pw.result))


def tunnel_args(n: int, psk: pulumi.Input[str], log_group_arn: pulumi.Input[str]) -> dict:
    """All 14 crypto options of one tunnel, explicit (AWS defaults allow IKEv1, SHA1, DH 2...)."""
    t = f"tunnel{n}_"
    return {
        t + "ike_versions": plans.IKE_VERSIONS,
        t + "phase1_encryption_algorithms": plans.ENCRYPTIONS,
        t + "phase1_integrity_algorithms": plans.INTEGRITIES,
        t + "phase1_dh_group_numbers": plans.DH_GROUPS,
        t + "phase2_encryption_algorithms": plans.ENCRYPTIONS,
        t + "phase2_integrity_algorithms": plans.INTEGRITIES,
        t + "phase2_dh_group_numbers": plans.DH_GROUPS,
        t + "preshared_key": psk,
        # Endpoint replacements wait for us (accepted in the zone's SSM maintenance window)
        # instead of AWS choosing the moment.
        t + "enable_tunnel_lifecycle_control": True,
        t + "startup_action": "add",
        t + "dpd_timeout_action": "restart",
        t + "log_options": aws.ec2.VpnConnectionTunnel1LogOptionsArgs(
            cloudwatch_log_options=aws.ec2.VpnConnectionTunnel1LogOptionsCloudwatchLogOptionsArgs(
                log_enabled=True, log_group_arn=log_group_arn, log_output_format="json"))
        if n == 1 else aws.ec2.VpnConnectionTunnel2LogOptionsArgs(
            cloudwatch_log_options=aws.ec2.VpnConnectionTunnel2LogOptionsCloudwatchLogOptionsArgs(
                log_enabled=True, log_group_arn=log_group_arn, log_output_format="json")),
    }


class AwsVpn(pulumi.ComponentResource):
    def __init__(self, name: str, args: AwsVpnArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("byside:aws:Vpn", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        z = args.zone_id
        self.log_group = aws.cloudwatch.LogGroup(f"{z}-vpn-logs", name=f"/byside/{z}/vpn",
                                                 retention_in_days=args.log_retention_days, kms_key_id=args.log_key_arn,
                                                 tags=tagged(args.tags), opts=child)
        self.vpn_gateway = aws.ec2.VpnGateway(f"{z}-vgw", vpc_id=args.vpc_id, amazon_side_asn=str(args.amazon_asn),
                                              tags=tagged(args.tags, Name=f"{z}-vgw"), opts=child)
        self.propagations = [
            aws.ec2.VpnGatewayRoutePropagation(f"{z}-{seg}-vgw-propagation", vpn_gateway_id=self.vpn_gateway.id,
                                               route_table_id=rt, opts=child)
            for seg, rt in args.route_table_ids.items()
        ]
        self.customer_gateways: dict[str, aws.ec2.CustomerGateway] = {}
        self.connections: dict[str, aws.ec2.VpnConnection] = {}
        self.keys: list[random.RandomPassword] = []
        self.alarms: list[aws.cloudwatch.MetricAlarm] = []
        self.peer_parameters: dict[str, dict] = {}
        for peer in args.peers:
            for k, ip in enumerate(peer.edge_ips, start=1):
                key = f"{z}-{peer.dc_id}-edge{k}"
                dc_tags = tagged(args.tags, datacenter=peer.dc_id, Name=key)
                cgw = aws.ec2.CustomerGateway(f"{key}-cgw", bgp_asn=str(peer.bgp_asn), ip_address=ip, type="ipsec.1",
                                              tags=dc_tags, opts=child)
                psks = []
                for n in (1, 2):
                    pw, psk = preshared_key(f"{key}-tunnel{n}-psk", self)
                    self.keys.append(pw)
                    psks.append(psk)
                conn = aws.ec2.VpnConnection(
                    f"{key}-vpn", customer_gateway_id=cgw.id, vpn_gateway_id=self.vpn_gateway.id, type="ipsec.1",
                    static_routes_only=False, tags=dc_tags,
                    **tunnel_args(1, psks[0], self.log_group.arn), **tunnel_args(2, psks[1], self.log_group.arn),
                    opts=child)
                self.customer_gateways[key] = cgw
                self.connections[key] = conn
                for n, address in ((1, conn.tunnel1_address), (2, conn.tunnel2_address)):
                    self.alarms.append(aws.cloudwatch.MetricAlarm(
                        f"{key}-tunnel{n}-down", name=f"{key}-tunnel{n}-down",
                        alarm_description=f"{z}: VPN tunnel {n} to {peer.dc_id} edge {ip} is down",
                        namespace="AWS/VPN", metric_name="TunnelState", statistic="Maximum",
                        dimensions={"VpnId": conn.id, "TunnelIpAddress": address},
                        period=300, evaluation_periods=2, threshold=1, comparison_operator="LessThanThreshold",
                        treat_missing_data="breaching", alarm_actions=[args.alarm_topic_arn],
                        ok_actions=[args.alarm_topic_arn], tags=dc_tags, opts=child))
                self.peer_parameters[key] = {
                    "datacenter": peer.dc_id, "edgeIp": ip, "customerAsn": peer.bgp_asn, "awsAsn": args.amazon_asn,
                    "ikeVersions": plans.IKE_VERSIONS, "encryption": plans.ENCRYPTIONS,
                    "integrity": plans.INTEGRITIES, "dhGroups": plans.DH_GROUPS,
                    "tunnels": [
                        {"outsideAddress": conn.tunnel1_address, "cgwInsideAddress": conn.tunnel1_cgw_inside_address,
                         "vgwInsideAddress": conn.tunnel1_vgw_inside_address, "presharedKey": psks[0]},
                        {"outsideAddress": conn.tunnel2_address, "cgwInsideAddress": conn.tunnel2_cgw_inside_address,
                         "vgwInsideAddress": conn.tunnel2_vgw_inside_address, "presharedKey": psks[1]},
                    ],
                }
        self.register_outputs({"vpnGatewayId": self.vpn_gateway.id,
                               "connectionIds": {k: c.id for k, c in self.connections.items()}})
