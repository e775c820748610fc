"""Egress of the segment security groups, as zones/egress.py derives it: the source side of every
segment-policy flow and the zone's declared egress (gateway VPC endpoints for AWS services, named
networks, the internet). Nothing else: the AWS provider strips the default allow-all egress from
every group it creates, so a group leaves only where a rule here says so."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from zones.egress import EgressRule

from ..tags import tagged


@dataclass
class AwsEgressArgs:
    zone_id: str
    region: str
    vpc_id: pulumi.Input[str]
    rules: list[EgressRule]  # the zone's AWS egress (zones.egress.egress_rules, cloud "aws")
    segment_groups: dict[str, aws.ec2.SecurityGroup]
    route_tables: dict[str, aws.ec2.RouteTable]
    tags: dict[str, str]


class AwsEgress(pulumi.ComponentResource):
    def __init__(self, name: str, args: AwsEgressArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("byside:aws:Egress", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        z = args.zone_id
        # A gateway endpoint per AWS service a segment must reach, in its segments' route tables;
        # its AWS-managed prefix list is what the egress rules name.
        self.endpoints: dict[str, aws.ec2.VpcEndpoint] = {}
        for service in sorted({r.aws_service for r in args.rules if r.aws_service}):
            segments = sorted({r.source for r in args.rules if r.aws_service == service})
            self.endpoints[service] = aws.ec2.VpcEndpoint(
                f"{z}-{service}-endpoint", vpc_id=args.vpc_id, service_name=f"com.amazonaws.{args.region}.{service}",
                vpc_endpoint_type="Gateway", route_table_ids=[args.route_tables[s].id for s in segments],
                tags=tagged(args.tags, Name=f"{z}-{service}"), opts=child)
        self.rules: list[aws.vpc.SecurityGroupEgressRule] = []
        for r in args.rules:
            group = args.segment_groups.get(r.source)
            if group is None:
                continue
            targets = [("pl", None)] if r.aws_service else [(("cidr_ipv6" if ":" in c else "cidr_ipv4"), c) for c in r.cidrs]
            for kind, cidr in targets:
                for port in r.ports:
                    where = r.aws_service if kind == "pl" else cidr.replace("/", "_")
                    dest = ({"prefix_list_id": self.endpoints[r.aws_service].prefix_list_id} if kind == "pl"
                            else {kind: cidr})
                    self.rules.append(aws.vpc.SecurityGroupEgressRule(
                        f"{z}-seg-{r.source}-{r.name}-{where}-{port.protocol}-{port.from_port}-{port.to_port}",
                        security_group_id=group.id, ip_protocol=port.protocol, from_port=port.from_port,
                        to_port=port.to_port, description=r.description[:255],
                        tags=tagged(args.tags, segment=r.source), opts=child, **dest))
        self.register_outputs({"endpointIds": {k: e.id for k, e in self.endpoints.items()},
                               "egressRules": len(self.rules)})
