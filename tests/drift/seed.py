"""Seeding the declared state of a zone the way the program deploys it, straight from the zone
model (zones.allowlist.compile_zone, the segment policy, the DCs), independent of audits/drift."""

from __future__ import annotations

import zones
from zones.allowlist import compile_zone
from zones.egress import egress_rules

from infra import plans
from tests.motoserver import client


def tag_spec(kind: str, **tags: str) -> list[dict]:
    return [{"ResourceType": kind, "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]


def _strip_default_egress(ec2, gid: str) -> None:
    """What the AWS provider does to every group it creates: AWS's default allow-all egress removed."""
    ec2.revoke_security_group_egress(GroupId=gid, IpPermissions=[
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])


def aws_managed_prefix_list(ec2, name: str) -> str:
    found = ec2.describe_managed_prefix_lists(Filters=[{"Name": "prefix-list-name", "Values": [name]}])["PrefixLists"]
    return found[0]["PrefixListId"]


def seed_aws(zone_id: str) -> dict[str, str]:
    """Prefix lists, security groups (allowlists and segments) and VPN connections; returns name -> id."""
    p = zones.load_platform()
    zone = p.zone(zone_id)
    ec2 = client("ec2")
    ids: dict[str, str] = {}
    vpc = ec2.create_vpc(CidrBlock="10.11.0.0/16")["Vpc"]["VpcId"]
    ids["vpc"] = vpc
    for svc in compile_zone(p, zone_id):
        for pl in svc.prefix_lists:
            ids[pl.name] = ec2.create_managed_prefix_list(
                PrefixListName=pl.name, AddressFamily=f"IPv{pl.family}", MaxEntries=len(pl.entries),
                Entries=[{"Cidr": c} for c in pl.entries],
                TagSpecifications=tag_spec("prefix-list", zone=zone_id, service=svc.service, Name=pl.name),
            )["PrefixList"]["PrefixListId"]
        for sg in svc.security_groups:
            gid = ec2.create_security_group(GroupName=sg.name, Description="x", VpcId=vpc, TagSpecifications=tag_spec(
                "security-group", zone=zone_id, service=svc.service))["GroupId"]
            ids[sg.name] = gid
            _strip_default_egress(ec2, gid)
            ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=[
                {"IpProtocol": port.protocol, "FromPort": port.from_port, "ToPort": port.to_port,
                 "PrefixListIds": [{"PrefixListId": ids[pl]}]} for pl in sg.prefix_lists for port in sg.ports])
    seg_cidrs = {s.name: [site.cidr for site in s.sites.values()] for s in zone.segments}
    for seg, _ in zone.cloud_segments("aws"):
        name = f"{zone_id}-seg-{seg.name}"
        gid = ec2.create_security_group(GroupName=name, Description="x", VpcId=vpc, TagSpecifications=tag_spec(
            "security-group", zone=zone_id, segment=seg.name))["GroupId"]
        ids[name] = gid
        _strip_default_egress(ec2, gid)
        perms = [{"IpProtocol": port.protocol, "FromPort": port.from_port, "ToPort": port.to_port,
                  "IpRanges": [{"CidrIp": c} for c in seg_cidrs[r.from_]]}
                 for r in zone.segment_policy if r.to == seg.name for port in r.ports]
        if perms:
            ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=perms)
        out = []
        for r in egress_rules(zone):
            if r.cloud != "aws" or r.source != seg.name:
                continue
            dest = ({"PrefixListIds": [{"PrefixListId": aws_managed_prefix_list(
                ec2, f"com.amazonaws.{zone.aws.region}.{r.aws_service}")}]} if r.aws_service else
                    {"IpRanges": [{"CidrIp": c} for c in r.cidrs if ":" not in c],
                     "Ipv6Ranges": [{"CidrIpv6": c} for c in r.cidrs if ":" in c]})
            out += [{"IpProtocol": port.protocol, "FromPort": port.from_port, "ToPort": port.to_port, **dest}
                    for port in r.ports]
        if out:
            ec2.authorize_security_group_egress(GroupId=gid, IpPermissions=out)
    vgw = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    for dc in zone.datacenters:
        site = p.datacenter(dc)
        for k, ip in enumerate(site.vpn_edge_ips, start=1):
            ids[f"{dc}-edge{k}"] = vpn(ec2, vgw, ip, site.bgp_asn, zone=zone_id, datacenter=dc)
    ids["vgw"] = vgw
    return ids


def vpn(ec2, vgw: str, ip: str, asn: int, **tags: str) -> str:
    cgw = ec2.create_customer_gateway(BgpAsn=asn, PublicIp=ip, Type="ipsec.1")["CustomerGateway"]["CustomerGatewayId"]
    return ec2.create_vpn_connection(CustomerGatewayId=cgw, VpnGatewayId=vgw, Type="ipsec.1",
                                     TagSpecifications=tag_spec("vpn-connection", **tags))["VpnConnection"]["VpnConnectionId"]


def _allowed(ports) -> list[dict]:
    by: dict[str, list[str]] = {}
    for p in ports:
        by.setdefault(p.protocol, []).append(str(p.from_port) if p.from_port == p.to_port else f"{p.from_port}-{p.to_port}")
    return [{"IPProtocol": proto, "ports": spans} for proto, spans in by.items()]


def gcp_firewalls(zone_id: str) -> list[dict]:
    """The zone's firewall rules as the compute REST API returns them."""
    p = zones.load_platform()
    zone = p.zone(zone_id)
    net = f"https://www.googleapis.com/compute/v1/projects/{zone.gcp.project}/global/networks/{zone_id}-vpc"
    out = []
    for svc in compile_zone(p, zone_id):
        for fw in svc.firewall_rules:
            out.append({"kind": "compute#firewall", "name": fw.name, "network": net, "direction": "INGRESS",
                        "priority": 1000, "sourceRanges": list(fw.source_ranges), "targetTags": [f"svc-{svc.service}"],
                        "allowed": _allowed(fw.ports)})
    seg_cidrs = {s.name: [site.cidr for site in s.sites.values()] for s in zone.segments}
    gcp_segs = {s.name for s, _ in zone.cloud_segments("gcp")}
    for r in zone.segment_policy:
        if r.to in gcp_segs:
            for family, suffix in ((4, ""), (6, "-v6")):
                ranges = [c for c in seg_cidrs[r.from_] if (":" in c) == (family == 6)]
                if ranges:
                    out.append({"kind": "compute#firewall", "name": f"{zone_id}-seg-{r.from_}-to-{r.to}{suffix}",
                                "network": net, "direction": "INGRESS", "priority": 1000, "sourceRanges": ranges,
                                "targetTags": [f"seg-{r.to}"], "allowed": _allowed(r.ports)})
    for suffix, src in (("", "0.0.0.0/0"), ("-v6", "::/0")):
        out.append({"kind": "compute#firewall", "name": f"{zone_id}-deny-all-ingress{suffix}", "network": net,
                    "direction": "INGRESS", "priority": 65534, "sourceRanges": [src], "denied": [{"IPProtocol": "all"}]})
    for r in egress_rules(zone):
        if r.cloud != "gcp":
            continue
        for family, suffix in ((4, ""), (6, "-v6")):
            ranges = [c for c in r.cidrs if (":" in c) == (family == 6)]
            if ranges:
                out.append({"kind": "compute#firewall", "name": f"{zone_id}-seg-{r.source}-{r.name}-egress{suffix}",
                            "network": net, "direction": "EGRESS", "priority": 1000, "destinationRanges": ranges,
                            "targetTags": [f"seg-{r.source}"], "allowed": _allowed(r.ports)})
    for suffix, dest in (("", "0.0.0.0/0"), ("-v6", "::/0")):
        out.append({"kind": "compute#firewall", "name": f"{zone_id}-deny-all-egress{suffix}", "network": net,
                    "direction": "EGRESS", "priority": 65534, "destinationRanges": [dest],
                    "denied": [{"IPProtocol": "all"}]})
    return out


def gcp_tunnels(zone_id: str) -> list[dict]:
    p = zones.load_platform()
    zone = p.zone(zone_id)
    rename = {"encryptions": "encryption", "integrities": "integrity", "prves": "prf", "dhs": "dh", "pfs": "pfs"}
    suite = {"phase1": {rename[k]: v for k, v in plans.GCP_PHASE1.items()},
             "phase2": {rename[k]: v for k, v in plans.GCP_PHASE2.items()}}
    return [{"kind": "compute#vpnTunnel", "name": f"{zone_id}-{dc}-if{i}", "ikeVersion": 2, "cipherSuite": suite,
             "labels": {"zone": zone_id, "datacenter": dc}, "status": "ESTABLISHED"}
            for dc in zone.datacenters for i in (0, 1)]
