"""The converter on its own (no checkov): names, renames, re-wrapped blocks, unknowns, secrets,
references, unmapped types, determinism."""

from __future__ import annotations

import json

from byside.checkov_bridge.convert import REDACTED, UNKNOWN, convert, dumps, snake

from .fixtures import SECRET, urn


def res(rtype, name, inputs, deps=None, **extra):
    deps = deps or {}
    return {"urn": urn(rtype, name), "type": rtype, "custom": True, "inputs": inputs,
            "dependencies": sorted({u for us in deps.values() for u in us}),
            "propertyDependencies": {k: deps.get(k, []) for k in inputs}, **extra}


def planned(conv, address):
    [r] = [r for r in conv.plan["planned_values"]["root_module"]["resources"] if r["address"] == address]
    return r


def configured(conv, address):
    [r] = [r for r in conv.plan["configuration"]["root_module"]["resources"] if r["address"] == address]
    return r


def test_snake_case_is_tfbridge_default():
    assert snake("tunnel1Phase1DhGroupNumbers") == "tunnel1_phase1_dh_group_numbers"
    assert snake("cidrIpv4") == "cidr_ipv4"
    assert snake("privateIpGoogleAccess") == "private_ip_google_access"


def test_plan_header_and_resource_shape():
    conv = convert([res("aws:ec2/vpc:Vpc", "we1-vpc", {"cidrBlock": "10.0.0.0/16", "enableDnsSupport": True})])
    assert conv.plan["format_version"] == "1.2" and conv.plan["terraform_version"] == "1.9.8"
    assert planned(conv, "aws_vpc.we1_vpc") == {
        "address": "aws_vpc.we1_vpc", "mode": "managed", "type": "aws_vpc", "name": "we1_vpc",
        "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0, "sensitive_values": {},
        "values": {"cidr_block": "10.0.0.0/16", "enable_dns_support": True},
    }
    assert conv.addresses == {"aws_vpc.we1_vpc": urn("aws:ec2/vpc:Vpc", "we1-vpc")}


def test_gcp_firewall_pluralised_blocks_and_flattened_log_config():
    conv = convert([res("gcp:compute/firewall:Firewall", "fw", {
        "allows": [{"protocol": "tcp", "ports": ["443"]}], "denies": [{"protocol": "all"}],
        "logConfig": {"metadata": "INCLUDE_ALL_METADATA"}, "sourceRanges": ["192.0.2.0/24"]})])
    assert planned(conv, "google_compute_firewall.fw")["values"] == {
        "allow": [{"protocol": "tcp", "ports": ["443"]}], "deny": [{"protocol": "all"}],
        "log_config": [{"metadata": "INCLUDE_ALL_METADATA"}], "source_ranges": ["192.0.2.0/24"]}


def test_backup_plan_rules_lifecycle_and_tag_keys_verbatim():
    conv = convert([res("aws:backup/plan:Plan", "plan", {
        "name": "we1", "tags": {"Name": "we1", "data-classification": "confidential"},
        "rules": [{"ruleName": "daily", "lifecycle": {"deleteAfter": 5},
                   "recoveryPointTags": {"backup-rule": "daily"}, "copyActions": [
                       {"destinationVaultArn": "arn:x", "lifecycle": {"deleteAfter": 5}}]}]})])
    assert planned(conv, "aws_backup_plan.plan")["values"] == {
        "name": "we1", "tags": {"Name": "we1", "data-classification": "confidential"},
        "rule": [{"rule_name": "daily", "lifecycle": [{"delete_after": 5}],
                  "recovery_point_tags": {"backup-rule": "daily"},
                  "copy_action": [{"destination_vault_arn": "arn:x", "lifecycle": [{"delete_after": 5}]}]}]}


def test_vpn_tunnel_nested_renames_and_sealed_secret():
    conv = convert([res("gcp:compute/vPNTunnel:VPNTunnel", "t", {
        "sharedSecret": SECRET, "ikeVersion": 2,
        "cipherSuite": {"phase1": {"dhs": ["Group-20"], "encryptions": ["AES-GCM-16-256"],
                                   "integrities": ["HMAC-SHA2-384-192"], "prves": ["PRF-HMAC-SHA2-384"]},
                        "phase2": {"encryptions": ["AES-GCM-16-256"], "pfs": ["Group-20"]}}})])
    values = planned(conv, "google_compute_vpn_tunnel.t")["values"]
    assert values == {"shared_secret": REDACTED, "ike_version": 2, "cipher_suite": [{
        "phase1": [{"dh": ["Group-20"], "encryption": ["AES-GCM-16-256"], "integrity": ["HMAC-SHA2-384-192"],
                    "prf": ["PRF-HMAC-SHA2-384"]}],
        "phase2": [{"encryption": ["AES-GCM-16-256"], "pfs": ["Group-20"]}]}]}
    assert SECRET["ciphertext"] not in dumps(conv.plan)


def test_aws_vpn_log_options_and_secret_from_a_resource():
    psk = urn("random:index/randomPassword:RandomPassword", "psk")
    conv = convert([
        res("random:index/randomPassword:RandomPassword", "psk", {"length": 32, "special": False}),
        res("aws:ec2/vpnConnection:VpnConnection", "vpn", {
            "tunnel1PresharedKey": SECRET, "tunnel1IkeVersions": ["ikev2"],
            "tunnel1LogOptions": {"cloudwatchLogOptions": {"logEnabled": True}}},
            deps={"tunnel1PresharedKey": [psk]})])
    values = planned(conv, "aws_vpn_connection.vpn")["values"]
    # a secret made by another resource is planned as Terraform plans it: unknown, with a reference
    assert values == {"tunnel1_preshared_key": None, "tunnel1_ike_versions": ["ikev2"],
                      "tunnel1_log_options": [{"cloudwatch_log_options": [{"log_enabled": True}]}]}
    assert configured(conv, "aws_vpn_connection.vpn")["expressions"] == {
        "tunnel1_preshared_key": {"references": ["random_password.psk.id", "random_password.psk"]}}
    assert SECRET["ciphertext"] not in dumps(conv.plan)


def test_single_item_scalar_list_and_maps():
    conv = convert([
        res("gcp:compute/resourcePolicy:ResourcePolicy", "snap", {"snapshotSchedulePolicy": {
            "retentionPolicy": {"maxRetentionDays": 93},
            "schedule": {"dailySchedule": {"daysInCycle": 1, "startTime": "01:00"}},
            "snapshotProperties": {"storageLocations": "europe-west1", "labels": {"zone": "we1"}}}}),
        res("aws:cloudwatch/metricAlarm:MetricAlarm", "down", {
            "name": "we1-down", "dimensions": {"VpnId": "vpn-1", "TunnelIpAddress": "198.51.100.1"}}),
    ])
    assert planned(conv, "google_compute_resource_policy.snap")["values"] == {"snapshot_schedule_policy": [{
        "retention_policy": [{"max_retention_days": 93}],
        "schedule": [{"daily_schedule": [{"days_in_cycle": 1, "start_time": "01:00"}]}],
        "snapshot_properties": [{"storage_locations": ["europe-west1"], "labels": {"zone": "we1"}}]}]}
    assert planned(conv, "aws_cloudwatch_metric_alarm.down")["values"] == {
        "alarm_name": "we1-down", "dimensions": {"VpnId": "vpn-1", "TunnelIpAddress": "198.51.100.1"}}


def test_unknowns_become_null():
    conv = convert([res("aws:ec2/subnet:Subnet", "s", {"cidrBlock": UNKNOWN, "tags": {"zone": UNKNOWN}})])
    assert planned(conv, "aws_subnet.s")["values"] == {"cidr_block": None, "tags": {"zone": None}}


def test_references_from_property_dependencies():
    vpc, role = urn("aws:ec2/vpc:Vpc", "vpc"), urn("aws:iam/role:Role", "role")
    policy = json.dumps({"Statement": [{"Action": "logs:PutLogEvents", "Effect": "Allow", "Resource": "arn:x"}]})
    conv = convert([
        res("aws:ec2/vpc:Vpc", "vpc", {"cidrBlock": "10.0.0.0/16"}),
        res("aws:iam/role:Role", "role", {"name": "r"}),
        res("aws:ec2/flowLog:FlowLog", "fl", {"vpcId": "vpc-123", "trafficType": "ALL"}, deps={"vpcId": [vpc]}),
        res("aws:iam/rolePolicy:RolePolicy", "rp", {"role": "r", "policy": policy},
            deps={"role": [role], "policy": [vpc]}),
    ])
    assert planned(conv, "aws_flow_log.fl")["values"] == {"vpc_id": None, "traffic_type": "ALL"}
    assert configured(conv, "aws_flow_log.fl") == {
        "address": "aws_flow_log.fl", "mode": "managed", "type": "aws_flow_log", "name": "fl",
        "provider_config_key": "aws", "schema_version": 0, "depends_on": ["aws_vpc.vpc"],
        "expressions": {"vpc_id": {"references": ["aws_vpc.vpc.id", "aws_vpc.vpc"]}}}
    # a JSON document keeps its value (the checks read it); the reference is still recorded
    rp = planned(conv, "aws_iam_role_policy.rp")["values"]
    assert rp == {"role": None, "policy": policy}
    assert configured(conv, "aws_iam_role_policy.rp")["expressions"] == {
        "policy": {"references": ["aws_vpc.vpc.id", "aws_vpc.vpc"]},
        "role": {"references": ["aws_iam_role.role.id", "aws_iam_role.role"]}}


def test_unmapped_components_providers_and_deleted_are_counted_not_dropped():
    conv = convert([
        {"urn": urn("pulumi:pulumi:Stack", "byside-we1"), "type": "pulumi:pulumi:Stack", "custom": False},
        {"urn": urn("byside:aws:Network", "net"), "type": "byside:aws:Network", "custom": False},
        {"urn": urn("pulumi:providers:aws", "default"), "type": "pulumi:providers:aws", "custom": True},
        res("aws:sqs/queue:Queue", "b1", {"name": "x"}),
        res("aws:sqs/queue:Queue", "b2", {"name": "y"}),
        res("aws:ec2/vpc:Vpc", "gone", {}, delete=True),
        res("aws:ec2/vpc:Vpc", "kept", {}),
    ])
    assert conv.unmapped == [("aws:sqs/queue:Queue", urn("aws:sqs/queue:Queue", "b1")),
                             ("aws:sqs/queue:Queue", urn("aws:sqs/queue:Queue", "b2"))]
    assert conv.unmapped_types == ["aws:sqs/queue:Queue"]
    assert (conv.components, conv.providers, conv.deleted) == (2, 1, 1)
    assert list(conv.addresses) == ["aws_vpc.kept"]


def test_names_are_terraform_identifiers_and_unique():
    a = res("aws:ec2/vpc:Vpc", "1st.vpc", {})
    b = {**res("aws:ec2/vpc:Vpc", "1st-vpc", {}), "urn": "urn:pulumi:we2::byside::aws:ec2/vpc:Vpc::1st-vpc"}
    conv = convert([a, b])
    assert list(conv.addresses) == ["aws_vpc.r_1st_vpc", "aws_vpc.r_1st_vpc_2"]
    assert conv.addresses["aws_vpc.r_1st_vpc_2"] == "urn:pulumi:we2::byside::aws:ec2/vpc:Vpc::1st-vpc"


def test_same_resources_same_bytes():
    rs = [res("gcp:compute/subnetwork:Subnetwork", "s", {"logConfig": {"metadata": "INCLUDE_ALL_METADATA"},
                                                       "name": "s", "ipCidrRange": "10.0.0.0/24"})]
    assert dumps(convert(rs).plan) == dumps(convert(json.loads(json.dumps(rs))).plan)


def test_a_revealed_secret_stays_sealed():
    """`pulumi stack export --show-secrets` adds the plaintext to the envelope: never read."""
    revealed = {**SECRET, "plaintext": '"hunter2-psk"'}
    conv = convert([res("gcp:compute/vPNTunnel:VPNTunnel", "t", {"sharedSecret": revealed,
                                                                 "labels": {"k": revealed}})])
    assert planned(conv, "google_compute_vpn_tunnel.t")["values"] == {"shared_secret": REDACTED,
                                                                      "labels": {"k": REDACTED}}
    assert "hunter2" not in dumps(conv.plan)
