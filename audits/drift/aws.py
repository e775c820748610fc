"""Reading a zone's deployed AWS allowlists and VPNs through boto3 (the only AWS I/O of drift).

A zone's resources are those tagged `zone=<zone>` in the zone's region. Preshared keys and the
customer gateway configuration (which embeds them) are never read into the result.
"""

from __future__ import annotations

from ..aws import aws_errors, fail_fast_config
from .live import LivePrefixList, LiveSecurityGroup, LiveVpn, LiveZone, ReadError

TUNNEL_OPTIONS = ("IkeVersions", "Phase1EncryptionAlgorithms", "Phase2EncryptionAlgorithms",
                  "Phase1IntegrityAlgorithms", "Phase2IntegrityAlgorithms", "Phase1DHGroupNumbers",
                  "Phase2DHGroupNumbers")


def _tags(items) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in items or []}


def ec2_client(region: str, endpoint_url: str | None):
    import boto3

    return boto3.session.Session().client("ec2", region_name=region, endpoint_url=endpoint_url,
                                          config=fail_fast_config())


def read_aws(live: LiveZone, region: str, endpoint_url: str | None = None, ec2=None) -> None:
    with aws_errors(ReadError, other_prefix="AWS: ",
                    no_credentials="AWS: no credentials (set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)"):
        ec2 = ec2 or ec2_client(region, endpoint_url)
        _read(ec2, live)
    live.aws_read = True


def _pages(ec2, op: str, key: str, **kw) -> list[dict]:
    return [x for page in ec2.get_paginator(op).paginate(**kw) for x in page[key]]


def _read(ec2, live: LiveZone) -> None:
    zone_filter = [{"Name": "tag:zone", "Values": [live.zone]}]
    # Every list the account sees (AWS-managed ones too), to name the ones rules reference.
    for pl in _pages(ec2, "describe_managed_prefix_lists", "PrefixLists"):
        live.prefix_list_names[pl["PrefixListId"]] = pl.get("PrefixListName") or pl["PrefixListId"]
    for pl in _pages(ec2, "describe_managed_prefix_lists", "PrefixLists", Filters=zone_filter):
        if pl.get("State", "").startswith("delete"):
            continue  # deleted (or being deleted) lists linger in describe output for a while
        entries = _pages(ec2, "get_managed_prefix_list_entries", "Entries", PrefixListId=pl["PrefixListId"])
        live.prefix_lists.append(LivePrefixList(pl["PrefixListId"], pl.get("PrefixListName", ""), _tags(pl.get("Tags")),
                                                frozenset(e["Cidr"] for e in entries)))
    groups = _pages(ec2, "describe_security_groups", "SecurityGroups", Filters=zone_filter)
    if groups:
        rules = _pages(ec2, "describe_security_group_rules", "SecurityGroupRules",
                       Filters=[{"Name": "group-id", "Values": [g["GroupId"] for g in groups]}])
        by_group: dict[str, set] = {g["GroupId"]: set() for g in groups}
        egress: dict[str, set] = {g["GroupId"]: set() for g in groups}
        for r in rules:
            if r["GroupId"] not in by_group:
                continue
            (egress if r.get("IsEgress") else by_group)[r["GroupId"]].add(
                (r["IpProtocol"], int(r.get("FromPort", -1)), int(r.get("ToPort", -1)), _source(r, live.prefix_list_names)))
        for g in groups:
            live.security_groups.append(LiveSecurityGroup(g["GroupId"], g["GroupName"], _tags(g.get("Tags")),
                                                          frozenset(by_group[g["GroupId"]]),
                                                          frozenset(egress[g["GroupId"]])))
    vpns = ec2.describe_vpn_connections(Filters=zone_filter)["VpnConnections"]
    cgw_ids = sorted({v["CustomerGatewayId"] for v in vpns if v.get("CustomerGatewayId")})
    cgw_ip = {}
    if cgw_ids:
        for c in ec2.describe_customer_gateways(CustomerGatewayIds=cgw_ids)["CustomerGateways"]:
            cgw_ip[c["CustomerGatewayId"]] = c.get("IpAddress")
    for v in vpns:
        if v.get("State") in ("deleted", "deleting"):
            continue
        options = (v.get("Options") or {}).get("TunnelOptions")
        tunnels = None
        if options:
            tunnels = [{name: [x["Value"] for x in t.get(name, [])] for name in TUNNEL_OPTIONS} for t in options]
        live.vpns.append(LiveVpn(v["VpnConnectionId"], _tags(v.get("Tags")), cgw_ip.get(v.get("CustomerGatewayId")),
                                 tunnels))


def _source(rule: dict, names: dict[str, str]) -> str:
    if rule.get("CidrIpv4"):
        return rule["CidrIpv4"]
    if rule.get("CidrIpv6"):
        return rule["CidrIpv6"]
    if rule.get("PrefixListId"):
        return f"pl:{names.get(rule['PrefixListId'], rule['PrefixListId'])}"
    ref = rule.get("ReferencedGroupInfo") or {}
    return f"sg:{ref.get('GroupId', '?')}"
