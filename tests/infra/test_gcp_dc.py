"""GCP and data-centre resources of each zone's offline preview."""

from __future__ import annotations

import pytest

SECRET = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
          "ciphertext": "v1:offline-preview:no-secrets-provider"}


@pytest.mark.parametrize("zone,region,cidrs", [
    ("we1", "europe-west1", {"we1-edge": "10.12.0.0/24", "we1-app": "10.12.16.0/20"}),
    ("sa1", "southamerica-east1", {"sa1-edge": "10.32.0.0/24", "sa1-app": "10.32.16.0/20"}),
])
def test_network_and_subnetworks(stacks, zone, region, cidrs):
    s = stacks[zone]
    net = s.one("gcp:compute/network:Network")
    assert net["inputs"]["autoCreateSubnetworks"] is False
    assert net["inputs"]["deleteDefaultRoutesOnCreate"] is True
    subs = s.named("gcp:compute/subnetwork:Subnetwork")
    assert {n: r["inputs"]["ipCidrRange"] for n, r in subs.items()} == cidrs
    for r in subs.values():
        i = r["inputs"]
        assert i["network"] == net["outputs"]["id"] and i["region"] == region
        assert i["privateIpGoogleAccess"] is True
        assert i["logConfig"] == {"aggregationInterval": "INTERVAL_5_SEC", "flowSampling": 1,
                                  "metadata": "INCLUDE_ALL_METADATA"}
    routes = {n: (r["inputs"]["destRange"], r["inputs"]["nextHopGateway"], r["inputs"]["tags"])
              for n, r in s.named("gcp:compute/route:Route").items()}
    # The edge's internet route; the app segment's route to Google's private API range (declared egress).
    assert routes == {f"{zone}-edge-internet": ("0.0.0.0/0", "default-internet-gateway", ["seg-edge"]),
                      f"{zone}-google-apis-0": ("199.36.153.8/30", "default-internet-gateway", ["seg-app"])}


def test_we1_firewall_rules(stacks):
    rules = stacks["we1"].named("gcp:compute/firewall:Firewall")
    summary = {n: (r["inputs"]["priority"], r["inputs"].get("sourceRanges"), r["inputs"].get("targetTags"),
                   r["inputs"].get("allows") or r["inputs"].get("denies")) for n, r in rules.items()}
    assert summary == {
        "we1-api-allow-v4-1": (1000, ["192.0.2.0/26", "198.51.100.64/27", "203.0.113.0/26"], ["svc-api"],
                               [{"protocol": "tcp", "ports": ["443"]}]),
        "we1-api-allow-v6-1": (1000, ["2001:db8:10::/48", "2001:db8:20::/48"], ["svc-api"],
                               [{"protocol": "tcp", "ports": ["443"]}]),
        "we1-sftp-allow-v4-1": (1000, ["203.0.113.0/26"], ["svc-sftp"], [{"protocol": "tcp", "ports": ["22"]}]),
        "we1-sftp-allow-v6-1": (1000, ["2001:db8:10::/48"], ["svc-sftp"], [{"protocol": "tcp", "ports": ["22"]}]),
        "we1-voice-allow-v4-1": (1000, ["192.0.2.0/26"], ["svc-voice"],
                                 [{"protocol": "tcp", "ports": ["5061"]}, {"protocol": "udp", "ports": ["10000-10999"]}]),
        "we1-voice-allow-v6-1": (1000, ["2001:db8:20::/48"], ["svc-voice"],
                                 [{"protocol": "tcp", "ports": ["5061"]}, {"protocol": "udp", "ports": ["10000-10999"]}]),
        # Only rules whose target segment has a GCP site: edge->app and mgmt->app.
        "we1-seg-edge-to-app": (1000, ["10.10.0.0/24", "10.11.0.0/22", "10.12.0.0/24"], ["seg-app"],
                                [{"protocol": "tcp", "ports": ["8080"]}]),
        "we1-seg-mgmt-to-app": (1000, ["10.10.48.0/24", "10.11.48.0/24"], ["seg-app"],
                                [{"protocol": "tcp", "ports": ["22", "10050"]}]),
        "we1-deny-all-ingress": (65534, ["0.0.0.0/0"], None, [{"protocol": "all"}]),
        "we1-deny-all-ingress-v6": (65534, ["::/0"], None, [{"protocol": "all"}]),
        # Egress (zones/egress.py): the source side of every flow from a GCP segment, the declared
        # Google APIs egress, and deny-all egress below them (GCP's implied rule allows all egress).
        "we1-seg-edge-to-app-egress": (1000, None, ["seg-edge"], [{"protocol": "tcp", "ports": ["8080"]}]),
        "we1-seg-app-to-db-egress": (1000, None, ["seg-app"], [{"protocol": "tcp", "ports": ["5432", "2049"]}]),
        "we1-seg-app-google-apis-egress": (1000, None, ["seg-app"], [{"protocol": "tcp", "ports": ["443"]}]),
        "we1-deny-all-egress": (65534, None, None, [{"protocol": "all"}]),
        "we1-deny-all-egress-v6": (65534, None, None, [{"protocol": "all"}]),
    }
    egress = {n: (r["inputs"]["direction"], r["inputs"]["destinationRanges"]) for n, r in rules.items()
              if r["inputs"]["direction"] == "EGRESS"}
    assert egress == {
        "we1-seg-edge-to-app-egress": ("EGRESS", ["10.10.16.0/20", "10.11.16.0/20", "10.12.16.0/20"]),
        "we1-seg-app-to-db-egress": ("EGRESS", ["10.10.32.0/22", "10.11.32.0/22"]),
        "we1-seg-app-google-apis-egress": ("EGRESS", ["199.36.153.8/30"]),
        "we1-deny-all-egress": ("EGRESS", ["0.0.0.0/0"]),
        "we1-deny-all-egress-v6": ("EGRESS", ["::/0"]),
    }


@pytest.mark.parametrize("zone,peers", [
    ("we1", {"dc-lis": ("TWO_IPS_REDUNDANCY", ["198.51.100.10", "198.51.100.11"], 65010)}),
    ("we2", {"dc-mad": ("SINGLE_IP_INTERNALLY_REDUNDANT", ["198.51.100.140"], 65020)}),
    ("sa1", {"dc-lis": ("TWO_IPS_REDUNDANCY", ["198.51.100.10", "198.51.100.11"], 65010),
             "dc-mad": ("SINGLE_IP_INTERNALLY_REDUNDANT", ["198.51.100.140"], 65020)}),
])
def test_ha_vpn_covers_both_interfaces(stacks, zone, peers, platform):
    s = stacks[zone]
    gw = s.one("gcp:compute/haVpnGateway:HaVpnGateway")
    router = s.one("gcp:compute/router:Router")
    assert router["inputs"]["bgp"]["asn"] == platform.zone(zone).gcp.asn
    exts = s.named("gcp:compute/externalVpnGateway:ExternalVpnGateway")
    assert {n.removeprefix(f"{zone}-").removesuffix("-peer"): (
        r["inputs"]["redundancyType"], [i["ipAddress"] for i in r["inputs"]["interfaces"]])
        for n, r in exts.items()} == {dc: (red, ips) for dc, (red, ips, _) in peers.items()}
    tunnels = s.named("gcp:compute/vPNTunnel:VPNTunnel")
    assert len(tunnels) == 2 * len(peers)
    for dc, (red, ips, asn) in peers.items():
        mine = [t["inputs"] for n, t in tunnels.items() if t["inputs"]["labels"]["datacenter"] == dc]
        assert sorted(t["vpnGatewayInterface"] for t in mine) == [0, 1]
        assert sorted(t["peerExternalGatewayInterface"] for t in mine) == ([0, 1] if len(ips) == 2 else [0, 0])
        for t in mine:
            assert t["ikeVersion"] == 2 and t["sharedSecret"] == SECRET
            assert t["vpnGateway"] == gw["outputs"]["id"] and t["router"] == router["outputs"]["id"]
            assert t["peerExternalGateway"] == exts[f"{zone}-{dc}-peer"]["outputs"]["id"]
            # Google's IKEv2 AEAD table: AES-GCM is encryption and integrity in one, no integrities sent.
            assert t["cipherSuite"] == {
                "phase1": {"encryptions": ["AES-GCM-16-256"], "prves": ["PRF-HMAC-SHA2-384"],
                           "dhs": ["Group-20", "Group-21"]},
                "phase2": {"encryptions": ["AES-GCM-16-256"], "pfs": ["Group-20", "Group-21"]}}
            assert t["labels"]["zone"] == zone
    bgp = s.of_type("gcp:compute/routerPeer:RouterPeer")
    assert len(bgp) == len(s.of_type("gcp:compute/routerInterface:RouterInterface")) == 2 * len(peers)
    assert sorted(p["inputs"]["peerAsn"] for p in bgp) == sorted(a for _, _, a in peers.values() for _ in (0, 1))


@pytest.mark.parametrize("zone,start", [("we1", "01:00"), ("we2", "01:00"), ("sa1", "04:00")])
def test_snapshot_schedule(stacks, zone, start):
    p = stacks[zone].one("gcp:compute/resourcePolicy:ResourcePolicy")["inputs"]["snapshotSchedulePolicy"]
    assert p["schedule"] == {"dailySchedule": {"daysInCycle": 1, "startTime": start}}
    assert p["retentionPolicy"] == {"maxRetentionDays": 93, "onSourceDiskDelete": "KEEP_AUTO_SNAPSHOTS"}


@pytest.mark.parametrize("zone", ["we1", "we2", "sa1"])
def test_gcp_iam_groups_never_basic_roles(stacks, zone, platform):
    members = stacks[zone].of_type("gcp:projects/iAMMember:IAMMember")
    got = sorted((m["inputs"]["member"], m["inputs"]["role"]) for m in members)
    want = sorted({(f"group:{t.gcp_group}", r) for t in platform.teams_for(zone) for lvl in t.gcp
                   for r in platform.access.levels[lvl].gcp_roles})
    assert got == want and len(got) == 14
    assert not {r for _, r in got} & {"roles/owner", "roles/editor"}
    assert {m["inputs"]["project"] for m in members} == {platform.zone(zone).gcp.project}


def test_vsphere_port_groups_for_we1(stacks):
    s = stacks["we1"]
    pgs = s.named("vsphere:index/distributedPortGroup:DistributedPortGroup")
    assert {n: r["inputs"]["vlanId"] for n, r in pgs.items()} == {
        "we1-dc-lis-edge": 110, "we1-dc-lis-app": 120, "we1-dc-lis-db": 130, "we1-dc-lis-mgmt": 140}
    # The switch was looked up by name through the getDistributedVirtualSwitch invoke.
    assert len({r["inputs"]["distributedVirtualSwitchUuid"] for r in pgs.values()}) == 1
    assert stacks["we2"].of_type("vsphere:index/distributedPortGroup:DistributedPortGroup") == []
    assert stacks["sa1"].of_type("vsphere:index/distributedPortGroup:DistributedPortGroup") == []


def test_manual_dc_handover_document(stacks):
    doc = stacks["we2"].stack_outputs()["handover"]["dc-mad"]
    assert "| edge | 2010 | 10.20.0.0/24 |" in doc and "| mgmt | 2040 | 10.20.48.0/24 |" in doc
    assert "DC ASN 65020" in doc and "AWS ASN 64522" in doc and "GCP ASN 64523" in doc
    assert "<secret: stack output vpnPeers.aws.we2-dc-mad-edge1.tunnels[0].presharedKey>" in doc
    assert "<secret: stack output vpnPeers.gcp.we2-dc-mad.tunnels[1].sharedSecret>" in doc
    # sa1 reaches dc-mad too: its handover has IPsec/BGP but no VLAN.
    sa1 = stacks["sa1"].stack_outputs()["handover"]["dc-mad"]
    assert "(none: no DC-side segment)" in sa1 and "sa1-dc-mad-edge1" in sa1
    assert "handover" not in stacks["we1"].stack_outputs()


def test_stack_outputs_keep_keys_secret(stacks):
    out = stacks["we2"].stack_outputs()
    aws = out["vpnPeers"]["aws"]["we2-dc-mad-edge1"]
    assert aws["edgeIp"] == "198.51.100.140" and aws["ikeVersions"] == ["ikev2"]
    assert [t["presharedKey"] for t in aws["tunnels"]] == [SECRET, SECRET]
    gcp = out["vpnPeers"]["gcp"]["we2-dc-mad"]
    assert [t["sharedSecret"] for t in gcp["tunnels"]] == [SECRET, SECRET]
    assert out["vpcId"].startswith("vpc-") and out["networkId"] == "projects/byside-we2-prod/global/networks/we2-net"
    assert sorted(out["prefixListIds"]) == ["we2-api-v4-1", "we2-api-v6-1", "we2-sftp-v4-1", "we2-voice-v4-1",
                                            "we2-voice-v6-1"]
