"""Subscriber allowlists (compiled by zones.allowlist) as managed prefix lists and security groups,
and the segment policy as one security group per segment."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from zones.allowlist import ServiceAllowlist
from zones.model import SegmentRule

from .. import plans
from ..tags import tagged


@dataclass
class AwsAllowlistsArgs:
    zone_id: str
    vpc_id: pulumi.Input[str]
    allowlists: list[ServiceAllowlist]
    # Segment name -> every CIDR of that segment (DC and cloud sites, joined by the VPN).
    segment_cidrs: dict[str, list[str]]
    aws_segments: list[str]
    segment_policy: list[SegmentRule]
    tags: dict[str, str]


def _protocol(p: str) -> str:
    return {"tcp": "tcp", "udp": "udp", "icmp": "icmp"}[p]


class AwsAllowlists(pulumi.ComponentResource):
    def __init__(self, name: str, args: AwsAllowlistsArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("byside:aws:Allowlists", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        z = args.zone_id
        self.prefix_lists: dict[str, aws.ec2.ManagedPrefixList] = {}
        self.security_groups: dict[str, aws.ec2.SecurityGroup] = {}
        self.rules: list[aws.vpc.SecurityGroupIngressRule] = []
        for svc in args.allowlists:
            t = tagged(args.tags, service=svc.service)
            for pl in svc.prefix_lists:
                self.prefix_lists[pl.name] = aws.ec2.ManagedPrefixList(
                    pl.name, name=pl.name, address_family=f"IPv{pl.family}", max_entries=pl.max_entries,
                    entries=[aws.ec2.ManagedPrefixListEntryArgs(cidr=c, description=f"{svc.service} subscribers")
                             for c in pl.entries],
                    tags=tagged(t, Name=pl.name), opts=child)
            for sg in svc.security_groups:
                group = aws.ec2.SecurityGroup(sg.name, name=sg.name, vpc_id=args.vpc_id,
                                              description=f"{z}: subscribers allowed to {svc.service}",
                                              tags=tagged(t, Name=sg.name), opts=child)
                self.security_groups[sg.name] = group
                for pl_name in sg.prefix_lists:
                    for port in sg.ports:
                        self.rules.append(aws.vpc.SecurityGroupIngressRule(
                            f"{sg.name}-{pl_name.removeprefix(f'{z}-{svc.service}-')}-{port.protocol}-"
                            f"{port.from_port}-{port.to_port}",
                            security_group_id=group.id, prefix_list_id=self.prefix_lists[pl_name].id,
                            ip_protocol=_protocol(port.protocol), from_port=port.from_port, to_port=port.to_port,
                            description=f"{svc.service} {port.label} from {pl_name}", tags=t, opts=child))
        # Segment policy: a group per AWS segment; ingress from the source segment's CIDRs at
        # every site (DC VLANs arrive over the VPN, so a group reference would miss them).
        self.segment_groups: dict[str, aws.ec2.SecurityGroup] = {}
        for seg in args.aws_segments:
            self.segment_groups[seg] = aws.ec2.SecurityGroup(
                f"{z}-seg-{seg}", name=f"{z}-seg-{seg}", vpc_id=args.vpc_id, description=f"{z}: segment {seg}",
                tags=tagged(args.tags, segment=seg, Name=f"{z}-seg-{seg}"), opts=child)
        for flow in plans.segment_flows(args.segment_policy):
            if flow.target not in self.segment_groups:
                continue
            for cidr in args.segment_cidrs[flow.source]:
                family = "cidr_ipv6" if ":" in cidr else "cidr_ipv4"
                for port in flow.ports:
                    self.rules.append(aws.vpc.SecurityGroupIngressRule(
                        f"{z}-seg-{flow.source}-to-{flow.target}-{cidr.replace('/', '_')}-{port.protocol}-"
                        f"{port.from_port}-{port.to_port}",
                        security_group_id=self.segment_groups[flow.target].id, ip_protocol=_protocol(port.protocol),
                        from_port=port.from_port, to_port=port.to_port, description=flow.description or None,
                        tags=tagged(args.tags, segment=flow.target), **{family: cidr}, opts=child))
        self.register_outputs({
            "prefixListIds": {k: p.id for k, p in self.prefix_lists.items()},
            "securityGroupIds": {k: g.id for k, g in {**self.security_groups, **self.segment_groups}.items()},
        })
