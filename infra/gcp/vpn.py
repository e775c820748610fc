"""HA VPN to each DC of the zone: tunnels from both HA VPN interfaces (the 99.99 % topology),
BGP over Cloud Router, IKEv2 with an explicit cipher suite, secrets from pulumi-random."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from .. import plans
from ..aws.vpn import DcPeer, preshared_key
from ..tags import labels

HA_INTERFACES = (0, 1)


@dataclass
class GcpVpnArgs:
    zone_id: str
    zone_index: int  # position among all zones: keeps BGP link-local ranges unique per DC edge
    dcs_total: int
    region: str
    network_id: pulumi.Input[str]
    asn: int
    peers: list[tuple[int, DcPeer]]  # (DC index on the platform, peer)
    tags: dict[str, str]


class GcpVpn(pulumi.ComponentResource):
    def __init__(self, name: str, args: GcpVpnArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("byside:gcp:Vpn", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        z = args.zone_id
        self.gateway = gcp.compute.HaVpnGateway(f"{z}-ha-vpn", name=f"{z}-ha-vpn", region=args.region,
                                                network=args.network_id, stack_type="IPV4_ONLY",
                                                labels=labels(args.tags), opts=child)
        self.router = gcp.compute.Router(f"{z}-router", name=f"{z}-router", region=args.region,
                                         network=args.network_id,
                                         bgp=gcp.compute.RouterBgpArgs(asn=args.asn, advertise_mode="DEFAULT"),
                                         opts=child)
        self.external_gateways: dict[str, gcp.compute.ExternalVpnGateway] = {}
        self.tunnels: dict[str, gcp.compute.VPNTunnel] = {}
        self.interfaces: list[gcp.compute.RouterInterface] = []
        self.peers: list[gcp.compute.RouterPeer] = []
        self.bgp_peers: dict[str, gcp.compute.RouterPeer] = {}  # by name: one BGP session per tunnel
        self.keys = []
        self.peer_parameters: dict[str, dict] = {}
        for dc_index, peer in args.peers:
            two = len(peer.edge_ips) == 2
            ext = gcp.compute.ExternalVpnGateway(
                f"{z}-{peer.dc_id}-peer", name=f"{z}-{peer.dc_id}-peer",
                redundancy_type="TWO_IPS_REDUNDANCY" if two else "SINGLE_IP_INTERNALLY_REDUNDANT",
                interfaces=[gcp.compute.ExternalVpnGatewayInterfaceArgs(id=i, ip_address=ip)
                            for i, ip in enumerate(peer.edge_ips)],
                labels=labels(args.tags, datacenter=peer.dc_id), opts=child)
            self.external_gateways[peer.dc_id] = ext
            tunnels_out = []
            for iface in HA_INTERFACES:
                key = f"{z}-{peer.dc_id}-if{iface}"
                peer_iface = iface if two else 0
                pw, secret = preshared_key(f"{key}-psk", self)
                self.keys.append(pw)
                tunnel = gcp.compute.VPNTunnel(
                    key, name=key, region=args.region, vpn_gateway=self.gateway.id, vpn_gateway_interface=iface,
                    peer_external_gateway=ext.id, peer_external_gateway_interface=peer_iface, shared_secret=secret,
                    router=self.router.id, ike_version=2,
                    cipher_suite=gcp.compute.VPNTunnelCipherSuiteArgs(
                        phase1=gcp.compute.VPNTunnelCipherSuitePhase1Args(**plans.GCP_PHASE1),
                        phase2=gcp.compute.VPNTunnelCipherSuitePhase2Args(**plans.GCP_PHASE2)),
                    labels=labels(args.tags, datacenter=peer.dc_id), opts=child)
                self.tunnels[key] = tunnel
                ip_range, router_ip, peer_ip = plans.link_local_30(args.zone_index, dc_index, iface, args.dcs_total)
                prefix = ip_range.split("/")[1]
                ri = gcp.compute.RouterInterface(f"{key}-bgp-if", name=f"{key}-bgp", router=self.router.name,
                                                 region=args.region, ip_range=f"{router_ip}/{prefix}",
                                                 vpn_tunnel=tunnel.name, opts=child)
                self.interfaces.append(ri)
                self.peers.append(gcp.compute.RouterPeer(
                    f"{key}-bgp-peer", name=f"{key}-bgp-peer", router=self.router.name, region=args.region,
                    interface=ri.name, ip_address=router_ip, peer_ip_address=peer_ip, peer_asn=peer.bgp_asn,
                    advertised_route_priority=100, opts=child))
                self.bgp_peers[f"{key}-bgp-peer"] = self.peers[-1]
                tunnels_out.append({
                    "haVpnInterface": iface, "peerInterface": peer_iface,
                    "gcpAddress": self.gateway.vpn_interfaces.apply(
                        lambda ifs, i=iface: next((x.ip_address for x in ifs or [] if x.id == i), None)),
                    "edgeIp": peer.edge_ips[peer_iface], "insideRange": ip_range, "gcpBgpIp": router_ip,
                    "dcBgpIp": peer_ip, "sharedSecret": secret,
                })
            self.peer_parameters[f"{z}-{peer.dc_id}"] = {
                "datacenter": peer.dc_id, "gcpAsn": args.asn, "dcAsn": peer.bgp_asn, "ikeVersion": 2,
                "phase1": plans.GCP_PHASE1, "phase2": plans.GCP_PHASE2, "tunnels": tunnels_out,
            }
        self.register_outputs({"gatewayId": self.gateway.id, "routerId": self.router.id,
                               "tunnelIds": {k: t.id for k, t in self.tunnels.items()}})
