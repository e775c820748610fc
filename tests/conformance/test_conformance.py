"""Provider conformance: every resource of every zone's preview against the locked SDKs' input
schemas and the providers' value rules; a broken copy fails with exactly one finding per defect."""

from __future__ import annotations

import copy
import json

import pytest

from byside.conformance import check_documents, judge, rules, sdk

PLACEHOLDER_PSK = "FAKE-PSK-PLACEHOLDER-1"


def test_every_zone_conforms(zone_docs):
    result = check_documents(zone_docs)
    assert [str(f) for f in result.findings] == []
    assert result.zones == ["sa1", "We1".lower(), "we2"]
    cov = result.coverage.as_dict()
    # Every custom resource (providers included) of the three zones, every type the program uses.
    customs = [r for d in zone_docs.values() for r in d["deployment"]["resources"]
               if r["custom"] and r["type"] != "pulumi:pulumi:Stack"]
    assert cov["resources"] == len(customs)
    assert cov["types"] == len({r["type"] for r in customs}) >= 60
    assert cov["top_level_inputs"] == sum(len(r["inputs"]) for r in customs if not r["type"].startswith("pulumi:providers:")) \
        + sum(len([k for k in r["inputs"] if k != "version"]) for r in customs if r["type"].startswith("pulumi:providers:"))
    assert cov["nested_values"] > 2000


def _find(doc: dict, typ: str, name: str | None = None) -> dict:
    for r in doc["deployment"]["resources"]:
        if r["type"] == typ and (name is None or r["urn"].endswith(f"::{name}")):
            return r
    raise AssertionError(f"no {typ} {name or ''}")


def _break(doc: dict) -> tuple[dict, list[tuple[str, str, str, str]]]:
    """A copy with one defect per entry; the (URN, path, rule, message) each must yield."""
    d = copy.deepcopy(doc)
    expect: list[tuple[str, str, str, str]] = []

    def defect(typ, name, path, rule, message, change):
        r = _find(d, typ, name)
        change(r["inputs"])
        expect.append((r["urn"], path, rule, message))

    defect("aws:cloudwatch/logGroup:LogGroup", "we1-vpc-flow-logs", "retentionInDays", "logs.retention",
           "100 days is not a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, "
           "... days): use 90 or 120", lambda i: i.update(retentionInDays=100))
    defect("aws:ssm/maintenanceWindow:MaintenanceWindow", None, "cutoff", "ssm.window",
           "cutoff 1 h must be smaller than the duration less one hour (1 - 1 = 0 h): no task could start",
           lambda i: i.update(duration=1))
    defect("aws:backup/plan:Plan", None, "rules[0].startWindow", "backup.rule",
           "start window 30 min is below the 60 minutes AWS Backup accepts", lambda i: i["rules"][0].update(startWindow=30))
    defect("aws:backup/restoreTestingPlan:RestoreTestingPlan", None, "scheduleExpression", "backup.schedule",
           "'cron(0 0 15 * * *)': exactly one of day-of-month (15) and day-of-week (*) must be ?",
           lambda i: i.update(scheduleExpression="cron(0 0 15 * * *)"))
    defect("aws:ec2/vpnConnection:VpnConnection", None, "tunnel1Phase1DhGroupNumbers", "vpn.aws-tunnel-options",
           "25 not accepted (valid: 14, 15, 16, 17, 18, 19, 2, 20, 21, 22, 23, 24)",
           lambda i: i.update(tunnel1Phase1DhGroupNumbers=[20, 25]))
    defect("gcp:compute/vPNTunnel:VPNTunnel", None, "cipherSuite.phase1.integrities", "vpn.gcp-cipher-suite",
           "AES-GCM takes no separate integrity algorithm",
           lambda i: i["cipherSuite"]["phase1"].update(integrities=["HMAC-SHA2-384-192"]))
    defect("aws:ec2/managedPrefixList:ManagedPrefixList", "we1-api-v4-1", "entries", "ec2.prefix-list",
           "3 entries exceed maxEntries 2", lambda i: i.update(maxEntries=2))
    defect("gcp:compute/resourcePolicy:ResourcePolicy", None,
           "snapshotSchedulePolicy.schedule.dailySchedule.daysInCycle", "gcp.snapshot-schedule",
           "daysInCycle 2: a daily snapshot schedule takes 1",
           lambda i: i["snapshotSchedulePolicy"]["schedule"]["dailySchedule"].update(daysInCycle=2))
    defect("gcp:compute/firewall:Firewall", "we1-api-allow-v6-1", "allows[0].protocol", "gcp.firewall",
           "`icmp` is IPv4's ICMP: an IPv6 rule takes 58 (ICMPv6)",
           lambda i: i.update(allows=[{"protocol": "icmp"}]))
    defect("gcp:compute/router:Router", None, "bgp.asn", "bgp.asn",
           "ASN 65535 is not an RFC 6996 private ASN (64512-65534, 4200000000-4294967294) or 16550",
           lambda i: i["bgp"].update(asn=65535))
    defect("gcp:compute/routerInterface:RouterInterface", "we1-dc-lis-if0-bgp-if", "ipRange", "bgp.link-local",
           "169.254.64.16/30: the /30's network or broadcast address", lambda i: i.update(ipRange="169.254.64.16/30"))
    defect("aws:ec2/vpnGateway:VpnGateway", None, "amazonSideAsn", "bgp.asn",
           "ASN 65535 is outside 64512-65534, 4200000000-4294967294, 7224, 9059, 10124 or 17493",
           lambda i: i.update(amazonSideAsn="65535"))
    defect("aws:iam/role:Role", "we1-cloudtrail-role", "name", "iam.aws-names",
           "'we1 cloudtrail logs' is not 1-64 characters of letters, digits and +=,.@_-",
           lambda i: i.update(name="we1 cloudtrail logs"))
    defect("gcp:projects/iAMMember:IAMMember", None, "role", "iam.gcp-binding",
           "'compute.instanceAdmin.v1' is not roles/<name> or a custom role's projects/<p>/roles/<name>",
           lambda i: i.update(role="compute.instanceAdmin.v1"))
    defect("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", None, "cidrIpv4", "aws.sg-rule",
           "exactly one of cidrIpv4, cidrIpv6, prefixListId, referencedSecurityGroupId (given: cidrIpv4, prefixListId)",
           lambda i: i.update(cidrIpv4="192.0.2.0/24"))
    defect("gcp:compute/network:Network", None, "name", "gce.name",
           "'We1_Net' is not a Compute Engine name ([a-z]([-a-z0-9]{0,61}[a-z0-9])?)", lambda i: i.update(name="We1_Net"))
    # Schema defects: a typo, a wrong type (also nested), a required input missing, a plain secret.
    defect("aws:cloudwatch/logGroup:LogGroup", "we1-vpn-logs", "retentionInDay", "schema.unknown-input",
           "'retentionInDay' is not an input of this type (inputs: deletionProtectionEnabled, kmsKeyId, logGroupClass, "
           "name, namePrefix, region, retentionInDays, skipDestroy, ... (9 in all))",
           lambda i: i.update(retentionInDay=i.pop("retentionInDays")))
    defect("gcp:compute/vPNTunnel:VPNTunnel", "we1-dc-lis-if1", "ikeVersion", "schema.type",
           'a string "2" is not integer', lambda i: i.update(ikeVersion="2"))
    defect("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", None, "rules[0].expiration.days",
           "schema.type", 'a string "180" is not integer',
           lambda i: i["rules"][0]["expiration"].update(days="180"))
    defect("aws:ec2/customerGateway:CustomerGateway", None, "type", "schema.required", "required input type is missing",
           lambda i: i.pop("type"))
    defect("gcp:compute/vPNTunnel:VPNTunnel", "we1-dc-lis-if0", "sharedSecret", "schema.secret",
           "sharedSecret is a secret input of the provider SDK but arrives as a plain value: wrap it in "
           "pulumi.Output.secret", lambda i: i.update(sharedSecret=PLACEHOLDER_PSK))
    return d, expect


def test_a_broken_copy_yields_exactly_one_finding_per_defect(zone_docs):
    broken, expect = _break(zone_docs["we1"])
    result = check_documents({"we1": broken})
    assert sorted((f.urn, f.path, f.rule, f.message) for f in result.findings) == sorted(expect)
    assert len(expect) == 21
    assert PLACEHOLDER_PSK not in json.dumps([f.as_dict() for f in result.findings])


def test_an_unknown_type_token_is_a_finding():
    assert judge("aws:ec2/vpcc:Vpcc", {}) == [("", "schema.type-token", "aws:ec2/vpcc:Vpcc: no resource class Vpcc "
                                                                          "in pulumi_aws.ec2 7.51.1")]
    assert judge("azure:network/vnet:Vnet", {})[0][1] == "schema.type-token"


def test_a_closed_enum_inside_a_document_input():
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Permit", "Action": "sts:AssumeRole",
                                                    "Principal": {"Service": "backup.amazonaws.com"}}]}
    assert judge("aws:iam/role:Role", {"assumeRolePolicy": doc}) == [
        ("assumeRolePolicy.Statement[0].Effect", "schema.enum", "'Permit' is not one of PolicyStatementEffect: Allow, Deny")]


def test_schema_extraction_reads_the_sdk_classes():
    s = sdk.resource_schema("aws:ec2/vpnConnection:VpnConnection")
    assert s.sdk.startswith("pulumi_aws 7.51.1 pulumi_aws.ec2.VpnConnection")
    assert {k for k, p in s.inputs.items() if p.required} == {"customerGatewayId", "type"}
    assert {k for k, p in s.inputs.items() if p.secret} == {"tunnel1PresharedKey", "tunnel2PresharedKey"}
    plan = sdk.resource_schema("aws:backup/plan:Plan")
    rule = plan.inputs["rules"].type.item
    assert (plan.inputs["rules"].required, rule.name, rule.props["ruleName"].required,
            rule.props["lifecycle"].type.props["deleteAfter"].type.kind) == (True, "PlanRuleArgs", True, "integer")
    # A resource whose args class is `<Class>InitArgs` (an input type already has `<Class>Args`).
    assert set(sdk.resource_schema("aws:s3/bucketVersioning:BucketVersioning").inputs) >= {"bucket",
                                                                                            "versioningConfiguration"}
    assert sdk.resource_schema("pulumi:providers:aws").provider


def test_provider_inputs_travel_as_json_text():
    assert judge("pulumi:providers:aws", {"region": "eu-west-1", "allowedAccountIds": '["210987654321"]',
                                          "version": "7.51.1"}) == []
    assert judge("pulumi:providers:aws", {"allowedAccountIds": '"210987654321"'}) == [
        ("allowedAccountIds", "schema.type", 'a string "210987654321" is not list of string')]


@pytest.mark.parametrize("expr,allow,problems", [
    ("cron(0 1 * * ? *)", ("cron",), []),
    ("cron(0 1 ? * SUN *)", ("cron",), []),
    ("cron(0 2 ? * THU#3 *)", ("cron",), []),
    ("rate(1 day)", ("cron", "rate", "at"), []),
    ("rate(1 day)", ("cron",), ["'rate(1 day)' is not a cron() expression"]),
    ("cron(0 1 * * *)", ("cron",), ["'cron(0 1 * * *)' has 5 fields; AWS cron takes 6 (minutes hours day-of-month "
                                    "month day-of-week year)"]),
    ("cron(0 25 * * ? *)", ("cron",), ["'cron(0 25 * * ? *)': hours 25 is outside 0-23"]),
    ("cron(0 1 ? * FUN *)", ("cron",), ["'cron(0 1 ? * FUN *)': day-of-week 'FUN' is not a name AWS cron knows"]),
])
def test_aws_cron_syntax(expr, allow, problems):
    assert rules.aws_cron(expr, allow) == problems


def test_every_rule_names_its_source():
    assert len({r.id for r in rules.RULES}) == len(rules.RULES) >= 15
    for r in rules.RULES:
        assert r.source and r.types and r.id.count(".") == 1


def test_docs_list_every_rule_with_its_source():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "conformance.md").read_text(encoding="utf-8")
    for r in rules.RULES:
        assert f"| `{r.id}` |" in text and r.source.replace("|", "\\|") in text, r.id
