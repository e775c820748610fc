"""Pulumi resources (type + camelCase inputs, as the engine records them) that make each bridged
check fire, or pass. They go through the converter and real checkov; no Terraform is written here.

Each fixture names the check it is about and whether that check must fail or pass on it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

STACK = "fx"
SECRET = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:fixture:sealed"}
OPEN4, OPEN6 = "0.0.0.0/0", "::/0"
TAGS = {"zone": "fx", "owner": "platform-sre", "data-classification": "confidential"}


def urn(rtype: str, name: str) -> str:
    return f"urn:pulumi:{STACK}::byside::{rtype}::{name}"


@dataclass
class Fx:
    check: str
    expect: str  # "fail" | "pass"
    type: str
    name: str
    inputs: dict[str, Any]
    deps: dict[str, list[str]] = field(default_factory=dict)  # property -> [(type, name) URNs]

    @property
    def urn(self) -> str:
        return urn(self.type, self.name)

    def resource(self) -> dict[str, Any]:
        all_deps = sorted({u for us in self.deps.values() for u in us})
        return {"urn": self.urn, "type": self.type, "custom": True, "id": "", "inputs": self.inputs,
                "outputs": {}, "dependencies": all_deps,
                "propertyDependencies": {k: self.deps.get(k, []) for k in self.inputs},
                "parent": urn("pulumi:pulumi:Stack", f"byside-{STACK}")}


SG = "aws:ec2/securityGroup:SecurityGroup"
SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
VPC_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
POLICY = "aws:iam/policy:Policy"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
VPC = "aws:ec2/vpc:Vpc"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
FIREWALL = "gcp:compute/firewall:Firewall"
SUBNET = "gcp:compute/subnetwork:Subnetwork"
VPN = "aws:ec2/vpnConnection:VpnConnection"
TUNNEL = "gcp:compute/vPNTunnel:VPNTunnel"
PREFIX_LIST = "aws:ec2/managedPrefixList:ManagedPrefixList"
BACKUP_PLAN = "aws:backup/plan:Plan"
RESOURCE_POLICY = "gcp:compute/resourcePolicy:ResourcePolicy"
TRAIL = "aws:cloudtrail/trail:Trail"


def trail(**overrides: Any) -> dict[str, Any]:
    """A CloudTrail as the program declares it (infra/aws/audit_trail.py)."""
    return {"name": "fx-trail", "s3BucketName": "fx-cloudtrail", "isMultiRegionTrail": True,
            "enableLogFileValidation": True, "enableLogging": True, "includeGlobalServiceEvents": True,
            "kmsKeyId": "arn:aws:kms:eu-west-1:111111111111:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
            "cloudWatchLogsGroupArn": "arn:aws:logs:eu-west-1:111111111111:log-group:fx:*",
            "cloudWatchLogsRoleArn": "arn:aws:iam::111111111111:role/fx-cloudtrail", "tags": TAGS, **overrides}


def doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(actions: list[str] | str, resource: list[str] | str) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": actions, "Resource": resource}


SCOPED = doc(allow(["s3:GetObject"], "arn:aws:s3:::fx-reports/*"))


def sg_rule(port: int, cidr: str, **extra: Any) -> dict[str, Any]:
    return {"type": "ingress", "fromPort": port, "toPort": port, "protocol": "tcp", "cidrBlocks": [cidr],
            "securityGroupId": "sg-0fixture", "description": f"tcp/{port}", **extra}


def vpc_rule(port: int, cidr: str) -> dict[str, Any]:
    return {"fromPort": port, "toPort": port, "ipProtocol": "tcp", "cidrIpv4": cidr,
            "securityGroupId": "sg-0fixture", "description": f"tcp/{port}", "tags": TAGS}


def sg(ingress: list[dict[str, Any]], description: str | None = "fixture group") -> dict[str, Any]:
    out: dict[str, Any] = {"name": "fx", "vpcId": "vpc-0fixture", "ingress": ingress, "egress": [], "tags": TAGS}
    if description is not None:
        out["description"] = description
    return out


def inline(port: int, cidr: str, protocol: str = "tcp", description: str | None = "inline") -> dict[str, Any]:
    rule = {"fromPort": port, "toPort": port, "protocol": protocol, "cidrBlocks": [cidr]}
    if description is not None:
        rule["description"] = description
    return rule


def firewall(allows: list[dict[str, Any]], ranges: list[str]) -> dict[str, Any]:
    return {"name": "fx", "network": "projects/fx/global/networks/fx", "direction": "INGRESS", "allows": allows,
            "sourceRanges": ranges, "logConfig": {"metadata": "INCLUDE_ALL_METADATA"}, "targetTags": ["svc-fx"]}


def subnet(**extra: Any) -> dict[str, Any]:
    return {"name": "fx", "network": "projects/fx/global/networks/fx", "ipCidrRange": "10.99.0.0/24",
            "region": "europe-west1", **extra}


STRONG_TUNNEL: dict[str, Any] = {}
for _t in ("tunnel1", "tunnel2"):
    STRONG_TUNNEL.update({
        f"{_t}IkeVersions": ["ikev2"], f"{_t}Phase1EncryptionAlgorithms": ["AES256-GCM-16"],
        f"{_t}Phase2EncryptionAlgorithms": ["AES256-GCM-16"], f"{_t}Phase1IntegrityAlgorithms": ["SHA2-384"],
        f"{_t}Phase2IntegrityAlgorithms": ["SHA2-384"], f"{_t}Phase1DhGroupNumbers": [20, 21],
        f"{_t}Phase2DhGroupNumbers": [20, 21], f"{_t}PresharedKey": SECRET,
        f"{_t}LogOptions": {"cloudwatchLogOptions": {"logEnabled": True, "logOutputFormat": "json"}}})


def vpn(**override: Any) -> dict[str, Any]:
    return {"customerGatewayId": "cgw-0fixture", "vpnGatewayId": "vgw-0fixture", "type": "ipsec.1",
            "staticRoutesOnly": False, "tags": TAGS, **STRONG_TUNNEL, **override}


# AES-GCM is encryption and integrity in one: Google documents no integrity algorithm with it.
STRONG_SUITE = {"phase1": {"encryptions": ["AES-GCM-16-256"], "prves": ["PRF-HMAC-SHA2-384"], "dhs": ["Group-20"]},
                "phase2": {"encryptions": ["AES-GCM-16-256"], "pfs": ["Group-20"]}}


def tunnel(**override: Any) -> dict[str, Any]:
    return {"name": "fx", "region": "europe-west1", "ikeVersion": 2, "sharedSecret": SECRET,
            "vpnGateway": "projects/fx/regions/europe-west1/vpnGateways/fx", "vpnGatewayInterface": 0,
            "router": "projects/fx/regions/europe-west1/routers/fx", "labels": TAGS,
            "cipherSuite": STRONG_SUITE, **override}


def prefix_list(max_entries: int | None, cidrs: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"name": "fx", "addressFamily": "IPv4", "tags": TAGS,
                           "entries": [{"cidr": c, "description": "fx"} for c in cidrs]}
    if max_entries is not None:
        out["maxEntries"] = max_entries
    return out


def plan_rule(name: str, cron: str, days: int | None) -> dict[str, Any]:
    rule: dict[str, Any] = {"ruleName": name, "schedule": cron, "targetVaultName": "fx", "startWindow": 60,
                            "completionWindow": 300, "recoveryPointTags": {"backup-rule": name}}
    if days is not None:
        rule["lifecycle"] = {"deleteAfter": days}
    return rule


DAILY, WEEKLY, MONTHLY = "cron(0 1 * * ? *)", "cron(0 1 ? * SUN *)", "cron(0 1 1 * ? *)"


def snapshots(days: int) -> dict[str, Any]:
    return {"name": "fx", "region": "europe-west1", "snapshotSchedulePolicy": {
        "retentionPolicy": {"maxRetentionDays": days, "onSourceDiskDelete": "KEEP_AUTO_SNAPSHOTS"},
        "schedule": {"dailySchedule": {"daysInCycle": 1, "startTime": "01:00"}},
        "snapshotProperties": {"storageLocations": "europe-west1", "labels": TAGS}}}


FIXTURES: list[Fx] = [
    # --- security groups
    Fx("CKV_AWS_23", "fail", SG, "sg-rule-without-description", sg([inline(443, "10.0.0.0/8", description=None)])),
    Fx("CKV_AWS_23", "pass", SG, "sg-described", sg([inline(443, "10.0.0.0/8")])),
    Fx("CKV_AWS_24", "fail", SG_RULE, "ssh-from-anywhere", sg_rule(22, OPEN4)),
    Fx("CKV_AWS_24", "pass", SG_RULE, "ssh-from-office", sg_rule(22, "10.20.0.0/16")),
    Fx("CKV_AWS_25", "fail", VPC_RULE, "rdp-from-anywhere", vpc_rule(3389, OPEN4)),
    Fx("CKV_AWS_25", "pass", VPC_RULE, "rdp-from-office", vpc_rule(3389, "10.20.0.0/16")),
    Fx("CKV_AWS_260", "fail", SG, "http-from-anywhere", sg([inline(80, OPEN4)])),
    Fx("CKV_AWS_260", "pass", SG, "http-from-subscribers", sg([inline(80, "198.51.100.0/24")])),
    Fx("CKV_AWS_277", "fail", SG, "all-from-anywhere", sg([inline(0, OPEN4, protocol="-1")])),
    Fx("CKV_AWS_277", "pass", SG, "all-from-vpc", sg([inline(0, "10.0.0.0/8", protocol="-1")])),
    # --- IAM policy documents (aws_iam_policy and aws_iam_role_policy)
    Fx("CKV_AWS_62", "fail", POLICY, "admin-star", {"name": "fx-admin", "policy": doc(allow("*", "*"))}),
    Fx("CKV_AWS_62", "pass", POLICY, "scoped-62", {"name": "fx-62", "policy": SCOPED}),
    Fx("CKV_AWS_63", "fail", ROLE_POLICY, "star-action",
       {"role": "fx", "policy": doc(allow("*", "arn:aws:s3:::fx-reports/*"))}),
    Fx("CKV_AWS_63", "pass", ROLE_POLICY, "scoped-63", {"role": "fx", "policy": SCOPED}),
    Fx("CKV_AWS_286", "fail", POLICY, "escalation",
       {"name": "fx-esc", "policy": doc(allow(["iam:CreatePolicyVersion"], "*"))}),
    Fx("CKV_AWS_286", "pass", POLICY, "scoped-286", {"name": "fx-286", "policy": SCOPED}),
    Fx("CKV_AWS_287", "fail", POLICY, "credentials-exposure",
       {"name": "fx-keys", "policy": doc(allow(["iam:CreateAccessKey"], "*"))}),
    Fx("CKV_AWS_287", "pass", POLICY, "scoped-287", {"name": "fx-287", "policy": SCOPED}),
    Fx("CKV_AWS_288", "fail", ROLE_POLICY, "data-exfiltration",
       {"role": "fx", "policy": doc(allow(["s3:GetObject"], "*"))}),
    Fx("CKV_AWS_288", "pass", ROLE_POLICY, "scoped-288", {"role": "fx", "policy": SCOPED}),
    Fx("CKV_AWS_289", "fail", POLICY, "permissions-management",
       {"name": "fx-perm", "policy": doc(allow(["iam:AttachRolePolicy"], "*"))}),
    Fx("CKV_AWS_289", "pass", POLICY, "scoped-289", {"name": "fx-289", "policy": SCOPED}),
    Fx("CKV_AWS_290", "fail", POLICY, "write-anywhere",
       {"name": "fx-write", "policy": doc(allow(["ec2:TerminateInstances"], "*"))}),
    Fx("CKV_AWS_290", "pass", POLICY, "scoped-290", {"name": "fx-290", "policy": SCOPED}),
    Fx("CKV_AWS_355", "fail", POLICY, "read-logs-anywhere",
       {"name": "fx-logs", "policy": doc(allow(["logs:GetLogEvents"], "*"))}),
    Fx("CKV_AWS_355", "pass", POLICY, "scoped-355", {"name": "fx-355", "policy": SCOPED}),
    # --- flow logs (graph check: the VPC needs an edge to a flow log, from propertyDependencies)
    Fx("CKV2_AWS_11", "fail", VPC, "vpc-without-flow-log", {"cidrBlock": "10.98.0.0/16", "tags": TAGS}),
    Fx("CKV2_AWS_11", "pass", VPC, "vpc-with-flow-log", {"cidrBlock": "10.97.0.0/16", "tags": TAGS}),
    # --- GCP firewall and subnetworks
    Fx("CKV_GCP_2", "fail", FIREWALL, "gcp-ssh-anywhere", firewall([{"protocol": "tcp", "ports": ["22"]}], [OPEN4])),
    Fx("CKV_GCP_2", "pass", FIREWALL, "gcp-ssh-office",
       firewall([{"protocol": "tcp", "ports": ["22"]}], ["10.20.0.0/16"])),
    Fx("CKV_GCP_3", "fail", FIREWALL, "gcp-rdp-anywhere",
       firewall([{"protocol": "tcp", "ports": ["3000-4000"]}], [OPEN4])),
    Fx("CKV_GCP_3", "pass", FIREWALL, "gcp-rdp-office",
       firewall([{"protocol": "tcp", "ports": ["3389"]}], ["10.20.0.0/16"])),
    Fx("CKV2_GCP_12", "fail", FIREWALL, "gcp-all-anywhere", firewall([{"protocol": "all"}], [OPEN4])),
    Fx("CKV2_GCP_12", "pass", FIREWALL, "gcp-https-anywhere",
       firewall([{"protocol": "tcp", "ports": ["443"]}], [OPEN4])),
    Fx("CKV_GCP_26", "fail", SUBNET, "subnet-without-flow-logs", subnet(privateIpGoogleAccess=True)),
    Fx("CKV_GCP_26", "pass", SUBNET, "subnet-with-flow-logs",
       subnet(privateIpGoogleAccess=True, logConfig={"aggregationInterval": "INTERVAL_5_SEC", "flowSampling": 1,
                                                     "metadata": "INCLUDE_ALL_METADATA"})),
    Fx("CKV_GCP_74", "fail", SUBNET, "subnet-without-private-access",
       subnet(logConfig={"metadata": "INCLUDE_ALL_METADATA"})),
    Fx("CKV_GCP_74", "pass", SUBNET, "subnet-with-private-access",
       subnet(privateIpGoogleAccess=True, logConfig={"metadata": "INCLUDE_ALL_METADATA"})),
    # --- CKV_BYS_1 VPN crypto
    Fx("CKV_BYS_1", "fail", VPN, "vpn-ikev1", vpn(tunnel2IkeVersions=["ikev1", "ikev2"])),
    Fx("CKV_BYS_1", "fail", VPN, "vpn-defaults",
       {k: v for k, v in vpn().items() if k != "tunnel1Phase1DhGroupNumbers"}),
    Fx("CKV_BYS_1", "pass", VPN, "vpn-strong", vpn()),
    Fx("CKV_BYS_1", "fail", TUNNEL, "tunnel-no-suite", {k: v for k, v in tunnel().items() if k != "cipherSuite"}),
    Fx("CKV_BYS_1", "fail", TUNNEL, "tunnel-sha1",
       tunnel(cipherSuite={"phase1": {**STRONG_SUITE["phase1"], "encryptions": ["AES-CBC-256"],
                                      "integrities": ["HMAC-SHA1-96"]},
                           "phase2": STRONG_SUITE["phase2"]})),
    Fx("CKV_BYS_1", "fail", TUNNEL, "tunnel-gcm-with-integrity",
       tunnel(cipherSuite={"phase1": {**STRONG_SUITE["phase1"], "integrities": ["HMAC-SHA2-384-192"]},
                           "phase2": STRONG_SUITE["phase2"]})),
    Fx("CKV_BYS_1", "pass", TUNNEL, "tunnel-strong", tunnel()),
    # --- CKV_BYS_2 prefix list size
    Fx("CKV_BYS_2", "fail", PREFIX_LIST, "pl-over-quota", prefix_list(1001, ["192.0.2.0/24"])),
    Fx("CKV_BYS_2", "fail", PREFIX_LIST, "pl-overfull", prefix_list(1, ["192.0.2.0/25", "192.0.2.128/25"])),
    Fx("CKV_BYS_2", "pass", PREFIX_LIST, "pl-sized", prefix_list(2, ["192.0.2.0/25", "192.0.2.128/25"])),
    # --- CKV_BYS_3 backup retention
    Fx("CKV_BYS_3", "fail", BACKUP_PLAN, "plan-daily-only",
       {"name": "fx-daily", "rules": [plan_rule("daily", DAILY, 5)], "tags": TAGS}),
    Fx("CKV_BYS_3", "fail", BACKUP_PLAN, "plan-forever",
       {"name": "fx-forever", "rules": [plan_rule("daily", DAILY, None)], "tags": TAGS}),
    Fx("CKV_BYS_3", "fail", BACKUP_PLAN, "plan-monthly-short",
       {"name": "fx-short", "rules": [plan_rule("daily", DAILY, 5), plan_rule("weekly", WEEKLY, 28),
                                      plan_rule("monthly", MONTHLY, 83)], "tags": TAGS}),
    Fx("CKV_BYS_3", "pass", BACKUP_PLAN, "plan-5-28-93",
       {"name": "fx-ok", "rules": [plan_rule("daily", DAILY, 5), plan_rule("weekly", WEEKLY, 28),
                                   plan_rule("monthly", MONTHLY, 93)], "tags": TAGS}),
    Fx("CKV_BYS_3", "fail", RESOURCE_POLICY, "snapshots-30-days", snapshots(30)),
    Fx("CKV_BYS_3", "pass", RESOURCE_POLICY, "snapshots-93-days", snapshots(93)),
    # --- the audit trail (issue 13): validation, KMS encryption, every region
    Fx("CKV_AWS_36", "fail", TRAIL, "trail-unvalidated", trail(enableLogFileValidation=False)),
    Fx("CKV_AWS_36", "pass", TRAIL, "trail-validated", trail()),
    Fx("CKV_AWS_35", "fail", TRAIL, "trail-unencrypted", {k: v for k, v in trail().items() if k != "kmsKeyId"}),
    Fx("CKV_AWS_35", "pass", TRAIL, "trail-encrypted", trail()),
    Fx("CKV_AWS_67", "fail", TRAIL, "trail-one-region", trail(isMultiRegionTrail=False)),
    Fx("CKV_AWS_67", "pass", TRAIL, "trail-all-regions", trail()),
]

# The flow log that makes `vpc-with-flow-log` compliant: its vpcId depends on that VPC.
FLOW_LOG_FX = Fx("CKV2_AWS_11", "support", FLOW_LOG, "flow-log",
                 {"vpcId": "vpc-0fixture97", "trafficType": "ALL", "logDestinationType": "cloud-watch-logs",
                  "logDestination": "arn:aws:logs:eu-west-1:111111111111:log-group:fx", "tags": TAGS},
                 deps={"vpcId": [urn(VPC, "vpc-with-flow-log")]})


# An SSH rule whose source is a managed prefix list: checkov's CKV_AWS_24 does not read
# prefix_list_id on aws_vpc_security_group_ingress_rule and calls it open; the bridge also writes
# the source under aws_security_group_rule's names, which checkov reads, so the rule passes.
PL_SSH_FX = Fx("CKV_AWS_24", "pass", VPC_RULE, "ssh-from-prefix-list",
               {"fromPort": 22, "toPort": 22, "ipProtocol": "tcp", "prefixListId": "pl-0fixture",
                "securityGroupId": "sg-0fixture", "description": "sftp from subscribers", "tags": TAGS},
               deps={"prefixListId": [urn(PREFIX_LIST, "pl-sized")]})
# Values only known after apply (the engine's unknown sentinel) reach checkov as null.
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
UNKNOWN_FX = Fx("CKV_GCP_26", "support", SUBNET, "subnet-unknowns",
                subnet(ipCidrRange=UNKNOWN, network=UNKNOWN, privateIpGoogleAccess=True,
                       logConfig={"metadata": UNKNOWN}))
EXTRA = [FLOW_LOG_FX, PL_SSH_FX, UNKNOWN_FX]


def resources() -> list[dict[str, Any]]:
    """The whole batch, as a stack export lists it: the stack, a provider, then the resources."""
    stack = {"urn": urn("pulumi:pulumi:Stack", f"byside-{STACK}"), "type": "pulumi:pulumi:Stack", "custom": False}
    provider = {"urn": urn("pulumi:providers:aws", "default"), "type": "pulumi:providers:aws", "custom": True,
                "inputs": {"region": "eu-west-1"}}
    return [stack, provider] + [f.resource() for f in FIXTURES + EXTRA]
