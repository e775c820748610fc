"""`byside drift` for GCP through the real google-cloud-compute client (anonymous credentials)
against a local compute REST server holding we1's firewall rules and tunnels."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

from tests.drift.seed import seed_aws
from tests.drift.test_drift_aws import run

ROOT = Path(__file__).resolve().parents[2]
PROJECT, REGION = "byside-we1-prod", "europe-west1"


def gcp_json(url: str) -> tuple[int, dict]:
    code, out = run("drift", "--zone", "we1", "--cloud", "gcp", "--gcp-endpoint", url, "--format", "json")
    return code, json.loads(out)


def test_declared_firewalls_and_tunnels_are_in_sync_read_page_by_page(gcp):
    code, rep = gcp_json(gcp.url)
    assert code == 0, rep
    assert rep["drift"] == [] and rep["not_verifiable"] == []
    assert rep["checked"]["we1"] == {"prefix_lists": 0, "security_groups": 0, "vpn_connections": 0,
                                     "firewall_rules": 15, "vpn_tunnels": 2}
    # 15 rules (10 ingress, 5 egress) in pages of 3: the client followed nextPageToken to the end.
    assert gcp.state.requests == [f"/compute/v1/projects/{PROJECT}/global/firewalls"] * 5 + [
        f"/compute/v1/projects/{PROJECT}/regions/{REGION}/vpnTunnels"]


def test_each_kind_of_gcp_drift_is_reported_exactly(gcp):
    fws = {f["name"]: f for f in gcp.state.firewalls[PROJECT]}
    fws["we1-api-allow-v4-1"]["sourceRanges"].remove("198.51.100.64/27")           # missing CIDR
    fws["we1-sftp-allow-v4-1"]["sourceRanges"].append("0.0.0.0/0")                 # extra CIDR
    fws["we1-voice-allow-v4-1"]["allowed"].append({"IPProtocol": "tcp", "ports": ["5060"]})  # extra port
    fws["we1-seg-mgmt-to-app"]["targetTags"] = []                                   # now every instance
    del fws["we1-deny-all-ingress-v6"]                                              # missing resource
    fws["we1-deny-all-ingress"]["disabled"] = True                                  # present, not enforced
    fws["we1-temp-ssh"] = {"name": "we1-temp-ssh", "direction": "INGRESS", "sourceRanges": ["0.0.0.0/0"],
                           "allowed": [{"IPProtocol": "tcp", "ports": ["22"]}]}     # unknown resource
    fws["we2-api-allow-v4-1"] = {"name": "we2-api-allow-v4-1", "direction": "INGRESS",  # another zone: out of scope
                                 "sourceRanges": ["0.0.0.0/0"], "allowed": [{"IPProtocol": "tcp"}]}
    gcp.state.firewalls[PROJECT] = list(fws.values())
    tunnels = gcp.state.tunnels[(PROJECT, REGION)]
    tunnels[0]["ikeVersion"] = 1
    tunnels[0]["cipherSuite"]["phase1"]["dh"] = ["Group-14", "Group-20"]
    tunnels[0]["cipherSuite"]["phase1"]["integrity"] = ["HMAC-SHA2-384-192"]  # GCM takes none
    tunnels[0]["cipherSuite"]["phase2"]["encryption"] = ["AES-CBC-128"]
    del tunnels[1]["cipherSuite"]
    tunnels.append({"name": "we1-dc-mad-if0", "ikeVersion": 2, "labels": {"zone": "we1", "datacenter": "dc-mad"}})
    tunnels.append({"name": "we2-dc-mad-if0", "ikeVersion": 1, "labels": {"zone": "we2", "datacenter": "dc-mad"}})

    code, rep = gcp_json(gcp.url)
    assert code == 1
    assert [(d["resource"], d["kind"], d["detail"]) for d in rep["drift"]] == [
        ("firewall/we1-api-allow-v4-1", "missing-cidr", "198.51.100.64/27 not in sourceRanges"),
        ("firewall/we1-deny-all-ingress", "missing-resource", "rule exists but is disabled: not enforced"),
        ("firewall/we1-deny-all-ingress-v6", "missing-resource", f"no firewall rule we1-deny-all-ingress-v6 in {PROJECT}"),
        ("firewall/we1-seg-mgmt-to-app", "changed-target", "targetTags none (every instance) (declared seg-app)"),
        ("firewall/we1-sftp-allow-v4-1", "extra-cidr", "0.0.0.0/0 in sourceRanges"),
        ("firewall/we1-temp-ssh", "unknown-resource", "INGRESS allow rule named we1-*: not declared in zones/"),
        ("firewall/we1-voice-allow-v4-1", "extra-port", "tcp/5060 allowed"),
        ("vpn-tunnel/we1-dc-lis-if0", "weakened-vpn", "cipherSuite.phase1.dh allows Group-14 (declared Group-20, Group-21)"),
        ("vpn-tunnel/we1-dc-lis-if0", "weakened-vpn", "cipherSuite.phase1.integrity allows HMAC-SHA2-384-192 "
         "(declared none: AES-GCM is encryption and integrity in one)"),
        ("vpn-tunnel/we1-dc-lis-if0", "weakened-vpn",
         "cipherSuite.phase2.encryption allows AES-CBC-128 (declared AES-GCM-16-256)"),
        ("vpn-tunnel/we1-dc-lis-if0", "weakened-vpn", "ikeVersion 1 (declared 2)"),
        ("vpn-tunnel/we1-dc-lis-if1", "weakened-vpn", "cipherSuite not set: GCP then proposes every supported cipher"),
        ("vpn-tunnel/we1-dc-mad-if0", "unknown-resource", "labelled zone=we1, datacenter=dc-mad: not a data centre of we1"),
    ]


def test_egress_drift_on_gcp(gcp):
    fws = {f["name"]: f for f in gcp.state.firewalls[PROJECT]}
    fws["we1-seg-app-to-db-egress"]["destinationRanges"].append("0.0.0.0/0")     # the world added
    del fws["we1-deny-all-egress"]                                                # GCP's implied allow is back
    fws["we1-egress-all"] = {"name": "we1-egress-all", "direction": "EGRESS", "destinationRanges": ["0.0.0.0/0"],
                             "allowed": [{"IPProtocol": "all"}]}                  # an egress nobody declared
    gcp.state.firewalls[PROJECT] = list(fws.values())
    code, rep = gcp_json(gcp.url)
    assert code == 1
    assert [(d["resource"], d["kind"], d["detail"]) for d in rep["drift"]] == [
        ("firewall/we1-deny-all-egress", "missing-resource", f"no firewall rule we1-deny-all-egress in {PROJECT}"),
        ("firewall/we1-egress-all", "unknown-resource", "EGRESS allow rule named we1-*: not declared in zones/"),
        ("firewall/we1-seg-app-to-db-egress", "extra-cidr", "0.0.0.0/0 in destinationRanges"),
    ]


def test_both_clouds_in_one_run(aws, gcp):
    seed_aws("we1")
    code, out = run("drift", "--zone", "we1", "--aws-endpoint-url", aws, "--gcp-endpoint", gcp.url)
    assert code == 0
    assert out.startswith("zone we1 (aws, gcp): checked 6 prefix_lists, 7 security_groups, 2 vpn_connections, "
                          "15 firewall_rules, 2 vpn_tunnels\nin sync: live matches zones/\n")


def test_unreachable_compute_endpoint_exits_2(tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.run([sys.executable, "-m", "byside.cli", "drift", "--zone", "we1", "--cloud", "gcp",
                           "--gcp-endpoint", f"http://127.0.0.1:{port}"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert f"GCP: cannot reach http://127.0.0.1:{port}: ConnectionError" in proc.stderr
    assert proc.stdout == ""
