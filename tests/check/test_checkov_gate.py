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
    status, rules, violations, notes = run(bridge, [export, preview])
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


def test_adapter_fails_when_checkov_did_not_read_the_whole_plan():
    [export] = read_plan_file(PLANS / "stack-export.json")
    bridge = FakeBridge([_result(parse_errors=["checkov read 3 of the 4 resources in the plan"])])
    with pytest.raises(BadInput, match="checkov did not read the converted plan: checkov read 3 of the 4 resources"):
        run(bridge, [export])


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
