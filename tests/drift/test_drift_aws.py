"""`byside drift` against moto in server mode: the declared state of we1 is clean, then each kind
of drift planted through boto3 is reported exactly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli import run as cli_run
from tests.drift.seed import seed_aws, tag_spec, vpn
from tests.motoserver import client

ROOT = Path(__file__).resolve().parents[2]


run = cli_run  # the CLI in-process: (exit code, output or the exit-2 message)


def drift_json(aws_url: str, *extra: str) -> tuple[int, dict]:
    code, out = run("drift", "--zone", "we1", "--cloud", "aws", "--aws-endpoint-url", aws_url, "--format", "json", *extra)
    return code, json.loads(out)


def test_declared_state_is_in_sync_and_tunnel_options_are_not_verifiable(aws):
    ids = seed_aws("we1")
    code, out = run("drift", "--zone", "we1", "--cloud", "aws", "--aws-endpoint-url", aws, "--format", "json")
    rep = json.loads(out)
    assert code == 0
    assert rep["drift"] == [] and rep["in_sync"] is True
    # moto returns the PSKs inside CustomerGatewayConfiguration: they never reach the report.
    config = client("ec2").describe_vpn_connections()["VpnConnections"][0]["CustomerGatewayConfiguration"]
    psk = config.split("<pre_shared_key>")[1].split("</pre_shared_key>")[0]
    assert psk and psk not in out and "pre_shared_key" not in out
    assert rep["checked"]["we1"] == {"prefix_lists": 6, "security_groups": 7, "vpn_connections": 2,
                                     "firewall_rules": 0, "vpn_tunnels": 0}
    assert rep["not_verifiable"] == [
        {"zone": "we1", "cloud": "aws", "resource": f"vpn-connection/{ids[k]}",
         "detail": f"dc-lis edge {ip}: tunnel options not returned by this endpoint (IKE version, ciphers, DH groups "
                   "not verifiable)"}
        for k, ip in sorted([("dc-lis-edge1", "198.51.100.10"), ("dc-lis-edge2", "198.51.100.11")],
                            key=lambda x: ids[x[0]])]


def test_each_kind_of_drift_is_reported_exactly(aws, tmp_path):
    ids = seed_aws("we1")
    ec2 = client("ec2")

    def version(pl):
        return ec2.describe_managed_prefix_lists(PrefixListIds=[ids[pl]])["PrefixLists"][0]["Version"]

    # missing CIDR: a subscriber range removed from the api list by hand
    # (PrefixListName repeated: moto's modify otherwise blanks the name)
    ec2.modify_managed_prefix_list(PrefixListId=ids["we1-api-v4-1"], CurrentVersion=version("we1-api-v4-1"),
                                   PrefixListName="we1-api-v4-1",
                                   RemoveEntries=[{"Cidr": "192.0.2.0/26"}])
    # extra CIDR: a range nobody declared added to the sftp list
    ec2.modify_managed_prefix_list(PrefixListId=ids["we1-sftp-v4-1"], CurrentVersion=version("we1-sftp-v4-1"),
                                   PrefixListName="we1-sftp-v4-1",
                                   AddEntries=[{"Cidr": "100.64.0.0/24"}])
    # extra open port, and an extra source on a declared port
    ec2.authorize_security_group_ingress(GroupId=ids["we1-api-allow-1"], IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 8443, "ToPort": 8443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "1.2.3.0/24"}]}])
    # a segment rule narrowed by hand: Zabbix from the AWS mgmt subnet no longer reaches db
    ec2.revoke_security_group_ingress(GroupId=ids["we1-seg-db"], IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 10050, "ToPort": 10050, "IpRanges": [{"CidrIp": "10.11.48.0/24"}]}])
    # missing port: the load balancers' port into app closed altogether
    ec2.revoke_security_group_ingress(GroupId=ids["we1-seg-app"], IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080,
         "IpRanges": [{"CidrIp": c} for c in ("10.10.0.0/24", "10.11.0.0/22", "10.12.0.0/24")]}])
    # unknown resources in the zone's scope: a group and a VPN to another DC's edge
    debug = ec2.create_security_group(GroupName="we1-debug", Description="x", VpcId=ids["vpc"],
                                      TagSpecifications=tag_spec("security-group", zone="we1"))["GroupId"]
    rogue = vpn(ec2, ids["vgw"], "198.51.100.140", 65020, zone="we1", datacenter="dc-mad")
    # missing resource: the voice v6 list is gone (its group rule goes first)
    ec2.revoke_security_group_ingress(GroupId=ids["we1-voice-allow-1"], IpPermissions=[
        {"IpProtocol": p, "FromPort": a, "ToPort": b, "PrefixListIds": [{"PrefixListId": ids["we1-voice-v6-1"]}]}
        for p, a, b in (("tcp", 5061, 5061), ("udp", 10000, 10999))])
    ec2.delete_managed_prefix_list(PrefixListId=ids["we1-voice-v6-1"])
    # unrelated resources of another zone are out of scope
    ec2.create_security_group(GroupName="we2-api-allow-1", Description="x", VpcId=ids["vpc"],
                              TagSpecifications=tag_spec("security-group", zone="we2", service="api"))

    code, rep = drift_json(aws)
    assert code == 1
    got = [(d["cloud"], d["resource"], d["kind"], d["detail"]) for d in rep["drift"]]
    assert got == sorted([
        ("aws", "prefix-list/we1-api-v4-1", "missing-cidr", "192.0.2.0/26 (api subscribers)"),
        ("aws", "prefix-list/we1-sftp-v4-1", "extra-cidr", "100.64.0.0/24 is not declared for sftp"),
        ("aws", "prefix-list/we1-voice-v6-1", "missing-resource", "no prefix list we1-voice-v6-1 tagged zone=we1"),
        ("aws", "security-group/we1-api-allow-1", "extra-port", "tcp/8443 open to 0.0.0.0/0"),
        ("aws", "security-group/we1-api-allow-1", "extra-cidr", "1.2.3.0/24 allowed on tcp/443"),
        ("aws", "security-group/we1-seg-db", "missing-cidr", "10.11.48.0/24 not allowed on tcp/10050"),
        ("aws", "security-group/we1-debug", "unknown-resource", f"{debug} tagged zone=we1: not declared in zones/"),
        ("aws", "security-group/we1-voice-allow-1", "missing-cidr", "pl:we1-voice-v6-1 not allowed on tcp/5061"),
        ("aws", "security-group/we1-voice-allow-1", "missing-cidr", "pl:we1-voice-v6-1 not allowed on udp/10000-10999"),
        ("aws", "security-group/we1-seg-app", "missing-port", "tcp/8080 from 10.10.0.0/24 not open"),
        ("aws", "security-group/we1-seg-app", "missing-port", "tcp/8080 from 10.11.0.0/22 not open"),
        ("aws", "security-group/we1-seg-app", "missing-port", "tcp/8080 from 10.12.0.0/24 not open"),
        ("aws", f"vpn-connection/{rogue}", "unknown-resource",
         "datacenter=dc-mad, customer gateway 198.51.100.140: not an edge of a data centre of we1"),
    ], key=lambda t: (t[1], t[2], t[3]))
    assert rep["counts"] == {"missing-resource": 1, "unknown-resource": 2, "missing-cidr": 4, "extra-cidr": 2,
                             "extra-port": 1, "missing-port": 3, "changed-target": 0, "weakened-vpn": 0}

    # text output and --out: same verdict, exit 1, file written whole
    code, out = run("drift", "--zone", "we1", "--cloud", "aws", "--aws-endpoint-url", aws, "--out", str(tmp_path / "d.txt"))
    assert code == 1
    txt = (tmp_path / "d.txt").read_text()
    assert "DRIFT: 13 difference(s)" in txt
    assert "  we1 aws security-group/we1-api-allow-1: extra-port: tcp/8443 open to 0.0.0.0/0\n" in txt
    code2, _ = run("drift", "--zone", "we1", "--cloud", "aws", "--aws-endpoint-url", aws, "--out", str(tmp_path / "e.txt"))
    assert (tmp_path / "e.txt").read_bytes() == (tmp_path / "d.txt").read_bytes()


def test_egress_drift_is_reported_exactly(aws):
    ids = seed_aws("we1")
    ec2 = client("ec2")
    s3 = "pl:com.amazonaws.eu-west-1.s3"
    # The world opened on a declared egress port, and a port nobody declared.
    ec2.authorize_security_group_egress(GroupId=ids["we1-seg-app"], IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    ec2.authorize_security_group_egress(GroupId=ids["we1-seg-edge"], IpPermissions=[
        {"IpProtocol": "udp", "FromPort": 53, "ToPort": 53, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    # An allowlist group (answers, never opens) given AWS's default allow-all egress back.
    ec2.authorize_security_group_egress(GroupId=ids["we1-api-allow-1"], IpPermissions=[
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    # A flow's source side narrowed by hand, and the declared S3 egress of db removed.
    ec2.revoke_security_group_egress(GroupId=ids["we1-seg-mgmt"], IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.11.16.0/20"}]}])
    s3_id = next(pl["PrefixListId"] for pl in ec2.describe_managed_prefix_lists()["PrefixLists"]
                 if pl["PrefixListName"] == s3[3:])
    ec2.revoke_security_group_egress(GroupId=ids["we1-seg-db"], IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "PrefixListIds": [{"PrefixListId": s3_id}]}])

    code, rep = drift_json(aws)
    assert code == 1
    assert [(d["resource"], d["kind"], d["detail"]) for d in rep["drift"]] == [
        ("security-group/we1-api-allow-1", "extra-port", "egress all open to 0.0.0.0/0"),
        ("security-group/we1-seg-app", "extra-cidr", "egress to 0.0.0.0/0 allowed on tcp/443"),
        ("security-group/we1-seg-db", "missing-port", f"egress tcp/443 to {s3} not open"),
        ("security-group/we1-seg-edge", "extra-port", "egress udp/53 open to 0.0.0.0/0"),
        ("security-group/we1-seg-mgmt", "missing-cidr", "egress to 10.11.16.0/20 not allowed on tcp/22"),
    ]


def test_the_environment_endpoint_is_honoured(aws):
    seed_aws("we1")
    code, out = run("drift", "--zone", "we1", "--cloud", "aws")  # AWS_ENDPOINT_URL from the fixture
    assert code == 0 and "in sync: live matches zones/" in out


@pytest.mark.parametrize("args, message", [
    (["--zone", "mars"], "--zone: unknown zone 'mars'; known: sa1, we1, we2"),
    (["--format", "yaml"], "Invalid value for '--format': Value error, 'yaml' is not one of 'text', 'json'."),
    (["--cloud", "azure"], "Invalid value for '--cloud': Value error, 'azure' is not one of 'aws', 'gcp', 'all'."),
    (["--aws-endpoint-url", "localhost:5"], "--aws-endpoint-url: 'localhost:5' is not a usable endpoint (not an "
                                             "http(s) URL); e.g. http://127.0.0.1:5000"),
])
def test_bad_input_exits_2(args, message):
    code, out = run("drift", *args)
    assert code == 2 and message in " ".join(out.translate({ord(c): " " for c in "│╭╮╰╯─"}).split())


def test_unreachable_endpoint_exits_2_with_a_clear_message(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "byside.cli", "drift", "--zone", "we1", "--cloud", "aws",
                           "--aws-endpoint-url", "http://127.0.0.1:9", "--out", str(tmp_path / "r.json")],
                          cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x",
                               "HOME": str(tmp_path)})
    assert proc.returncode == 2
    assert "AWS: Could not connect to the endpoint URL" in proc.stderr and "127.0.0.1:9" in proc.stderr
    assert not (tmp_path / "r.json").exists()
