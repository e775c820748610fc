"""Every policy of the real pack through the gate: its failing fixture, as a plan file, makes
`byside check --plan` exit 1 naming that policy; its passing fixtures pass the gate."""

import json

import pytest
from typer.testing import CliRunner

from byside.cli import app
from policies.metadata import METADATA

from .conftest import POLICY_FIXTURES, byside, fixture_plan, violations

POLICIES = sorted(p.name for p in POLICY_FIXTURES.iterdir() if (p / "fail.json").is_file())


def test_every_policy_has_fixtures():
    assert POLICIES == sorted(METADATA)


@pytest.mark.parametrize("policy_id", POLICIES)
def test_failing_fixture_fails_the_gate_naming_the_policy(tmp_path, policy_id):
    # In-process (CliRunner) to spare a Python start per policy; the pack still runs as its own process.
    r = CliRunner().invoke(app, ["check", "--plan", str(fixture_plan(tmp_path, policy_id, "fail")), "--no-checkov",
                                 "--format", "json"])
    assert r.exit_code == 1, r.output
    found = [v for v in violations(r.stdout) if v["policy"] == policy_id]
    own = [v for v in found if "::byside::" in v["urn"]]
    assert own and {(v["source"], v["severity"], v["enforcement"]) for v in own} == {
        ("crossguard", METADATA[policy_id].severity, "mandatory")}
    # Another project's stack: only the zone-independent policies, at their default there.
    from policies.build import default_enforcement

    assert {v["enforcement"] for v in found if v not in own} <= {default_enforcement(policy_id, "shop")}
    resources = {res["urn"] for res in json.loads((POLICY_FIXTURES / policy_id / "fail.json").read_text())}
    assert {v["urn"] for v in found} <= resources


def test_passing_fixtures_pass_the_gate(tmp_path):
    plans = [a for p in POLICIES for a in ("--plan", str(fixture_plan(tmp_path, p, "pass")))]
    r = byside("check", *plans, "--no-checkov", "--format", "json")
    assert (r.returncode, violations(r.stdout)) == (0, []), r.stderr


def test_gate_and_in_process_harness_report_the_same_violations():
    """Same code by construction: every failing fixture judged through the served pack (one plan
    per fixture, one gate run) yields exactly the harness's (URN, message) pairs for its policy,
    to the letter (over gRPC, as under the engine, numbers arrive as doubles; messages print them
    as the plan wrote them)."""
    from collections import Counter

    from byside.check import gate
    from byside.check.plans import parse_document
    from policies.registry import POLICIES as PACK
    from tests.policies.harness import load, run

    by_id = {p.name: p for p in PACK}
    plans = [p for pid in POLICIES
             for p in parse_document({"version": 3, "deployment": {"resources": load(pid, "fail")}}, pid)]
    result = gate.check(plans=plans, use_checkov=False)
    assert result.exit_code == 1

    for pid in POLICIES:
        expected = Counter(run(by_id[pid], load(pid, "fail")))
        stack_policy = METADATA[pid].kind == "stack"
        got = Counter(("" if stack_policy and v.type == "pulumi:pulumi:Stack" else v.urn, v.message)
                      for v in result.violations if v.policy == pid and v.origin == pid)
        assert got == expected, pid


def test_an_unknown_zone_fails_on_zone_declared_and_other_projects_get_zone_independent_policies(tmp_path):
    def sg(stack, project="byside", zone=None):
        return {"type": "aws:ec2/securityGroup:SecurityGroup",
                "urn": f"urn:pulumi:{stack}::{project}::aws:ec2/securityGroup:SecurityGroup::ssh-from-anywhere",
                "inputs": {"vpcId": "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
                           "tags": {"zone": zone or stack, "owner": "platform-sre", "data-classification": "confidential"},
                           "ingress": [{"protocol": "tcp", "fromPort": 22, "toPort": 22,
                                        "cidrBlocks": ["203.0.113.0/24", "0.0.0.0/0"]}]}}

    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"version": 3, "deployment": {"resources": [
        sg("we1"), sg("zz9"), sg("dev", "shop", zone="we1")]}}))
    r = byside("check", "--plan", str(plan), "--no-checkov", "--format", "json")
    found = {(v["urn"].split("::")[1], v["zone"], v["policy"], v["enforcement"]) for v in violations(r.stdout)}
    assert ("byside", "we1", "network-ingress-allowlisted", "mandatory") in found  # zone-aware: we1's allowlists
    assert ("byside", "zz9", "zone-declared", "mandatory") in found  # not skipped in silence any more
    assert ("shop", "we1", "network-no-public-admin-ingress", "mandatory") in found
    assert ("shop", "we1", "network-no-world-ingress", "advisory") in found
    # Another project's stack: no zone-aware policy, whatever its zone tag says.
    assert not any(p == "shop" and METADATA[pol].zone_aware for p, _, pol, _ in found)
    assert not any(z == "zz9" and METADATA[pol].zone_aware for _, z, pol, _ in found)
