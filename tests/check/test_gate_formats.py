"""The gate on real Pulumi output (tests/fixtures/pulumi/) with the project's pack, and the issue's
bypasses: a replacement that opens SSH fails in every form; fragments are whole stacks or exit 2;
reads are no policy's; an unknown zone or a renamed stack fails on zone-declared; other projects
are judged by the zone-independent policies only and the report says so first; any size."""

import json

import pytest

from byside.check import gate
from byside.check.model import Plan, Resource
from byside.check.plans import parse_document, read_plan_file

from .conftest import ROOT, byside, violations

FIX = ROOT / "tests" / "fixtures" / "pulumi"
ADMIN = "urn:pulumi:we1::byside::aws:ec2/securityGroup:SecurityGroup::we1-admin"
OPENS_SSH = ("preview-replace.json", "preview-show-replacement-steps.json", "events-replace.jsonl",
             "stack-export-v3-pending-replace.json", "event-log-up.jsonl", "preview-create.json")
UNCHANGED = ("stack-export-v1.json", "stack-export-v2.json", "stack-export-v3.json", "stack-export-v4-features.json",
             "checkpoint-file-backend.json", "preview-show-sames.json", "preview-delete-discard.json")
# The fixtures show formats, not a whole zone: the zone-level requirements (a trail, alarms, restore
# tests, evidence — judged on a stack with its provider) are switched off for them.
ZONE_LEVEL = ("backup-restore-tested", "backup-evidence", "monitoring-coverage", "logging-audit-trail")


@pytest.fixture(scope="module")
def formats_config(tmp_path_factory):
    path = tmp_path_factory.mktemp("config") / "formats.json"
    path.write_text(json.dumps({p: "disabled" for p in ZONE_LEVEL}))
    return path


@pytest.fixture(scope="module")
def judged(formats_config):
    """Every whole-stack fixture judged in one gate run, each plan as its own stack."""
    plans = [p for name in OPENS_SSH + UNCHANGED for p in read_plan_file(FIX / name)]
    result = gate.check(plans=plans, use_checkov=False, config_file=formats_config)
    by_file: dict[str, set] = {name: set() for name in OPENS_SSH + UNCHANGED}
    for v in result.violations:
        by_file[v.origin.rsplit("/", 1)[-1]].add((v.policy, v.urn, v.enforcement))
    return result, by_file


@pytest.mark.parametrize("name", OPENS_SSH)
def test_a_replacement_that_opens_ssh_fails_in_every_form(judged, name):
    _, by_file = judged
    assert ("network-no-public-admin-ingress", ADMIN, "mandatory") in by_file[name]
    assert ("network-no-world-ingress", ADMIN, "mandatory") in by_file[name]
    assert {urn for _, urn, _ in by_file[name]} == {ADMIN}  # nothing else of the stack


@pytest.mark.parametrize("name", UNCHANGED)
def test_the_stack_as_it_stands_passes_in_every_form(judged, name):
    _, by_file = judged
    assert by_file[name] == set()


def test_a_read_vpc_gets_no_violation_and_is_listed(judged):
    result, _ = judged
    shared = "urn:pulumi:we1::byside::aws:ec2/vpc:Vpc::shared-services-vpc"
    # Untagged, no flow log, no default group: as a managed VPC it would fail three policies.
    assert not [v for v in result.violations if v.urn == shared]
    reasons = {n.reason.split(":")[0] for n in result.not_judged if n.urn == shared}
    assert reasons == {"read", "external", "discard"}
    assert result.resources == sum(1 for p in result.plans for r in p.resources if not r.external)


def test_the_replacement_exits_1_through_the_cli_in_each_form(formats_config):
    for name in ("preview-show-replacement-steps.json", "events-replace.jsonl", "stack-export-v3-pending-replace.json"):
        r = byside("check", "--plan", str(FIX / name), "--no-checkov", "--format", "json", "--policy-config",
                   str(formats_config))
        assert r.returncode == 1, (name, r.stderr)
        assert ("network-no-public-admin-ingress", ADMIN) in {(v["policy"], v["urn"]) for v in violations(r.stdout)}


# ------------------------------------------------------------------ fragments


def test_a_fragment_without_state_exits_2_naming_both_ways_out(tmp_path):
    out = tmp_path / "report.json"
    r = byside("check", "--plan", str(FIX / "preview-changes-only.json"), "--no-checkov", "--format", "json",
               "--out", str(out))
    assert r.returncode == 2 and not out.exists()
    msg = " ".join(r.stderr.split())
    assert "a partial preview" in msg and "5 unchanged resource(s) not listed" in msg
    assert "`pulumi preview --json --show-sames`" in msg
    assert ("`pulumi stack export --stack we1 --file we1-state.json`, then `byside check --plan "
            f"{FIX / 'preview-changes-only.json'} --state we1-state.json`") in msg


def _with_bad_unchanged_resource(tmp_path, name):
    """The fixture's state with an unchanged log group kept forever: a fragment alone hides it."""
    doc = json.loads((FIX / name).read_text())
    doc["deployment"]["resources"].append({
        "urn": "urn:pulumi:we1::byside::aws:cloudwatch/logGroup:LogGroup::we1-app-logs", "custom": True,
        "id": "/we1/app", "type": "aws:cloudwatch/logGroup:LogGroup",
        "inputs": {"name": "/we1/app", "retentionInDays": 0, "tags": {"zone": "we1", "owner": "platform-sre",
                                                                       "data-classification": "confidential"}},
        "outputs": {"name": "/we1/app", "retentionInDays": 0, "arn": "arn:aws:logs:eu-west-1:210987654321:log-group:/we1/app"},
        "parent": "urn:pulumi:we1::byside::pulumi:pulumi:Stack::byside-we1",
        "provider": "urn:pulumi:we1::byside::pulumi:providers:aws::default_7_51_1::5d6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"})
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


def test_a_fragment_with_state_gives_exactly_the_verdicts_of_the_whole_stacks_export(tmp_path, formats_config):
    state = _with_bad_unchanged_resource(tmp_path, "stack-export-v3.json")
    after = _with_bad_unchanged_resource(tmp_path, "stack-export-v3-after-tag-change.json")
    combined = gate.check([FIX / "preview-changes-only.json"], state_files=[state], use_checkov=False,
                          config_file=formats_config)
    whole = gate.check([after], use_checkov=False, config_file=formats_config)
    assert [v.as_dict() for v in combined.violations] == [v.as_dict() for v in whole.violations]
    assert {(v.policy, v.urn.rsplit("::", 1)[-1]) for v in combined.violations} == {("log-retention", "we1-app-logs")}
    assert combined.exit_code == whole.exit_code == 1
    assert combined.resources == whole.resources


def test_state_without_a_plan_or_for_another_stack_is_bad_input(tmp_path):
    r = byside("check", "--state", str(FIX / "stack-export-v3.json"), "--no-checkov")
    assert (r.returncode, r.stderr.strip()) == (
        2, "error: --state completes a partial `pulumi preview --json` given with --plan")


# ------------------------------------------------------------------ zones: the bypasses

def _we1_plan() -> dict:
    from byside.preview.cache import preview_documents

    return preview_documents(["we1"])["we1"]


def test_a_world_open_rule_tagged_with_an_unknown_zone_fails_naming_zone_declared(tmp_path):
    doc = _we1_plan()
    rule = "urn:pulumi:we1::byside::aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::https-from-anywhere"
    doc["deployment"]["resources"].append({
        "urn": rule, "custom": True, "type": "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        "inputs": {"securityGroupId": "sg-0123456789abcdef0", "ipProtocol": "tcp", "fromPort": 443, "toPort": 443,
                   "cidrIpv4": "0.0.0.0/0", "tags": {"zone": "we9", "owner": "platform-sre",
                                                     "data-classification": "confidential"}},
        "parent": "urn:pulumi:we1::byside::pulumi:pulumi:Stack::byside-we1"})
    plan = tmp_path / "we1-plus-rule.json"
    plan.write_text(json.dumps(doc))
    r = byside("check", "--plan", str(plan), "--no-checkov", "--format", "json")
    assert r.returncode == 1, r.stderr
    found = {(v["policy"], v["enforcement"]) for v in violations(r.stdout) if v["urn"] == rule}
    # The zone-aware policies judge it as we1's (its stack), the tag is zone-declared's violation.
    assert found == {("zone-declared", "mandatory"), ("network-no-world-ingress", "mandatory"),
                     ("network-ingress-allowlisted", "mandatory")}


def test_a_renamed_stack_fails_every_resource_on_zone_declared(tmp_path):
    text = json.dumps(_we1_plan()).replace("urn:pulumi:we1::", "urn:pulumi:we9::")
    [plan] = parse_document(json.loads(text), "we9.json")
    result = gate.check(plans=[plan], use_checkov=False)
    declared = [v for v in result.violations if v.policy == "zone-declared"]
    assert result.exit_code == 1
    assert {v.urn for v in declared} == {r.urn for r in plan.resources} and len(declared) > 150
    assert {v.message for v in declared} == {
        "stack 'we9' is not a zone of zones/ (zones: sa1, we1, we2): every stack of this project deploys one zone"}


# ------------------------------------------------------------------ other projects


def _foreign_sg_plan(tmp_path, project: str):
    doc = {"version": 3, "deployment": {"resources": [{
        "urn": f"urn:pulumi:dev::{project}::aws:ec2/securityGroup:SecurityGroup::public-web", "custom": True,
        "type": "aws:ec2/securityGroup:SecurityGroup",
        "inputs": {"vpcId": "vpc-1", "tags": {"zone": "we1", "owner": "web", "data-classification": "public"},
                   "ingress": [{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["0.0.0.0/0"]}]}}]}}
    path = tmp_path / f"{project}.json"
    path.write_text(json.dumps(doc))
    return path


def test_another_projects_plan_is_judged_zone_independently_and_the_report_says_so_first(tmp_path):
    plan = _foreign_sg_plan(tmp_path, "shop")
    r = byside("check", "--plan", str(plan), "--no-checkov", "--format", "json")
    notice = ("note: 1 stack(s) of another project than byside (shop/dev): judged by the zone-independent policies "
              "only (no zone of zones/ applies; network-no-world-ingress advisory)")
    assert r.stderr.splitlines()[0] == notice
    doc = json.loads(r.stdout)
    assert (doc["foreign"], doc["notes"][0], doc["projects"]) == (
        [{"source": "shop.json", "project": "shop", "stack": "dev"}], notice, ["shop"])  # no absolute paths
    # World ingress is advisory there (exit 0), and no zone-aware policy ran on it despite `zone: we1`.
    assert r.returncode == 0
    assert {(v["policy"], v["enforcement"]) for v in doc["violations"]} == {("network-no-world-ingress", "advisory")}
    r = byside("check", "--plan", str(plan), "--no-checkov", "--format", "sarif")
    notes = json.loads(r.stdout)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notes == [{"level": "note", "message": {"text": notice}}]


def test_the_same_world_open_group_in_this_project_is_mandatory(tmp_path):
    plan = _foreign_sg_plan(tmp_path, "byside")
    result = gate.check([plan], use_checkov=False)
    assert ("network-no-world-ingress", "mandatory") in {(v.policy, v.enforcement) for v in result.violations}
    assert result.foreign == [] and result.notes == []


# ------------------------------------------------------------------ size


def test_a_plan_past_the_old_limit_is_judged_through_the_served_pack_with_a_small_bound():
    # The old gate sent every Analyze at once under one deadline: about 1,300 resources ended in
    # CANCELLED. 1,600 resources with at most 3 calls in flight, each with its own deadline.
    tags = {"zone": "we1", "owner": "platform-sre", "data-classification": "confidential"}
    resources = [Resource(f"urn:pulumi:we1::byside::aws:sns/topic:Topic::t{i:04d}", "aws:sns/topic:Topic",
                          {"name": f"t{i:04d}", "tags": tags}) for i in range(1600)]
    resources[7].inputs = {"name": "t0007"}  # untagged: one violation among them
    plan = Plan("big.json", "we1", resources, format="synthetic")
    result = gate.check(plans=[plan], use_checkov=False, in_flight=3)
    assert result.resources == 1600
    assert [(v.policy, v.urn.rsplit("::", 1)[-1]) for v in result.violations] == [("tags-required", "t0007")]
