"""Custom-mode VPC network, one subnetwork per GCP-side segment (flow logs, private Google access)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_gcp as gcp


@dataclass
class GcpNetworkArgs:
    zone_id: str
    region: str
    # Segment name -> its GCP CIDR.
    segments: dict[str, str]
    public_segments: list[str]
    # Google API ranges (Private Google Access VIPs) -> the segments that reach them: routed through
    # the default internet gateway, which the network otherwise has no route to.
    api_routes: dict[str, list[str]] = field(default_factory=dict)


class GcpNetwork(pulumi.ComponentResource):
    def __init__(self, name: str, args: GcpNetworkArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("byside:gcp:Network", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        z = args.zone_id
        # No default internet route: only segments hosting subscriber services get one, by tag.
        self.network = gcp.compute.Network(f"{z}-net", name=f"{z}-net", auto_create_subnetworks=False,
                                           routing_mode="REGIONAL", delete_default_routes_on_create=True, opts=child)
        self.subnetworks: dict[str, gcp.compute.Subnetwork] = {}
        for seg, cidr in args.segments.items():
            self.subnetworks[seg] = gcp.compute.Subnetwork(
                f"{z}-{seg}", name=f"{z}-{seg}", network=self.network.id, region=args.region, ip_cidr_range=cidr,
                private_ip_google_access=True,
                log_config=gcp.compute.SubnetworkLogConfigArgs(aggregation_interval="INTERVAL_5_SEC",
                                                               flow_sampling=1.0, metadata="INCLUDE_ALL_METADATA"),
                opts=child)
        self.routes = [
            gcp.compute.Route(f"{z}-{seg}-internet", name=f"{z}-{seg}-internet", network=self.network.id,
                              dest_range="0.0.0.0/0", next_hop_gateway="default-internet-gateway",
                              tags=[f"seg-{seg}"], priority=1000, opts=child)
            for seg in args.public_segments if seg in args.segments
        ]
        for i, (dest, segs) in enumerate(sorted(args.api_routes.items())):
            self.routes.append(gcp.compute.Route(
                f"{z}-google-apis-{i}", name=f"{z}-google-apis-{i}", network=self.network.id, dest_range=dest,
                next_hop_gateway="default-internet-gateway", tags=[f"seg-{s}" for s in sorted(segs)], priority=1000,
                opts=child))
        self.register_outputs({"networkId": self.network.id,
                               "subnetworkIds": {k: s.id for k, s in self.subnetworks.items()}})
