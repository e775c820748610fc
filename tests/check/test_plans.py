"""Plan readers: `pulumi stack export` and `pulumi preview --json` (hand-made to Pulumi's formats),
format detection, and bad input naming the file (exit 2, nothing written)."""

import json

import pytest

from byside.check.model import zone_of
from byside.check.plans import SECRET_SIG, SIG_KEY, parse_document, read_plan_file
from byside.console import BadInput

from .conftest import PLANS, byside

PROVIDER = "urn:pulumi:we2::byside::pulumi:providers:aws::default_7_10_0"


def test_stack_export_reads_every_live_resource_and_skips_pending_deletes():
    [plan] = read_plan_file(PLANS / "stack-export.json")
    assert plan.stack == "we2" and plan.source.endswith("stack-export.json")
    assert [(r.type, r.name) for r in plan.resources] == [
        ("pulumi:pulumi:Stack", "byside-we2"), ("pulumi:providers:aws", "default_7_10_0"),
        ("aws:s3/bucket:Bucket", "public-assets"), ("aws:s3/bucket:Bucket", "audit-logs"),
        ("aws:ec2/vpnConnection:VpnConnection", "dc-lis-vpn")]
    assert plan.skipped == ["urn:pulumi:we2::byside::aws:s3/bucket:Bucket::old-public-assets (pending deletion)"]
    root, provider, public, audit, vpn = plan.resources
    assert (root.custom, root.inputs) == (False, {})
    assert public.inputs == {"acl": "public-read", "tags": {"zone": "we2", "owner": "platform-sre"}}
    assert public.parent == "urn:pulumi:we2::byside::pulumi:pulumi:Stack::byside-we2"
    assert public.provider == PROVIDER + "::3b2f8f5e-6a1c-4a52-9d0e-2f1b8a7c6d5e"
    assert audit.dependencies == ["urn:pulumi:we2::byside::aws:s3/bucket:Bucket::public-assets"]
    assert audit.property_dependencies == {"acl": [], "versioning": []}
    assert (audit.protect, audit.ignore_changes, audit.custom_timeouts, audit.additional_secret_outputs) == (
        True, ["tags"], {"create": 600.0, "delete": 120.0}, ["arn"])
    # The secret stays Pulumi's envelope; nothing is decrypted.
    assert vpn.inputs["tunnel1PreSharedKey"] == {SIG_KEY: SECRET_SIG, "ciphertext": "FAKE-CIPHERTEXT-PLACEHOLDER"}
    # Zone: in this project's stacks the stack is the zone (a `zone: sa1` tag is zone-declared's
    # violation, not a move to another zone).
    assert [r.zone for r in plan.resources] == ["we2", "we2", "we2", "we2", "we2"]


def test_preview_json_reads_new_states_masks_secrets_and_skips_deletes():
    [plan] = read_plan_file(PLANS / "preview.json")
    assert plan.stack == "sa1"
    assert [r.name for r in plan.resources] == ["byside-sa1", "customer-uploads", "dc-sao-vpn"]
    assert plan.skipped == ["urn:pulumi:sa1::byside::aws:s3/bucket:Bucket::legacy-public (delete)"]
    uploads, vpn = plan.resources[1:]
    assert uploads.inputs["acl"] == "public-read-write"
    assert uploads.provider.endswith("::04da6b54-80e4-46f7-96ec-b56ff0331ba9")
    # newState (not oldState) is judged; `[secret]` becomes a secret envelope without a value.
    assert vpn.inputs == {"type": "ipsec.1", "tunnel1PreSharedKey": {SIG_KEY: SECRET_SIG}, "tunnel1IkeVersions": ["ikev2"]}
    assert vpn.dependencies == ["urn:pulumi:sa1::byside::aws:s3/bucket:Bucket::customer-uploads"]


def test_streamed_preview_events_are_read_from_resource_pre_events():
    [plan] = read_plan_file(PLANS / "preview-events.jsonl")
    assert plan.stack == "we1"
    assert [(r.name, r.type) for r in plan.resources] == [
        ("byside-we1", "pulumi:pulumi:Stack"), ("press-kit", "aws:s3/bucket:Bucket"),
        ("dc-lis-vpn", "aws:ec2/vpnConnection:VpnConnection")]
    assert plan.skipped == ["urn:pulumi:we1::byside::aws:s3/bucket:Bucket::old-press-kit (delete)"]
    root, press, vpn = plan.resources
    assert (root.custom, press.custom) == (False, True)
    assert press.inputs == {"acl": "public-read", "tags": {"zone": "we1"}}
    assert press.parent == "urn:pulumi:we1::byside::pulumi:pulumi:Stack::byside-we1"
    assert vpn.inputs == {"tunnel1PreSharedKey": {SIG_KEY: SECRET_SIG}, "type": "ipsec.1"}


def test_byside_preview_output_is_read_as_a_stack_export_and_split_by_stack():
    doc = {"version": 3, "deployment": {"resources": [
        {"urn": "urn:pulumi:we1::byside::aws:s3/bucket:Bucket::a", "type": "aws:s3/bucket:Bucket", "inputs": {}},
        {"urn": "urn:pulumi:sa1::byside::aws:s3/bucket:Bucket::b", "type": "aws:s3/bucket:Bucket", "inputs": {}}]}}
    plans = parse_document(doc, "preview:all")
    assert [(p.stack, [r.name for r in p.resources]) for p in plans] == [("sa1", ["b"]), ("we1", ["a"])]


def test_zone_is_the_stack_here_and_the_tag_or_stack_in_other_projects():
    assert zone_of("urn:pulumi:we1::byside::gcp:compute/network:Network::n", {"labels": {"zone": "we2"}}) == "we1"
    assert zone_of("urn:pulumi:dev::shop::gcp:compute/network:Network::n", {"labels": {"zone": "eu"}}) == "eu"
    assert zone_of("urn:pulumi:zz9::shop::gcp:compute/network:Network::n", {"labels": {"owner": "x"}}) == "zz9"


@pytest.mark.parametrize("text, message", [
    ('{"version": 3, "deployment": {"resources": [}', ":1:45: not valid JSON: Expecting value"),
    ('{\n  "steps": [\n    {"op": "create",,}\n  ]\n}', ":3:21: not valid JSON: Expecting property name enclosed in double quotes"),
    ('', ": empty file; expected `pulumi preview --json`, `pulumi stack export`, a Pulumi checkpoint file or "
         "`byside preview` output"),
    ('{"resources": []}', ": not `pulumi preview --json`, `pulumi stack export`, a Pulumi checkpoint file or `byside "
                          "preview` output (expected `version` + `deployment`, `checkpoint`, or `steps`); got object "
                          "with keys ['resources']"),
    ('[1, 2]', ": not `pulumi preview --json`, `pulumi stack export`, a Pulumi checkpoint file or `byside preview` "
               "output (expected `version` + `deployment`, `checkpoint`, or `steps`); got list"),
    ('{"version": 0, "deployment": {}}', ": version: deployment version 0 is not supported (expected 1 to 4, "
                                         "as written by `pulumi stack export`)"),
    ('{"version": 3, "deployment": {"resources": [{"type": "aws:s3/bucket:Bucket"}]}}',
     ": deployment.resources[0].urn: missing or not a string"),
    ('{"version": 3, "deployment": {"resources": [{"urn": "bucket-1", "type": "aws:s3/bucket:Bucket"}]}}',
     ": deployment.resources[0].urn: 'bucket-1' is not a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>)"),
    ('{"steps": [{"op": "create", "urn": "urn:pulumi:a::b::c:d:E::n", "newState": {"urn": "urn:pulumi:a::b::c:d:E::n", '
     '"type": "c:d:E", "inputs": []}}]}', ": steps[0].newState.inputs: expected an object"),
    ('{"steps": [{"urn": "x"}]}', ": steps[0]: expected a step object with an `op`"),
    ('{"sequence": 0, "cancelEvent": {}}\n{"sequence": 1, "resourcePreEvent": {"metadata": {"op": "create",\n',
     ":2:66: not valid JSON: Expecting property name enclosed in double quotes"),
    ('{"sequence": 0, "cancelEvent": {}}\n{"seq": 1}\n', ":2: not a Pulumi engine event (no `sequence`)"),
])
def test_bad_plan_is_bad_input_naming_the_file(tmp_path, text, message):
    path = tmp_path / "plan.json"
    path.write_text(text)
    with pytest.raises(BadInput) as e:
        read_plan_file(path)
    assert str(e.value) == f"{path}{message}"


def test_cli_exits_2_on_malformed_plan_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"steps": [\n  {"op": "create"\n')
    out = tmp_path / "build" / "check.sarif"
    r = byside("check", "--plan", str(bad), "--no-checkov", "--format", "sarif", "--out", str(out))
    assert r.returncode == 2
    assert f"{bad}:3:1: not valid JSON" in r.stderr
    assert not out.exists() and not out.parent.exists()


def test_cli_exits_2_on_missing_plan_and_unknown_format(tmp_path):
    r = byside("check", "--plan", str(tmp_path / "nope.json"), "--no-checkov")
    assert (r.returncode, r.stderr.strip()) == (2, f"error: {tmp_path / 'nope.json'}: no such plan file")
    r = byside("check", "--plan", str(PLANS / "preview.json"), "--no-checkov", "--format", "xml")
    assert r.returncode == 2  # a usage error, rejected by the option's declared choices
    assert "'xml' is not one of 'text', 'json', 'sarif', 'junit'." in " ".join(r.stderr.replace("│", " ").split())


def test_duplicate_urn_is_bad_input(tmp_path):
    res = {"urn": "urn:pulumi:we1::byside::aws:s3/bucket:Bucket::a", "type": "aws:s3/bucket:Bucket"}
    p = tmp_path / "dup.json"
    p.write_text(json.dumps({"version": 3, "deployment": {"resources": [res, res]}}))
    with pytest.raises(BadInput, match="resource urn:pulumi:we1::byside::aws:s3/bucket:Bucket::a appears twice"):
        read_plan_file(p)
