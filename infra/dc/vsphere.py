"""A distributed port group per DC-side segment, carrying the segment's VLAN (switch looked up by name)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_vsphere as vsphere


@dataclass
class Vlan:
    segment: str
    vlan: int
    cidr: str


@dataclass
class VsphereVlansArgs:
    zone_id: str
    dc_id: str
    datacenter: str
    switch: str
    vlans: list[Vlan]


class VsphereVlans(pulumi.ComponentResource):
    def __init__(self, name: str, args: VsphereVlansArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("byside:dc:VsphereVlans", name, None, opts)
        invoke = pulumi.InvokeOptions(parent=self)
        dc = vsphere.get_datacenter_output(name=args.datacenter, opts=invoke)
        self.switch = vsphere.get_distributed_virtual_switch_output(name=args.switch, datacenter_id=dc.id, opts=invoke)
        self.port_groups: dict[str, vsphere.DistributedPortGroup] = {}
        for v in args.vlans:
            key = f"{args.zone_id}-{args.dc_id}-{v.segment}"
            self.port_groups[key] = vsphere.DistributedPortGroup(
                key, name=key, distributed_virtual_switch_uuid=self.switch.id, vlan_id=v.vlan,
                description=f"{args.zone_id} segment {v.segment} ({v.cidr})", opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({"portGroupIds": {k: p.id for k, p in self.port_groups.items()}})
