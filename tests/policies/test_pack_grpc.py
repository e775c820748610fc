"""The pack served as the engine serves it: start policies/__main__.py, read its port, and talk the
Analyzer gRPC protocol (pulumi.runtime.proto) — what `pulumi preview --policy-pack` and the
`byside check` gate both do."""

import json
import subprocess
import sys
from pathlib import Path

import grpc
import pytest
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.proto import analyzer_pb2 as pb
from pulumi.runtime.proto import analyzer_pb2_grpc as pb_grpc

from policies.metadata import METADATA

from .harness import load

ROOT = Path(__file__).resolve().parents[2]
SEVERITY = {"low": pb.POLICY_SEVERITY_LOW, "medium": pb.POLICY_SEVERITY_MEDIUM, "high": pb.POLICY_SEVERITY_HIGH,
            "critical": pb.POLICY_SEVERITY_CRITICAL}


def _start(argv):
    return subprocess.Popen([sys.executable, "-u", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=ROOT / "policies")


def test_pack_starts_as_a_plain_script_too():
    proc = _start([str(ROOT / "policies" / "__main__.py")])
    try:
        assert int(proc.stdout.readline().decode().strip()) > 0
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def analyzer():
    # As the engine starts a Python pack: `python -u -m pulumi.policy <engine address> .` in the
    # pack folder (pulumi-analyzer-policy-python); the pack never dials the engine back.
    proc = _start(["-m", "pulumi.policy", "127.0.0.1:1", "."])
    try:
        port = int(proc.stdout.readline().decode().strip())
        channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        grpc.channel_ready_future(channel).result(timeout=30)
        yield pb_grpc.AnalyzerStub(channel)
        channel.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _struct(d: dict) -> struct_pb2.Struct:
    s = struct_pb2.Struct()
    s.update(d)
    return s


def _request(res: dict) -> pb.AnalyzeRequest:
    return pb.AnalyzeRequest(type=res["type"], urn=res["urn"], name=res["name"], properties=_struct(res["inputs"]))


def _stack(resources: list[dict]) -> pb.AnalyzeStackRequest:
    return pb.AnalyzeStackRequest(resources=[
        pb.AnalyzerResource(type=r["type"], urn=r["urn"], name=r["name"], properties=_struct(r["inputs"]),
                            dependencies=r.get("dependencies", []),
                            propertyDependencies={k: pb.AnalyzerPropertyDependencies(urns=v)
                                                  for k, v in r.get("propertyDependencies", {}).items()})
        for r in resources])


def _by_name(resources, name):
    return next(r for r in resources if r["name"] == name)


def test_analyzer_info_lists_every_policy_with_its_metadata(analyzer):
    info = analyzer.GetAnalyzerInfo(empty_pb2.Empty())
    assert info.name == "byside" and info.supportsConfig
    assert [p.name for p in info.policies] == list(METADATA)
    for p in info.policies:
        m = METADATA[p.name]
        assert p.enforcementLevel == pb.MANDATORY
        assert p.severity == SEVERITY[m.severity]
        assert p.policy_type == (pb.POLICY_TYPE_STACK if m.kind == "stack" else pb.POLICY_TYPE_RESOURCE)
        assert (p.description, p.remediation_steps, p.framework.specification) == (m.description, m.remediation, m.clause)
    admin = next(p for p in info.policies if p.name == "network-no-public-admin-ingress")
    assert "adminPorts" in admin.configSchema.properties


def test_analyze_reports_plain_text_psk_and_accepts_ciphertext_only_secrets(analyzer):
    failing = _by_name(load("secrets-not-plaintext", "fail"), "plain-text-psk")
    diags = analyzer.Analyze(_request(failing)).diagnostics
    secrets = [d for d in diags if d.policyName == "secrets-not-plaintext"]
    desc = METADATA["secrets-not-plaintext"].description
    assert [d.message for d in secrets] == [
        f"{desc}\ninput tunnel1PresharedKey is plain text: make it a secret (config.require_secret / pulumi.Output.secret)",
        f"{desc}\ninput tunnel2PresharedKey is plain text: make it a secret (config.require_secret / pulumi.Output.secret)"]
    assert all(d.enforcementLevel == pb.MANDATORY and d.severity == pb.POLICY_SEVERITY_CRITICAL for d in secrets)
    assert "FAKE-PSK" not in str(diags)
    # The passing VPN carries Pulumi's secret envelope with ciphertext only: stock pulumi_policy
    # would fail to deserialize it; the pack keeps it as a secret marker and finds nothing.
    passing = _by_name(load("vpn-strong-crypto", "pass"), "we1-dc-lis-vpn")
    assert list(analyzer.Analyze(_request(passing)).diagnostics) == []


def test_analyze_stack_reports_with_urns(analyzer):
    resources = load("network-default-deny", "fail")
    diags = [d for d in analyzer.AnalyzeStack(_stack(resources)).diagnostics if d.policyName == "network-default-deny"]
    assert sorted(d.urn.rsplit("::", 1)[-1] for d in diags) == ["net-without-deny-all", "open-default-group",
                                                               "vpc-without-default-group"]


def test_unknown_value_is_reported_as_advisory_cannot_judge(analyzer):
    role = {"type": "aws:iam/role:Role", "urn": "urn:pulumi:we1::byside::aws:iam/role:Role::computed-trust",
            "name": "computed-trust", "inputs": {"assumeRolePolicy": "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
                                                 "tags": {"zone": "we1", "owner": "platform-sre",
                                                          "data-classification": "confidential"}}}
    diags = list(analyzer.Analyze(_request(role)).diagnostics)
    assert [(d.policyName, d.enforcementLevel, d.message) for d in diags] == [
        ("iam-mfa-required-to-assume", pb.ADVISORY,
         "can't run policy 'iam-mfa-required-to-assume' from policy pack 'byside@v0.0.1' during preview: "
         "string value at .assumeRolePolicy can't be known during preview")]


def test_stack_config_file_configures_the_served_pack(analyzer, tmp_path):
    from byside.check.policy_config import load_stack_config
    from policies.pack_config import configure_request

    (tmp_path / "we2.json").write_text(json.dumps({"tags-required": "disabled"}))
    sg = _by_name(load("tags-required", "fail"), "untagged-sg")
    try:
        analyzer.Configure(configure_request(load_stack_config("we2", tmp_path)))
        assert [d for d in analyzer.Analyze(_request(sg)).diagnostics if d.policyName == "tags-required"] == []
    finally:
        analyzer.Configure(pb.ConfigureAnalyzerRequest(policyConfig={}))


def test_configure_overrides_enforcement_and_config_per_stack(analyzer):
    sg = _by_name(load("tags-required", "fail"), "untagged-sg")
    open_sg = {"type": "aws:ec2/securityGroup:SecurityGroup", "urn": "urn:pulumi:we1::byside::x::https-open",
               "name": "https-open", "inputs": {"tags": {"zone": "we1", "owner": "platform-sre", "data-classification": "confidential"},
                                                "ingress": [{"protocol": "tcp", "fromPort": 8443, "toPort": 8443, "cidrBlocks": ["0.0.0.0/0"]}]}}
    try:
        analyzer.Configure(pb.ConfigureAnalyzerRequest(policyConfig={
            "tags-required": pb.PolicyConfig(enforcementLevel=pb.ADVISORY, properties=_struct({"requiredTags": ["service"]})),
            "network-no-public-admin-ingress": pb.PolicyConfig(enforcementLevel=pb.MANDATORY, properties=_struct({"adminPorts": [8443]})),
        }))
        tags = [d for d in analyzer.Analyze(_request(sg)).diagnostics if d.policyName == "tags-required"]
        assert [(d.enforcementLevel, d.message.split("\n")[1]) for d in tags] == [
            (pb.ADVISORY, "tags missing: zone, owner, data-classification, service")]
        admin = [d.message.split("\n")[1] for d in analyzer.Analyze(_request(open_sg)).diagnostics
                 if d.policyName == "network-no-public-admin-ingress"]
        assert admin == ["ingress[0] allows tcp/8443 from 0.0.0.0/0: exposes admin (8443)"]
    finally:
        analyzer.Configure(pb.ConfigureAnalyzerRequest(policyConfig={}))
    tags = [d for d in analyzer.Analyze(_request(sg)).diagnostics if d.policyName == "tags-required"]
    assert [d.enforcementLevel for d in tags] == [pb.MANDATORY]
