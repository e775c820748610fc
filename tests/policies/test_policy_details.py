"""Branches the fixtures do not show: unknowns, fallbacks, IPv6, provider ranges, GCP shapes."""

import json

from policies.registry import POLICIES

from .harness import run

P = {p.name: p for p in POLICIES}
U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
TAGS = {"zone": "we1", "owner": "platform-sre", "data-classification": "confidential"}


def res(t, name, inputs, stack="we1", **extra):
    return {"type": t, "urn": f"urn:pulumi:{stack}::byside::{t}::{name}", "name": name, "inputs": inputs, **extra}


def msgs(policy_id, resources, config=None):
    return [m for _, m in run(P[policy_id], resources, config)]


SG = "aws:ec2/securityGroup:SecurityGroup"
FW = "gcp:compute/firewall:Firewall"


def test_egress_to_the_internet_is_not_admin_ingress():
    sg = res(SG, "egress-all", {"tags": TAGS, "egress": [{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["0.0.0.0/0"]}]})
    assert msgs("network-no-public-admin-ingress", [sg]) == []
    assert msgs("network-ingress-allowlisted", [sg]) == []


def test_gcp_rule_with_source_tags_only_is_not_from_the_internet():
    fw = res(FW, "ssh-from-mgmt-tag", {"allows": [{"protocol": "tcp", "ports": ["22"]}], "sourceTags": ["seg-mgmt"], "targetTags": ["seg-app"]})
    assert msgs("network-no-public-admin-ingress", [fw]) == []


def test_disabled_firewall_opens_nothing():
    fw = res(FW, "disabled-ssh", {"disabled": True, "allows": [{"protocol": "tcp", "ports": ["22"]}], "sourceRanges": ["0.0.0.0/0"]})
    assert msgs("network-no-public-admin-ingress", [fw]) == []


def test_ipv6_allowlist_and_google_health_checks():
    fw6 = res(FW, "api-v6", {"allows": [{"protocol": "tcp", "ports": ["443"]}], "sourceRanges": ["2001:db8:10::/48"], "targetTags": ["svc-api"]})
    hc = res(FW, "health-checks", {"allows": [{"protocol": "tcp", "ports": ["443"]}], "sourceRanges": ["35.191.0.0/16", "130.211.0.0/22"]})
    sg_hc = res(SG, "aws-does-not-get-google-ranges", {"tags": TAGS, "ingress": [{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["35.191.0.0/16"]}]})
    assert msgs("network-ingress-allowlisted", [fw6, hc, sg_hc]) == [
        "ingress[0]: source 35.191.0.0/16 is not in zone we1's subscriber allowlists"]


def test_allowlists_are_per_zone():
    # 203.0.113.0/27 is a WE1 subscriber's range, not SA1's.
    sg = res(SG, "sa1-api", {"tags": {**TAGS, "zone": "sa1"}, "ingress": [{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["203.0.113.0/27"]}]}, stack="sa1")
    assert msgs("network-ingress-allowlisted", [sg]) == ["ingress[0]: source 203.0.113.0/27 is not in zone sa1's subscriber allowlists"]


def test_unknown_cidr_is_not_judged_but_known_ones_are():
    sg = res(SG, "half-known", {"tags": TAGS, "ingress": [{"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": [U, "0.0.0.0/0"]}]})
    assert msgs("network-no-public-admin-ingress", [sg]) == ["ingress[0] allows tcp/22 from 0.0.0.0/0: exposes SSH (22)"]


def test_segment_isolation_by_gcp_source_tags_and_dc_ranges():
    fw = res(FW, "mgmt-to-app-zabbix-and-http", {"allows": [{"protocol": "tcp", "ports": ["10050", "80"]}], "sourceTags": ["seg-mgmt"], "targetTags": ["seg-app"]})
    dc = res(FW, "dc-db-vlan-to-edge", {"allows": [{"protocol": "tcp", "ports": ["443"]}], "sourceRanges": ["10.10.32.0/22"], "targetTags": ["svc-api"]})
    assert msgs("network-segment-isolation", [fw, dc]) == [
        "mgmt-to-app-zabbix-and-http firewall: mgmt -> app tcp/80 is not allowed by zone we1's segment policy (allowed: tcp/22, tcp/10050)",
        "dc-db-vlan-to-edge firewall: db -> edge tcp/443 is not allowed by zone we1's segment policy (allowed: nothing)"]


def test_segment_isolation_skips_zones_it_does_not_know():
    sg = res(SG, "zz9-db", {"tags": {**TAGS, "zone": "zz9", "segment": "db"}, "ingress": [{"protocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrBlocks": ["10.0.0.0/8"]}]}, stack="zz9")
    assert msgs("network-segment-isolation", [sg]) == []


def test_vpn_gateway_with_declared_interfaces_and_fallback_by_name():
    gw = res("gcp:compute/haVpnGateway:HaVpnGateway", "three-if", {"name": "three-if", "labels": TAGS,
             "vpnInterfaces": [{"id": 0}, {"id": 1}, {"id": 2}]})
    tunnels = [res("gcp:compute/vPNTunnel:VPNTunnel", f"t{i}", {"vpnGateway": "projects/p/regions/r/vpnGateways/three-if",
                   "vpnGatewayInterface": i, "router": "r"}) for i in (0, 2)]
    assert msgs("vpn-redundant", [gw] + tunnels) == [
        "HA VPN gateway three-if has no tunnel on interface 1: 99.99% needs tunnels from every interface"]


def test_unknown_crypto_option_is_not_judged():
    vpn = res("aws:ec2/vpnConnection:VpnConnection", "computed", {"tunnel1IkeVersions": U, "tunnel2IkeVersions": ["ikev2"]})
    found = msgs("vpn-strong-crypto", [vpn])
    assert "tunnel2IkeVersions" not in " ".join(found) and not any(m.startswith("tunnel1IkeVersions") for m in found)
    assert len(found) == 12  # the 12 other options are unset


def test_iam_policy_data_as_object_and_service_level_bindings():
    pol = res("gcp:projects/iAMPolicy:IAMPolicy", "object-policy", {"policyData": {"bindings": [{"role": "roles/owner", "members": []}]}})
    bucket = res("gcp:storage/bucketIAMMember:BucketIAMMember", "bucket-editor", {"bucket": "b", "role": "roles/editor", "member": "group:g@byside.example"})
    folder = res("gcp:folder/iAMMember:IAMMember", "folder-viewer", {"folder": "folders/1", "role": "roles/viewer", "member": "group:g@byside.example"})
    assert [u.rsplit("::", 1)[-1] for u, _ in run(P["gcp-no-primitive-roles"], [pol, bucket, folder])] == ["object-policy", "bucket-editor", "folder-viewer"]


def test_unknown_policy_document_is_reported_as_unknown_by_resource_policies():
    rp = res("aws:iam/rolePolicy:RolePolicy", "computed-doc", {"role": "r", "policy": U})
    assert run(P["iam-no-wildcard-resources-on-write"], [rp]) == [
        (rp["urn"], "unknown: string value at .policy can't be known during preview")]
    assert run(P["iam-no-wildcard-actions"], [rp]) == []  # stack policies skip what they cannot read


def test_malformed_policy_document_is_a_violation():
    rp = res("aws:iam/rolePolicy:RolePolicy", "broken-doc", {"role": "r", "policy": "{\"Statement\": ["})
    assert msgs("iam-privilege-escalation", [rp]) == [
        "policy: policy document is not valid JSON: Expecting value at line 1 column 16"]


def test_admin_attachment_by_role_name_fallback():
    role = res("aws:iam/role:Role", "we1-break-glass", {"name": "we1-break-glass", "tags": TAGS, "assumeRolePolicy": json.dumps(
        {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "Action": "sts:AssumeRole",
                        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]})})
    att = res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "bg-admin", {"role": "we1-break-glass", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"})
    legacy = res("aws:iam/policyAttachment:PolicyAttachment", "legacy", {"roles": ["we1-break-glass"], "users": ["bob"], "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"})
    assert msgs("iam-no-admin-attachments", [role, att, legacy]) == [
        "legacy attaches arn:aws:iam::aws:policy/AdministratorAccess outside an MFA-gated break-glass role"]
    assert msgs("iam-no-users", [legacy]) == ["policy attachment legacy attaches a policy to 1 IAM user(s)"]


def test_backup_hourly_snapshots_and_gcp_default_log_retention():
    snap = res("gcp:compute/resourcePolicy:ResourcePolicy", "hourly", {"snapshotSchedulePolicy": {
        "schedule": {"hourlySchedule": {"hoursInCycle": 4, "startTime": "01:00"}}, "retentionPolicy": {"maxRetentionDays": 92}}})
    assert msgs("backup-retention", [snap]) == [] and msgs("backup-rpo", [snap]) == []
    assert msgs("maintenance-window", [snap]) == [
        "snapshot schedule hourly cannot be checked against the window: rate() schedules run around the clock, never inside a window"]
    bucket = res("gcp:logging/projectBucketConfig:ProjectBucketConfig", "default-30-days", {"bucketId": "b", "location": "global"})
    assert msgs("log-retention", [bucket]) == []


def test_unknown_retention_is_not_judged():
    plan = res("aws:backup/plan:Plan", "computed", {"tags": TAGS, "rules": [{"ruleName": "daily", "schedule": "cron(0 1 * * ? *)", "lifecycle": {"deleteAfter": U}}]})
    assert msgs("backup-retention", [plan]) == []
    lg = res("aws:cloudwatch/logGroup:LogGroup", "computed", {"retentionInDays": U, "tags": TAGS})
    assert msgs("log-retention", [lg]) == []


def test_cloud_sql_maintenance_window_is_utc_monday_first():
    sql = res("gcp:sql/databaseInstance:DatabaseInstance", "sa1-sql", {"settings": {"maintenanceWindow": {"day": 7, "hour": 3}}}, stack="sa1")
    late = res("gcp:sql/databaseInstance:DatabaseInstance", "sa1-sql-late", {"settings": {"maintenanceWindow": {"day": 1, "hour": 10}}}, stack="sa1")
    assert msgs("maintenance-window", [sql, late]) == [
        "settings.maintenanceWindow day 1 hour 10 (UTC, 60 min) runs outside zone sa1's window 00:00-06:00 "
        "America/Sao_Paulo: first at 2026-01-05 07:00 -03"]


def test_secrets_by_schema_not_by_name():
    # The provider SDK marks which inputs are secret (policies/secret_properties.json): a nested
    # field whose name mentions a token is not a secret (Cognito's token validity units, an OIDC
    # client's auth method), and a secret-named field the schema does not mark is not one either.
    secret = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "FAKE-CIPHERTEXT-PLACEHOLDER"}
    client = res("aws:cognito/userPoolClient:UserPoolClient", "client", {
        "tokenValidityUnits": {"accessToken": "hours", "idToken": "hours", "refreshToken": "days"},
        "accessTokenValidity": 1, "generateSecret": True})
    task = res("aws:ecs/taskDefinition:TaskDefinition", "task", {"secrets": [{"name": "x", "valueFrom": "arn:aws:ssm:::p"}],
               "tokenUrl": "https://example.invalid/token", "passwordLength": "32"})
    db = res("aws:rds/instance:Instance", "db", {"password": secret, "username": "atlas"})
    assert msgs("secrets-not-plaintext", [client, task, db]) == []
    plain = res("aws:rds/instance:Instance", "plain", {"password": "FAKE-PASSWORD-PLACEHOLDER", "passwordWo": ""})
    provider = res("pulumi:providers:aws", "explicit", {"region": "eu-west-1", "secretKey": "FAKE-KEY-PLACEHOLDER"})
    assert msgs("secrets-not-plaintext", [plain, provider]) == [
        "input password is plain text: make it a secret (config.require_secret / pulumi.Output.secret)",
        "input secretKey is plain text: make it a secret (config.require_secret / pulumi.Output.secret)"]


def test_secret_names_still_count_in_free_form_maps_and_user_data():
    inst = res("gcp:compute/instance:Instance", "vm", {
        "labels": {**TAGS, "zone": "we1"}, "metadata": {"enable-oslogin": "TRUE", "api-token": "FAKE-TOKEN-PLACEHOLDER"},
        "metadataStartupScript": "#!/bin/sh\nAPP=atlas\nDB_PASSWORD='FAKE-PASSWORD-PLACEHOLDER'\nTOKEN_TTL=3600\n"})
    assert msgs("secrets-not-plaintext", [inst]) == [
        "input metadata.api-token is plain text: make it a secret (config.require_secret / pulumi.Output.secret)",
        "input metadataStartupScript line 3 sets DB_PASSWORD in plain text: make it a secret "
        "(config.require_secret / pulumi.Output.secret)"]


def test_unknown_tags_are_reported_as_unknown():
    sg = res(SG, "computed-tags", {"tags": U})
    assert run(P["tags-required"], [sg]) == [(sg["urn"], "unknown: Object value at .tags can't be known during preview")]


def test_links_fall_back_to_plain_dependencies_when_unambiguous():
    # A plan without propertyDependencies (e.g. hand-made): the flow log's only VPC dependency is
    # its VPC; the rule depends on two groups, so which one is its own is not guessed.
    vpc = res("aws:ec2/vpc:Vpc", "v", {"tags": TAGS})
    log = res("aws:ec2/flowLog:FlowLog", "v-log", {"vpcId": U, "trafficType": "ALL", "tags": TAGS},
              dependencies=[vpc["urn"], "urn:pulumi:we1::byside::aws:iam/role:Role::flow-role"])
    assert msgs("network-flow-logs", [vpc, log]) == []
    app = res(SG, "app", {"tags": {**TAGS, "segment": "app"}})
    db = res(SG, "db", {"tags": {**TAGS, "segment": "db"}})
    rule = res("aws:ec2/securityGroupRule:SecurityGroupRule", "ambiguous", {"type": "ingress", "protocol": "tcp", "fromPort": 22,
               "toPort": 22, "securityGroupId": U, "sourceSecurityGroupId": U, "cidrBlocks": ["10.11.0.0/22"]},
               dependencies=[app["urn"], db["urn"]])
    assert msgs("network-segment-isolation", [app, db, rule]) == []
