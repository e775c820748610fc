"""checkov through the gate: the bridge's findings are violations with source `checkov`, run
alongside the pack; the adapter maps them back to plans, rules and notes."""

import json
from types import SimpleNamespace

import pytest

from byside.check.checkov_adapter import batches, run
from byside.check.model import Plan, Resource
from byside.check.plans import read_plan_file
from byside.console import BadInput

from .conftest import PLANS, byside, fixture_plan, violations

SSH = "urn:pulumi:we1::byside::aws:ec2/securityGroup:SecurityGroup::ssh-open-to-world"


def test_checkov_and_the_pack_both_gate_an_ssh_port_open_to_the_world(tmp_path):
    plan = fixture_plan(tmp_path, "network-no-public-admin-ingress", "fail")
    r = byside("check", "--plan", str(plan), "--format", "json")
    assert r.returncode == 1, r.stderr
    found = {(v["source"], v["policy"], v["enforcement"]) for v in violations(r.stdout) if v["urn"] == SSH}
    assert ("checkov", "CKV_AWS_24", "mandatory") in found
    assert ("crossguard", "network-no-public-admin-ingress", "mandatory") in found
    ckv = next(v for v in violations(r.stdout) if v["policy"] == "CKV_AWS_24")
    assert (ckv["zone"], ckv["type"], ckv["severity"]) == ("we1", "aws:ec2/securityGroup:SecurityGroup", "critical")


class FakeBridge:
    """Stands in for byside.checkov_bridge to test the adapter's mapping in isolation."""

    GATED = {"CKV_AWS_24": ("critical", "mandatory"), "CKV_AWS_355": ("medium", "advisory")}

    def __init__(self, results):
        self.results, self.calls = list(results), []

    def run_checkov(self, resources, zone_of):
        self.calls.append(([r["urn"] for r in resources], [zone_of(r) for r in resources]))
        return self.results.pop(0)


def _result(**kw):
    base = dict(violations=[], passed=0, failed=0, unmapped=[], unmapped_resources=[], parse_errors=[], resources=0,
                parsed=0, checks={}, checkov_version="3.3.30", seconds=0.1)
    return SimpleNamespace(**{**base, **kw})


def test_adapter_maps_findings_rules_and_unmapped_types():
    [export] = read_plan_file(PLANS / "stack-export.json")
    [preview] = read_plan_file(PLANS / "preview.json")
    public = "urn:pulumi:we2::byside::aws:s3/bucket:Bucket::public-assets"
    bridge = FakeBridge([_result(
        violations=[{"policy": "CKV_AWS_24", "source": "checkov", "severity": "critical", "enforcement": "mandatory",
                     "zone": "we2", "urn": public, "type": "aws:s3/bucket:Bucket", "message": "m"}],
        passed=7, failed=1, parsed=6, checks={"CKV_AWS_24": "No SSH from 0.0.0.0/0", "CKV_AWS_20": "No public ACL",
                                              "CKV_AWS_355": "No * resource"},
        unmapped=["aws:ec2/vpnConnection:VpnConnection"],
        unmapped_resources=["urn:pulumi:we2::byside::aws:ec2/vpnConnection:VpnConnection::dc-lis-vpn",
                            "urn:pulumi:sa1::byside::aws:ec2/vpnConnection:VpnConnection::dc-sao-vpn"])])
    status, rules, violations, notes, not_judged = run(bridge, [export, preview])
    assert len(bridge.calls) == 1  # one checkov run for both plans
    urns, zone_list = bridge.calls[0]
    assert urns == [r.urn for r in export.resources + preview.resources]
    assert zone_list == [r.zone for r in export.resources + preview.resources]
    assert status == "checkov 3.3.30: 7 passed, 1 failed check results on 6 resources"
    assert [(v.policy, v.source, v.urn, v.origin) for v in violations] == [
        ("CKV_AWS_24", "checkov", public, str(PLANS / "stack-export.json"))]
    assert (rules["CKV_AWS_24"].enforcement, rules["CKV_AWS_24"].severity) == ("mandatory", "critical")
    assert (rules["CKV_AWS_20"].enforcement, rules["CKV_AWS_20"].severity) == ("advisory", "low")
    assert (rules["CKV_AWS_355"].enforcement, rules["CKV_AWS_355"].severity) == ("advisory", "medium")
    assert notes == ["not judged by checkov (no Terraform mapping): aws:ec2/vpnConnection:VpnConnection (2 resource(s))"]
    assert [(n.urn.rsplit("::", 1)[-1], n.reason) for n in not_judged] == [
        ("dc-lis-vpn", "not judged by checkov: no Terraform mapping"),
        ("dc-sao-vpn", "not judged by checkov: no Terraform mapping")]


def test_adapter_fails_when_checkov_did_not_read_the_whole_plan():
    [export] = read_plan_file(PLANS / "stack-export.json")
    bridge = FakeBridge([_result(parse_errors=["checkov read 3 of the 4 resources in the plan"])])
    with pytest.raises(BadInput, match="checkov did not read the converted plan: checkov read 3 of the 4 resources"):
        run(bridge, [export])


SECRET = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "FAKE-CIPHERTEXT-PLACEHOLDER"}
DOC = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                                          "Resource": "arn:aws:s3:::atlas/*"}]})
ROLE = "aws:iam/role:Role"


def test_reads_and_secret_documents_are_no_checkov_resources():
    u = "urn:pulumi:we1::byside::"
    plan = Plan("p.json", "we1", [
        Resource(u + ROLE + "::sealed", ROLE, {"assumeRolePolicy": SECRET}),
        Resource(u + "aws:iam/policy:Policy::sealed-inline", "aws:iam/policy:Policy", {"policy": SECRET}),
        Resource(u + ROLE + "::sealed-inline-role", ROLE, {"assumeRolePolicy": DOC,
                                                         "inlinePolicies": [{"name": "a", "policy": SECRET}]}),
        Resource(u + ROLE + "::plain", ROLE, {"assumeRolePolicy": DOC}),
        Resource(u + "aws:ec2/vpc:Vpc::read", "aws:ec2/vpc:Vpc", {}, external=True)])
    bridge = FakeBridge([_result(parsed=1)])
    _, _, _, _, not_judged = run(bridge, [plan])
    assert bridge.calls[0][0] == [u + ROLE + "::plain"]
    assert [(n.urn.rsplit("::", 1)[-1], n.reason) for n in not_judged] == [
        ("sealed", "not judged by checkov: the document is secret (assumeRolePolicy)"),
        ("sealed-inline", "not judged by checkov: the document is secret (policy)"),
        ("sealed-inline-role", "not judged by checkov: the document is secret (inlinePolicies[0].policy)")]


def test_a_secret_trust_policy_is_not_judged_by_checkov_nor_passed(tmp_path):
    doc = {"version": 3, "deployment": {"resources": [
        {"urn": "urn:pulumi:we1::byside::aws:iam/role:Role::sealed", "custom": True, "type": ROLE,
         "inputs": {"name": "sealed", "assumeRolePolicy": SECRET, "tags": {"zone": "we1", "owner": "platform-sre",
                                                                           "data-classification": "confidential",
                                                                           "access-level": "read-only"}}}]}}
    plan = tmp_path / "sealed.json"
    plan.write_text(json.dumps(doc))
    r = byside("check", "--plan", str(plan), "--format", "json")
    report = json.loads(r.stdout)
    assert {(v["source"], v["policy"]) for v in report["violations"]} == {("crossguard", "iam-privilege-escalation")}
    assert report["not_judged"] == [{"source": "sealed.json", "urn": "urn:pulumi:we1::byside::aws:iam/role:Role::sealed",
                                     "reason": "not judged by checkov: the document is secret (assumeRolePolicy)"}]
    assert report["summary"]["checkov"] == "checkov: no resource to judge"  # the role was its only resource
    assert r.returncode == 1  # "cannot be judged" is mandatory by default


def test_plans_sharing_a_urn_go_to_separate_checkov_runs():
    def plan(source, *names):
        return Plan(source, "we1", [Resource(f"urn:pulumi:we1::byside::t:m:T::{n}", "t:m:T", {}) for n in names])

    a, b, c = plan("a", "x", "y"), plan("b", "y"), plan("c", "z")
    assert batches([a, b, c]) == [[a, c], [b]]


def test_rules_follow_the_real_bridges_gating():
    from byside import checkov_bridge
    from byside.check.checkov_adapter import gating

    for cid in checkov_bridge.GATED:
        severity, enforcement = gating(checkov_bridge, cid)
        assert severity in ("critical", "high", "medium", "low") and enforcement in ("mandatory", "advisory"), cid
    assert gating(checkov_bridge, "CKV_AWS_24") == ("critical", "mandatory")
