"""The plan readers on every format and step kind the Pulumi CLI writes (tests/fixtures/pulumi/,
README there): what each resource is, in which state, from which step; what is not judged and why;
secrets sealed in every form; bad or unsupported input named (exit 2)."""

import gzip
import json

import pytest

from byside.check.plans import SECRET_SIG, SIG_KEY, parse_document, read_plan_file, with_state
from byside.console import BadInput
from tests.fixtures.pulumi import generate

from .conftest import ROOT

FIX = ROOT / "tests" / "fixtures" / "pulumi"
U = "urn:pulumi:we1::byside::"
VPC = U + "aws:ec2/vpc:Vpc::we1-vpc"
ADMIN = U + "aws:ec2/securityGroup:SecurityGroup::we1-admin"
SHARED = U + "aws:ec2/vpc:Vpc::shared-services-vpc"
VPN = U + "aws:ec2/vpnConnection:VpnConnection::we1-dc-lis-vpn"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
SSH_FROM_WORLD = [{"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["0.0.0.0/0"],
                   "description": "temporary admin access"}]


def one(name):
    [plan] = read_plan_file(FIX / name)
    return plan, {r.urn: r for r in plan.resources}


def test_the_committed_fixtures_are_what_the_generator_writes():
    assert sorted(generate.FILES) == sorted(p.name for p in FIX.iterdir() if p.suffix in (".json", ".jsonl"))
    for name, text in generate.FILES.items():
        assert (FIX / name).read_text() == text, name


# ------------------------------------------------------------------ state: exports and checkpoints


def test_export_v3_outputs_secrets_options_and_a_read():
    plan, by = one("stack-export-v3.json")
    assert (plan.format, plan.project, plan.stack, plan.complete) == ("pulumi stack export v3", "byside", "we1", True)
    vpn = by[VPN]
    assert vpn.inputs["tunnel1PresharedKey"] == {SIG_KEY: SECRET_SIG, "ciphertext": "FAKE-CIPHERTEXT-PLACEHOLDER"}
    assert vpn.outputs["customerGatewayConfiguration"] == {SIG_KEY: SECRET_SIG, "ciphertext": "FAKE-CIPHERTEXT-PLACEHOLDER"}
    assert vpn.additional_secret_outputs == ["customerGatewayConfiguration", "tunnel1PresharedKey", "tunnel2PresharedKey"]
    assert by[VPC].outputs["arn"] == "arn:aws:ec2:eu-west-1:210987654321:vpc/vpc-0a1b2c3d4e5f60718"
    assert "arn" not in by[VPC].inputs
    assert (by[SHARED].external, by[SHARED].managed, by[SHARED].in_stack) == (True, False, False)
    assert plan.skipped == [f"{SHARED} (external: read by the program, not managed by the stack; no policy judges "
                            "reads (as under the engine))"]


def test_export_v1_and_v2_migrate_as_pulumi_migrates_them():
    v1, by1 = one("stack-export-v1.json")
    v2, by2 = one("stack-export-v2.json")
    _, by3 = one("stack-export-v3.json")
    assert (v1.format, v2.format) == ("pulumi stack export v1", "pulumi stack export v2")
    # v1 `defaults` are dropped (migrate.UpToResourceV2); no provider references before v2.
    assert by1[VPC].inputs == by3[VPC].inputs and "tagsAll" not in by1[VPC].inputs
    assert by1[VPC].provider == "" and by2[VPC].provider == by3[VPC].provider
    # Without per-property dependencies, every input depends on every dependency (UpToResourceV3).
    flow = U + "aws:ec2/flowLog:FlowLog::we1-vpc-flow-log"
    assert by2[flow].property_dependencies == {k: [VPC] for k in by3[flow].inputs}
    assert by2[SHARED].external and SHARED not in by1


def test_export_v4_features_are_honoured():
    plan, by = one("stack-export-v4-features.json")
    assert plan.format == "pulumi stack export v4"
    view = U + "aws:ec2/vpc:Vpc$aws:ec2/routeTable:RouteTable::we1-vpc-main-route-table"
    assert (by[view].view_of, by[view].managed, by[view].in_stack) == (VPC, False, True)
    assert by[VPC].source_position == "project:///infra/aws_network.py#41,15"
    assert f"{view} (view of {VPC}: stack policies only)" in plan.skipped


@pytest.mark.parametrize("doc, message", [
    ({"version": 4, "features": ["refreshBeforeUpdate", "teleport"], "deployment": {}},
     "features: this deployment needs 'teleport', which neither the gate nor this Pulumi version knows (known: "
     "byteString, extensionParameterization, hooks, refreshBeforeUpdate, replaceWith, taint, views)"),
    ({"version": 4, "features": ["snippets-prototype"], "deployment": {}},
     "features: 'snippets-prototype' is not supported by the gate: snippet resources are a prototype whose meaning "
     "for policies is not defined"),
    ({"version": 3, "features": ["views"], "deployment": {}}, "features: only a version 4 deployment lists features"),
    ({"version": 5, "deployment": {}},
     "version: deployment version 5 is not supported (expected 1 to 4, as written by `pulumi stack export`)"),
    ({"version": 4, "features": ["views"], "checkpoint": {"latest": {"resources": "all"}}},
     "checkpoint.latest.resources: expected a list"),
])
def test_unsupported_deployments_are_rejected_by_name(doc, message):
    with pytest.raises(BadInput) as e:
        parse_document(doc, "x.json")
    assert str(e.value) == f"x.json: {message}"


def test_the_fixture_with_an_unknown_feature_is_rejected():
    with pytest.raises(BadInput, match="needs 'teleport'"):
        read_plan_file(FIX / "stack-export-v4-unknown-feature.json")


def test_a_file_backend_checkpoint_reads_as_the_export():
    chk, by = one("checkpoint-file-backend.json")
    _, exp = one("stack-export-v3.json")
    assert chk.format == "checkpoint v3"
    assert [r.__dict__ for r in by.values()] == [r.__dict__ for r in exp.values()]


def test_an_unversioned_checkpoint_reads_as_version_1(tmp_path):
    old = {"stack": "we1", "latest": {"resources": [
        {"urn": VPC, "custom": True, "type": "aws:ec2/vpc:Vpc", "inputs": {"cidrBlock": "10.11.0.0/16"},
         "defaults": {"enableDnsSupport": True}, "dependencies": []}]}}
    [plan] = parse_document(old, "we1.json")
    assert (plan.format, [r.inputs for r in plan.resources]) == ("checkpoint v1", [{"cidrBlock": "10.11.0.0/16"}])


def test_a_gzip_checkpoint_is_rejected_with_the_export_command(tmp_path):
    path = tmp_path / "we1.json.gz"
    path.write_bytes(gzip.compress((FIX / "checkpoint-file-backend.json").read_bytes()))
    with pytest.raises(BadInput) as e:
        read_plan_file(path)
    assert str(e.value) == (f"{path}: a gzip-compressed checkpoint (PULUMI_DIY_BACKEND_GZIP); export the stack instead: "
                            "`pulumi stack export --stack we1 --file we1.json`, and pass that file")


def test_pending_operations_and_pending_replacement_are_listed_not_judged():
    doc = {"version": 3, "deployment": {"resources": [
        {"urn": VPC, "custom": True, "type": "aws:ec2/vpc:Vpc", "pendingReplacement": True}],
        "pending_operations": [{"resource": {"urn": ADMIN, "type": "aws:ec2/securityGroup:SecurityGroup"},
                                "type": "creating"}]}}
    plans = parse_document(doc, "s.json")
    assert [r for p in plans for r in p.resources] == []
    assert sorted(s for p in plans for s in p.skipped) == [
        f"{ADMIN} (pending operation (creating) of an interrupted update: its outcome is unknown)",
        f"{VPC} (pending replacement (deleted before its replacement))"]


# ------------------------------------------------------------------ previews: the digest


def test_digest_with_sames_is_the_whole_stack_with_old_outputs_for_sames():
    plan, by = one("preview-show-sames.json")
    assert (plan.format, plan.complete, plan.missing_sames) == ("pulumi preview --json", True, 0)
    assert {r.op for r in plan.resources} == {"same", "read"}
    assert by[VPC].outputs["arn"].startswith("arn:aws:ec2:")  # SameStep keeps the old outputs
    assert by[VPN].inputs["tunnel1PresharedKey"] == {SIG_KEY: SECRET_SIG}  # the "[secret]" mask, sealed
    assert by[SHARED].external and by[SHARED].op == "read"
    assert plan.config == {"aws:region": "eu-west-1", "byside:zone": "we1"}


def test_digest_without_sames_is_a_fragment():
    plan, by = one("preview-changes-only.json")
    assert (plan.complete, plan.missing_sames, sorted(r.name for r in plan.resources)) == (
        False, 5, ["byside-we1", "shared-services-vpc", "we1-vpc"])
    assert by[VPC].op == "update" and by[VPC].outputs is None  # changed: outputs only after the provider's preview


@pytest.mark.parametrize("name", ["preview-replace.json", "preview-show-replacement-steps.json"])
def test_a_replacement_is_one_resource_in_its_new_state(name):
    plan, by = one(name)
    assert [r.urn for r in plan.resources].count(ADMIN) == 1
    admin = by[ADMIN]
    assert (admin.op, admin.inputs["name"], admin.inputs["ingress"]) == ("replace", "we1-admin-v2", SSH_FROM_WORLD)
    assert admin.managed and admin.outputs is None
    assert not any(s.startswith(ADMIN) for s in plan.skipped)  # delete-replaced does not unjudge it


def test_create_delete_and_discard_steps():
    _, by = one("preview-create.json")
    assert by[ADMIN].op == "create" and by[ADMIN].inputs["ingress"] == SSH_FROM_WORLD
    plan, by = one("preview-delete-discard.json")
    assert SHARED not in by and U + "aws:s3/bucket:Bucket::we1-old-artifacts" not in by
    assert plan.skipped == [f"{U}aws:s3/bucket:Bucket::we1-old-artifacts (delete)", f"{SHARED} (discard)"]


def test_an_unknown_step_is_bad_input():
    doc = {"steps": [{"op": "teleport", "urn": VPC, "newState": {"urn": VPC, "type": "aws:ec2/vpc:Vpc"}}]}
    with pytest.raises(BadInput, match=r"^p.json: steps\[0\].op: unknown step 'teleport' \(known: create, "):
        parse_document(doc, "p.json")


# ------------------------------------------------------------------ previews: engine events


def test_streamed_events_one_resource_per_urn_with_preview_outputs():
    plan, by = one("events-replace.jsonl")
    assert (plan.format, plan.complete) == ("engine events", True)
    admin = by[ADMIN]
    assert (admin.op, admin.inputs["ingress"]) == ("replace", SSH_FROM_WORLD)
    assert admin.outputs["id"] == UNKNOWN and admin.outputs["arn"] == UNKNOWN  # unknown on a preview
    assert by[VPN].inputs["tunnel1PresharedKey"] == {SIG_KEY: SECRET_SIG, "ciphertext": "[secret]"}  # blinded
    assert by[VPC].custom and not by[U[:-2] + "::pulumi:pulumi:Stack::byside-we1"].custom
    assert plan.config == {"aws:region": "eu-west-1", "byside:zone": "we1"}


def test_an_event_log_of_an_update_keeps_internal_default_provider_steps():
    plan, by = one("event-log-up.jsonl")
    assert by["urn:pulumi:we1::byside::pulumi:providers:aws::default_7_51_1"].op == "same"
    assert by[ADMIN].op == "create" and by[ADMIN].outputs["id"] == "sg-0c1c2c3c4c5c6c7c8"


# ------------------------------------------------------------------ fragments + state, secrets


def test_a_fragment_with_the_state_is_the_whole_stack_after_the_change():
    [fragment] = read_plan_file(FIX / "preview-changes-only.json")
    [state] = read_plan_file(FIX / "stack-export-v3.json")
    [after] = read_plan_file(FIX / "stack-export-v3-after-tag-change.json")
    whole = with_state(fragment, state)
    assert whole.complete and whole.format == "pulumi preview --json + --state (pulumi stack export v3)"
    assert sorted(r.urn for r in whole.resources) == sorted(r.urn for r in after.resources)
    by = {r.urn: r for r in whole.resources}
    assert by[VPC].inputs == {r.urn: r for r in after.resources}[VPC].inputs
    assert by[ADMIN].op == "same" and by[ADMIN].outputs == {r.urn: r for r in state.resources}[ADMIN].outputs


def test_a_state_of_another_stack_is_bad_input():
    [fragment] = read_plan_file(FIX / "preview-changes-only.json")
    [state] = parse_document(json.loads((FIX / "stack-export-v3.json").read_text().replace(
        "urn:pulumi:we1::", "urn:pulumi:we2::")), "we2-state.json")
    with pytest.raises(BadInput, match="^we2-state.json: --state holds stack byside/we2, not byside/we1 of "):
        with_state(fragment, state)


@pytest.mark.parametrize("name", sorted(generate.FILES))
def test_secrets_stay_sealed_in_every_form(name):
    if "unknown-feature" in name:
        return
    for plan in read_plan_file(FIX / name):
        for r in plan.resources:
            for where in (r.inputs, r.outputs or {}):
                text = json.dumps(where)
                assert "plaintext" not in text
                if r.urn == VPN:
                    value = where.get("tunnel1PresharedKey") or where.get("customerGatewayConfiguration")
                    assert value is None or value.get(SIG_KEY) == SECRET_SIG, (name, where)


def test_a_plaintext_secret_from_show_secrets_is_dropped_from_its_envelope():
    doc = {"version": 3, "deployment": {"resources": [{"urn": VPN, "type": "aws:ec2/vpnConnection:VpnConnection",
           "inputs": {"tunnel1PresharedKey": {SIG_KEY: SECRET_SIG, "plaintext": "\"FAKE-PSK-PLACEHOLDER\""}}}]}}
    [plan] = parse_document(doc, "shown.json")
    assert plan.resources[0].inputs == {"tunnel1PresharedKey": {SIG_KEY: SECRET_SIG}}
