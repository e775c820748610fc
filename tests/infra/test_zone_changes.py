"""Changing a zone's YAML changes exactly the expected resources, and nothing else."""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor

from byside.preview import REPO, preview_zones

NEW_CIDR = ("cidrs: [198.51.100.64/28, 198.51.100.80/28]",
            "cidrs: [198.51.100.64/28, 198.51.100.80/28, 198.51.100.112/28]")
NEW_SEGMENT = ("\nsegment_policy:", """  - name: batch
    purpose: Batch jobs
    multi_az: false
    sites:
      dc-lis: {vlan: 150, cidr: 10.10.56.0/24}
      aws: {cidr: 10.11.56.0/24}
      gcp: {cidr: 10.12.56.0/24}

segment_policy:""")


def variant(tmp_path, name: str, edit: tuple[str, str]):
    folder = tmp_path / name
    shutil.copytree(REPO / "zones", folder)
    path = folder / "we1.yaml"
    text = path.read_text()
    assert text.count(edit[0]) == 1
    path.write_text(text.replace(edit[0], edit[1]))
    return folder


def diff(before: dict, after: dict) -> tuple[set, set, dict]:
    a = {r["urn"]: r for r in before["deployment"]["resources"]}
    b = {r["urn"]: r for r in after["deployment"]["resources"]}
    changed = {}
    for urn in a.keys() & b.keys():
        keys = sorted(k for k in a[urn].keys() | b[urn].keys() if a[urn].get(k) != b[urn].get(k))
        if keys:
            changed[urn.rsplit("::", 1)[1] + " " + a[urn]["type"]] = keys
    name = lambda u: u.rsplit("::", 1)[1] + " " + u.split("::")[2].rsplit("$", 1)[-1]  # noqa: E731
    return {name(u) for u in b.keys() - a.keys()}, {name(u) for u in a.keys() - b.keys()}, changed


def test_subscriber_cidr_and_new_segment(tmp_path, docs):
    dirs = {"cidr": variant(tmp_path, "cidr", NEW_CIDR), "segment": variant(tmp_path, "segment", NEW_SEGMENT)}
    with ThreadPoolExecutor(2) as pool:
        runs = dict(zip(dirs, pool.map(lambda d: preview_zones(["we1"], d)["we1"][0], dirs.values())))
    base = docs["we1"]

    added, removed, changed = diff(base, json.loads(runs["cidr"]))
    assert (added, removed) == (set(), set())
    assert changed == {"we1-api-v4-1 aws:ec2/managedPrefixList:ManagedPrefixList": ["inputs", "outputs"],
                       "we1-api-allow-v4-1 gcp:compute/firewall:Firewall": ["inputs", "outputs"]}
    after = {r["urn"].rsplit("::", 1)[1]: r for r in json.loads(runs["cidr"])["deployment"]["resources"]}
    pl = after["we1-api-v4-1"]["inputs"]
    assert ([e["cidr"] for e in pl["entries"]], pl["maxEntries"]) == (
        ["192.0.2.0/26", "198.51.100.64/27", "198.51.100.112/28", "203.0.113.0/26"], 4)
    assert after["we1-api-allow-v4-1"]["inputs"]["sourceRanges"] == [
        "192.0.2.0/26", "198.51.100.64/27", "198.51.100.112/28", "203.0.113.0/26"]

    added, removed, changed = diff(base, json.loads(runs["segment"]))
    assert removed == set()
    assert added == {
        "we1-batch-eu-west-1a aws:ec2/subnet:Subnet",
        "we1-batch-rt aws:ec2/routeTable:RouteTable",
        "we1-batch-eu-west-1a-rta aws:ec2/routeTableAssociation:RouteTableAssociation",
        "we1-batch-vgw-propagation aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation",
        "we1-seg-batch aws:ec2/securityGroup:SecurityGroup",
        "we1-dc-lis-batch vsphere:index/distributedPortGroup:DistributedPortGroup",
        "we1-batch gcp:compute/subnetwork:Subnetwork",
    }
    # Only the components that list their children's ids (and the stack outputs) change.
    assert changed == {
        "byside-we1 pulumi:pulumi:Stack": ["outputs"],
        "we1 byside:zone:ZoneStack": ["outputs"],
        "we1-aws-network byside:aws:Network": ["outputs"],
        "we1-aws-allowlists byside:aws:Allowlists": ["outputs"],
        "we1-gcp-network byside:gcp:Network": ["outputs"],
        "we1-dc-lis-vlans byside:dc:VsphereVlans": ["outputs"],
    }
