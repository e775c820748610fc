"""VPC, one subnet per segment and AZ, a route table per segment, the default SG emptied."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from zones.layout import SubnetPlan

from ..tags import tagged


@dataclass
class AwsNetworkArgs:
    zone_id: str
    vpc_cidr: str
    subnets: list[SubnetPlan]
    # Segments where subscriber-facing services listen: only these get an internet route.
    public_segments: list[str]
    tags: dict[str, str]


def _check_azs(zone_id: str, wanted: list[str], available: list[str]) -> list[str]:
    missing = [az for az in wanted if az not in available]
    if missing:
        raise ValueError(f"zone {zone_id}: aws.availability_zones {', '.join(missing)} not available in the region "
                         f"(available: {', '.join(available)})")
    return wanted


class AwsNetwork(pulumi.ComponentResource):
    def __init__(self, name: str, args: AwsNetworkArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("byside:aws:Network", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        z = args.zone_id
        # The AZs zones/ names must exist in the region (a typo fails here, before any subnet).
        wanted = sorted({s.az for s in args.subnets})
        available = aws.get_availability_zones_output(state="available", opts=pulumi.InvokeOptions(parent=self))
        self.availability_zones = available.names.apply(lambda names: _check_azs(z, wanted, names))
        self.vpc = aws.ec2.Vpc(f"{z}-vpc", cidr_block=args.vpc_cidr, enable_dns_support=True,
                               enable_dns_hostnames=True, tags=tagged(args.tags, Name=f"{z}-vpc"), opts=child)
        # Emptied: no rules at all, so nothing can rely on the default group.
        self.default_sg = aws.ec2.DefaultSecurityGroup(f"{z}-default-sg", vpc_id=self.vpc.id, ingress=[], egress=[],
                                                       tags=tagged(args.tags, Name=f"{z}-default", segment="none"),
                                                       opts=child)
        self.igw = None
        if args.public_segments:
            self.igw = aws.ec2.InternetGateway(f"{z}-igw", vpc_id=self.vpc.id, tags=tagged(args.tags, Name=f"{z}-igw"),
                                               opts=child)
        self.subnets: dict[str, aws.ec2.Subnet] = {}
        self.route_tables: dict[str, aws.ec2.RouteTable] = {}
        self.associations: list[aws.ec2.RouteTableAssociation] = []
        segments = list(dict.fromkeys(s.segment for s in args.subnets))
        for seg in segments:
            routes = []
            if seg in args.public_segments:
                routes = [aws.ec2.RouteTableRouteArgs(cidr_block="0.0.0.0/0", gateway_id=self.igw.id)]
            # Internal segments: no default route; DC prefixes arrive by VPN route propagation.
            self.route_tables[seg] = aws.ec2.RouteTable(f"{z}-{seg}-rt", vpc_id=self.vpc.id, routes=routes,
                                                         tags=tagged(args.tags, Name=f"{z}-{seg}", segment=seg),
                                                         opts=child)
        for plan in args.subnets:
            subnet = aws.ec2.Subnet(plan.name, vpc_id=self.vpc.id, cidr_block=plan.cidr, availability_zone=plan.az,
                                    map_public_ip_on_launch=False,
                                    tags=tagged(args.tags, Name=plan.name, segment=plan.segment), opts=child)
            self.subnets[plan.name] = subnet
            self.associations.append(aws.ec2.RouteTableAssociation(
                f"{plan.name}-rta", subnet_id=subnet.id, route_table_id=self.route_tables[plan.segment].id, opts=child))
        self.register_outputs({
            "availabilityZones": self.availability_zones,
            "vpcId": self.vpc.id,
            "subnetIds": {k: s.id for k, s in self.subnets.items()},
            "routeTableIds": {k: t.id for k, t in self.route_tables.items()},
        })
