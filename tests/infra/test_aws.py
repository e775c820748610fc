"""AWS resources of each zone's offline preview: exact types, counts and key inputs."""

from __future__ import annotations

import json

from infra import plans

import pytest

SECRET = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
          "ciphertext": "v1:offline-preview:no-secrets-provider"}


def test_we1_vpc_and_subnets(stacks):
    s = stacks["we1"]
    assert s.one("aws:ec2/vpc:Vpc")["inputs"]["cidrBlock"] == "10.11.0.0/18"
    subnets = {n: (r["inputs"]["cidrBlock"], r["inputs"]["availabilityZone"], r["inputs"]["mapPublicIpOnLaunch"])
               for n, r in s.named("aws:ec2/subnet:Subnet").items()}
    assert subnets == {
        "we1-edge-eu-west-1a": ("10.11.0.0/24", "eu-west-1a", False),
        "we1-edge-eu-west-1b": ("10.11.1.0/24", "eu-west-1b", False),
        "we1-edge-eu-west-1c": ("10.11.2.0/24", "eu-west-1c", False),
        "we1-app-eu-west-1a": ("10.11.16.0/22", "eu-west-1a", False),
        "we1-app-eu-west-1b": ("10.11.20.0/22", "eu-west-1b", False),
        "we1-app-eu-west-1c": ("10.11.24.0/22", "eu-west-1c", False),
        "we1-db-eu-west-1a": ("10.11.32.0/24", "eu-west-1a", False),
        "we1-db-eu-west-1b": ("10.11.33.0/24", "eu-west-1b", False),
        "we1-db-eu-west-1c": ("10.11.34.0/24", "eu-west-1c", False),
        "we1-mgmt-eu-west-1a": ("10.11.48.0/24", "eu-west-1a", False),
    }


@pytest.mark.parametrize("zone,subnets", [("we1", 10), ("we2", 7), ("sa1", 7)])
def test_route_tables_only_edge_reaches_the_internet(stacks, zone, subnets):
    s = stacks[zone]
    tables = s.named("aws:ec2/routeTable:RouteTable")
    assert sorted(tables) == sorted(f"{zone}-{seg}-rt" for seg in ("edge", "app", "db", "mgmt"))
    igw = s.one("aws:ec2/internetGateway:InternetGateway")["outputs"]["id"]
    for name, t in tables.items():
        routes = t["inputs"].get("routes", [])
        if name == f"{zone}-edge-rt":
            assert routes == [{"cidrBlock": "0.0.0.0/0", "gatewayId": igw}]
        else:
            assert routes == [], name
    assert len(s.of_type("aws:ec2/routeTableAssociation:RouteTableAssociation")) == subnets
    props = s.named("aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation")
    assert sorted(props) == sorted(f"{zone}-{seg}-vgw-propagation" for seg in ("edge", "app", "db", "mgmt"))


@pytest.mark.parametrize("zone", ["we1", "we2", "sa1"])
def test_default_sg_empty_and_flow_logs(stacks, zone):
    s = stacks[zone]
    dsg = s.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")["inputs"]
    assert dsg.get("ingress", []) == [] and dsg.get("egress", []) == []
    fl = s.one("aws:ec2/flowLog:FlowLog")["inputs"]
    lg = s.named("aws:cloudwatch/logGroup:LogGroup")[f"{zone}-vpc-flow-logs"]
    assert fl["trafficType"] == "ALL" and fl["logDestinationType"] == "cloud-watch-logs"
    assert fl["logDestination"] == lg["outputs"]["arn"]
    assert lg["inputs"]["retentionInDays"] == 90
    key = s.named("aws:kms/key:Key")[f"{zone}-logs-key"]
    assert lg["inputs"]["kmsKeyId"] == key["outputs"]["arn"] and key["inputs"]["enableKeyRotation"] is True
    policy = json.loads(s.named("aws:iam/rolePolicy:RolePolicy")[f"{zone}-flow-logs-policy"]["inputs"]["policy"])
    assert policy["Statement"][0]["Resource"] == [lg["outputs"]["arn"], lg["outputs"]["arn"] + ":*"]


@pytest.mark.parametrize("zone,edges", [
    ("we1", {"we1-dc-lis-edge1": ("198.51.100.10", "65010"), "we1-dc-lis-edge2": ("198.51.100.11", "65010")}),
    ("we2", {"we2-dc-mad-edge1": ("198.51.100.140", "65020")}),
    ("sa1", {"sa1-dc-lis-edge1": ("198.51.100.10", "65010"), "sa1-dc-lis-edge2": ("198.51.100.11", "65010"),
             "sa1-dc-mad-edge1": ("198.51.100.140", "65020")}),
])
def test_vpn_connections_ikev2_only_with_exact_ciphers(stacks, zone, edges):
    s = stacks[zone]
    cgws = s.named("aws:ec2/customerGateway:CustomerGateway")
    assert {n.removesuffix("-cgw"): (r["inputs"]["ipAddress"], r["inputs"]["bgpAsn"]) for n, r in cgws.items()} == edges
    vgw = s.one("aws:ec2/vpnGateway:VpnGateway")
    assert vgw["inputs"]["vpcId"] == s.one("aws:ec2/vpc:Vpc")["outputs"]["id"]
    conns = s.named("aws:ec2/vpnConnection:VpnConnection")
    assert sorted(conns) == sorted(f"{e}-vpn" for e in edges)
    for name, c in conns.items():
        i = c["inputs"]
        assert i["customerGatewayId"] == cgws[name.replace("-vpn", "-cgw")]["outputs"]["id"]
        assert i["vpnGatewayId"] == vgw["outputs"]["id"]
        assert i["tags"]["zone"] == zone and i["tags"]["datacenter"] in ("dc-lis", "dc-mad")
        for t in ("tunnel1", "tunnel2"):
            assert i[f"{t}IkeVersions"] == ["ikev2"]
            assert i[f"{t}Phase1EncryptionAlgorithms"] == i[f"{t}Phase2EncryptionAlgorithms"] == ["AES256-GCM-16"]
            assert i[f"{t}Phase1IntegrityAlgorithms"] == i[f"{t}Phase2IntegrityAlgorithms"] == ["SHA2-384"]
            assert i[f"{t}Phase1DhGroupNumbers"] == i[f"{t}Phase2DhGroupNumbers"] == [20, 21]
            assert i[f"{t}PresharedKey"] == SECRET
            assert i[f"{t}EnableTunnelLifecycleControl"] is True
    alarms = [a for a in s.of_type("aws:cloudwatch/metricAlarm:MetricAlarm") if a["inputs"]["namespace"] == "AWS/VPN"]
    assert len(alarms) == 2 * len(edges)  # the certificate alarms: tests/infra/test_promises.py
    topic = s.one("aws:sns/topic:Topic")["outputs"]["arn"]
    tunnel_ips = {c["outputs"][f"tunnel{n}Address"] for c in conns.values() for n in (1, 2)}
    assert {a["inputs"]["dimensions"]["TunnelIpAddress"] for a in alarms} == tunnel_ips
    for a in alarms:
        assert (a["inputs"]["namespace"], a["inputs"]["metricName"]) == ("AWS/VPN", "TunnelState")
        assert a["inputs"]["alarmActions"] == [topic]
    key = s.named("aws:kms/key:Key")[f"{zone}-alerts-key"]
    assert s.one("aws:sns/topic:Topic")["inputs"]["kmsMasterKeyId"] == key["outputs"]["arn"]
    assert json.loads(key["inputs"]["policy"])["Statement"][1]["Principal"] == {
        "Service": ["cloudwatch.amazonaws.com", "events.amazonaws.com"]}
    sub = s.one("aws:sns/topicSubscription:TopicSubscription")["inputs"]
    assert (sub["protocol"], sub["endpoint"]) == ("email", "ops-alerts@byside.example")


def test_we1_allowlists_prefix_lists_and_rules(stacks):
    s = stacks["we1"]
    pls = {n: (r["inputs"]["addressFamily"], r["inputs"]["maxEntries"], [e["cidr"] for e in r["inputs"]["entries"]],
               r["inputs"]["tags"]["service"])
           for n, r in s.named("aws:ec2/managedPrefixList:ManagedPrefixList").items()}
    assert pls == {
        "we1-api-v4-1": ("IPv4", 3, ["192.0.2.0/26", "198.51.100.64/27", "203.0.113.0/26"], "api"),
        "we1-api-v6-1": ("IPv6", 2, ["2001:db8:10::/48", "2001:db8:20::/48"], "api"),
        "we1-sftp-v4-1": ("IPv4", 1, ["203.0.113.0/26"], "sftp"),
        "we1-sftp-v6-1": ("IPv6", 1, ["2001:db8:10::/48"], "sftp"),
        "we1-voice-v4-1": ("IPv4", 1, ["192.0.2.0/26"], "voice"),
        "we1-voice-v6-1": ("IPv6", 1, ["2001:db8:20::/48"], "voice"),
    }
    ids = {r["outputs"]["id"]: n for n, r in s.named("aws:ec2/managedPrefixList:ManagedPrefixList").items()}
    sgs = s.named("aws:ec2/securityGroup:SecurityGroup")
    sg_ids = {r["outputs"]["id"]: n for n, r in sgs.items()}
    rules = sorted((sg_ids[r["inputs"]["securityGroupId"]], ids[r["inputs"]["prefixListId"]], r["inputs"]["ipProtocol"],
                    r["inputs"]["fromPort"], r["inputs"]["toPort"])
                   for r in s.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
                   if "prefixListId" in r["inputs"])
    assert rules == [
        ("we1-api-allow-1", "we1-api-v4-1", "tcp", 443, 443),
        ("we1-api-allow-1", "we1-api-v6-1", "tcp", 443, 443),
        ("we1-sftp-allow-1", "we1-sftp-v4-1", "tcp", 22, 22),
        ("we1-sftp-allow-1", "we1-sftp-v6-1", "tcp", 22, 22),
        ("we1-voice-allow-1", "we1-voice-v4-1", "tcp", 5061, 5061),
        ("we1-voice-allow-1", "we1-voice-v4-1", "udp", 10000, 10999),
        ("we1-voice-allow-1", "we1-voice-v6-1", "tcp", 5061, 5061),
        ("we1-voice-allow-1", "we1-voice-v6-1", "udp", 10000, 10999),
    ]
    for name, sg in sgs.items():
        assert ("service" in sg["inputs"]["tags"]) != ("segment" in sg["inputs"]["tags"]), name


def test_we1_segment_policy_rules(stacks):
    s = stacks["we1"]
    sg_ids = {r["outputs"]["id"]: n for n, r in s.named("aws:ec2/securityGroup:SecurityGroup").items()}
    rules = sorted((sg_ids[r["inputs"]["securityGroupId"]], r["inputs"]["cidrIpv4"], r["inputs"]["fromPort"])
                   for r in s.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
                   if "cidrIpv4" in r["inputs"])
    # edge->app 8080 from edge at the DC and in AWS and GCP; app->db 5432/2049; mgmt->app/db 22/10050.
    assert rules == sorted(
        [("we1-seg-app", c, 8080) for c in ("10.10.0.0/24", "10.11.0.0/22", "10.12.0.0/24")]
        + [("we1-seg-db", c, p) for c in ("10.10.16.0/20", "10.11.16.0/20", "10.12.16.0/20") for p in (5432, 2049)]
        + [(f"we1-seg-{to}", c, p) for to in ("app", "db") for c in ("10.10.48.0/24", "10.11.48.0/24")
           for p in (22, 10050)])


def test_we1_egress_is_the_segment_policy_and_the_declared_egress(stacks):
    s = stacks["we1"]
    sgs = s.named("aws:ec2/securityGroup:SecurityGroup")
    sg_ids = {r["outputs"]["id"]: n for n, r in sgs.items()}
    endpoint = s.one("aws:ec2/vpcEndpoint:VpcEndpoint")
    egress = sorted((sg_ids[i["securityGroupId"]], i.get("cidrIpv4") or i.get("cidrIpv6") or
                     ("s3 endpoint" if i.get("prefixListId") == endpoint["outputs"]["prefixListId"] else i["prefixListId"]),
                     i["ipProtocol"], i["fromPort"], i["toPort"])
                    for i in (r["inputs"] for r in s.of_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")))
    # The source side of every flow (to the target segment at every site), the S3 endpoint from app
    # and db; nothing for the allowlist groups (their traffic is answered, never opened).
    assert egress == sorted(
        [("we1-seg-edge", c, "tcp", 8080, 8080) for c in ("10.10.16.0/20", "10.11.16.0/20", "10.12.16.0/20")]
        + [("we1-seg-app", c, "tcp", p, p) for c in ("10.10.32.0/22", "10.11.32.0/22") for p in (5432, 2049)]
        + [("we1-seg-mgmt", c, "tcp", p, p) for c in ("10.10.16.0/20", "10.11.16.0/20", "10.12.16.0/20",
                                                      "10.10.32.0/22", "10.11.32.0/22") for p in (22, 10050)]
        + [("we1-seg-app", "s3 endpoint", "tcp", 443, 443), ("we1-seg-db", "s3 endpoint", "tcp", 443, 443)])
    e = endpoint["inputs"]
    rts = {r["outputs"]["id"]: n for n, r in s.named("aws:ec2/routeTable:RouteTable").items()}
    assert (e["serviceName"], e["vpcEndpointType"], sorted(rts[t] for t in e["routeTableIds"])) == (
        "com.amazonaws.eu-west-1.s3", "Gateway", ["we1-app-rt", "we1-db-rt"])
    assert all(not sg["inputs"].get("egress") for sg in sgs.values())  # no inline egress anywhere


@pytest.mark.parametrize("zone,tz", [("we1", "Europe/Lisbon"), ("we2", "Europe/Lisbon"), ("sa1", "America/Sao_Paulo")])
def test_backup_plan_and_maintenance_window(stacks, zone, tz):
    s = stacks[zone]
    plan = s.one("aws:backup/plan:Plan")["inputs"]
    vault = s.one("aws:backup/vault:Vault")
    assert [(r["ruleName"], r["schedule"], r["scheduleExpressionTimezone"], r["lifecycle"]["deleteAfter"],
             r["startWindow"], r["completionWindow"], r["targetVaultName"]) for r in plan["rules"]] == [
        ("daily", "cron(0 1 * * ? *)", tz, 5, 60, 300, f"{zone}-backup"),
        ("weekly", "cron(0 1 ? * SUN *)", tz, 28, 60, 300, f"{zone}-backup"),
        ("monthly", "cron(0 1 1 * ? *)", tz, 93, 60, 300, f"{zone}-backup"),
    ]
    assert vault["inputs"]["kmsKeyArn"] == s.named("aws:kms/key:Key")[f"{zone}-backup-key"]["outputs"]["arn"]
    sel = s.one("aws:backup/selection:Selection")["inputs"]
    assert sel["selectionTags"] == [{"type": "STRINGEQUALS", "key": "backup", "value": "byside-daily"}]
    mw = s.one("aws:ssm/maintenanceWindow:MaintenanceWindow")["inputs"]
    assert (mw["schedule"], mw["scheduleTimezone"], mw["cutoff"]) == ("cron(0 0 * * ? *)", tz, 1)
    assert mw["duration"] == (6 if zone == "sa1" else 5)


@pytest.mark.parametrize("zone", ["we1", "we2", "sa1"])
def test_iam_roles_per_team_and_level(stacks, zone, platform):
    s = stacks[zone]
    roles = s.named("aws:iam/role:Role")
    levels = {f"{zone}-{t.id}-{lvl}": lvl for t in platform.teams_for(zone) for lvl in t.aws}
    expected = set(levels)
    assert set(roles) == expected | {f"{zone}-flow-logs-role", f"{zone}-backup-role", f"{zone}-cloudtrail-role"}
    assert len(expected) == 7  # platform-sre x3, network x2, support, security
    account = platform.zone(zone).aws.account_id
    for name in expected:
        r = roles[name]["inputs"]
        trust = json.loads(r["assumeRolePolicy"])["Statement"]
        group = next(t.aws_identity_group for t in platform.access.teams if name.startswith(f"{zone}-{t.id}-"))
        assert trust == [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                          "Action": "sts:AssumeRole",
                          "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"},
                                        "ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{account}:role/aws-reserved/"
                                                                        f"sso.amazonaws.com/*AWSReservedSSO_{group}_*"}}}]
        assert r["tags"]["access-level"] == levels[name]
    assert roles[f"{zone}-platform-sre-break-glass"]["inputs"]["maxSessionDuration"] == 3600
    for p in s.of_type("aws:iam/policy:Policy"):
        for st in json.loads(p["inputs"]["policy"])["Statement"]:
            if st["Sid"] in ("WriteInZone", "ReadInZone"):
                assert "*" not in st["Resource"] and all(f":{account}:" in a for a in st["Resource"])
            else:
                # Only reads AWS cannot scope to a resource are left on "*".
                assert st["Sid"] == "Read" and st["Resource"] == "*"
                assert all(a.split(":")[1].startswith(("Describe", "Get", "List")) for a in st["Action"])
                assert not plans.restrictable(st["Action"])
    assert s.of_type("aws:iam/user:User") == []
    rule = s.named("aws:cloudwatch/eventRule:EventRule")[f"{zone}-break-glass-assumed"]["inputs"]
    assert json.loads(rule["eventPattern"])["detail"]["requestParameters"]["roleArn"] == [
        roles[f"{zone}-platform-sre-break-glass"]["outputs"]["arn"]]
    assert s.named("aws:cloudwatch/eventTarget:EventTarget")[f"{zone}-break-glass-assumed-ops"]["inputs"]["arn"] == \
        s.one("aws:sns/topic:Topic")["outputs"]["arn"]
