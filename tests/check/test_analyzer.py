"""The analyzer client against a real pack process: started as the engine starts a Python
analyzer (`python -m pulumi.policy <engine> .` in the pack folder), queried over gRPC."""

import pytest

from byside.check.analyzer import Analyzer, AnalyzerError, policy_defaults
from byside.check.model import Resource
from byside.check.plans import read_plan_file

from .conftest import PLANS, TESTPACK

BUCKET = "aws:s3/bucket:Bucket"
U = "urn:pulumi:we1::byside::aws:s3/bucket:Bucket::"


@pytest.fixture(scope="module")
def analyzer():
    a = Analyzer(TESTPACK, "we1").start()
    a.configure_stack()
    yield a
    a.close()
    assert a.proc.returncode == 0  # shut down cleanly (SIGINT, as the serve loop expects)


def _diags(a, resources):
    return [(d.policy, d.enforcement, d.severity, d.urn, d.message) for d in a.analyze(resources)]


def test_info_announces_the_packs_policies_levels_and_schemas(analyzer):
    info = analyzer.info()
    assert info.name == "testpack"
    assert policy_defaults(info) == {
        "test-no-public-bucket": {"enforcementLevel": "mandatory", "severity": "high", "required": [],
                                  "schema": {"bannedAcls": {"type": "array", "items": {"type": "string"}}}},
        "test-bucket-budget": {"enforcementLevel": "advisory", "severity": "low", "required": [],
                               "schema": {"limit": {"type": "integer"}}},
    }


def test_analyze_and_analyze_stack_diagnostics_with_urns(analyzer):
    analyzer.configure({"test-no-public-bucket": {"enforcementLevel": "mandatory"},
                        "test-bucket-budget": {"enforcementLevel": "advisory"}})
    resources = [
        Resource(U + "b1", BUCKET, {"acl": "public-read"}),
        Resource(U + "b2", BUCKET, {"acl": "private", "versioning": {"enabled": True}}, dependencies=[U + "b1"]),
        Resource(U + "b3", BUCKET, {"acl": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"}, dependencies=[U + "b1"]),
    ]
    assert _diags(analyzer, resources) == [
        ("test-no-public-bucket", "mandatory", "high", U + "b1", "No public bucket ACL.\nacl is public-read"),
        # An unknown value: the engine's own "can't run policy" advisory, attached to the resource.
        ("test-no-public-bucket", "advisory", "", U + "b3",
         "can't run policy 'test-no-public-bucket' from policy pack 'testpack@v0.0.1' during preview: "
         "string value at .acl can't be known during preview"),
        ("test-bucket-budget", "advisory", "low", "", "Few buckets.\n3 buckets (limit 2)"),
        ("test-bucket-budget", "advisory", "low", U + "b1", "Few buckets.\nbucket without versioning and no dependencies"),
    ]


def test_configure_overrides_levels_and_properties(analyzer):
    try:
        analyzer.configure({"test-no-public-bucket": {"enforcementLevel": "advisory", "bannedAcls": ["private"]},
                            "test-bucket-budget": {"enforcementLevel": "disabled"}})
        resources = [Resource(U + "b1", BUCKET, {"acl": "public-read"}), Resource(U + "b2", BUCKET, {"acl": "private"})]
        assert _diags(analyzer, resources) == [
            ("test-no-public-bucket", "advisory", "high", U + "b2", "No public bucket ACL.\nacl is private")]
    finally:
        analyzer.configure({"test-no-public-bucket": {"enforcementLevel": "mandatory"},
                            "test-bucket-budget": {"enforcementLevel": "advisory"}})


def test_stack_export_resources_with_provider_and_dependencies(analyzer):
    [plan] = read_plan_file(PLANS / "stack-export.json")
    buckets = [r for r in plan.resources if r.type != "aws:ec2/vpnConnection:VpnConnection"]
    assert _diags(analyzer, buckets) == [
        ("test-no-public-bucket", "mandatory", "high", "urn:pulumi:we2::byside::aws:s3/bucket:Bucket::public-assets",
         "No public bucket ACL.\nacl is public-read"),
        ("test-bucket-budget", "advisory", "low", "urn:pulumi:we2::byside::aws:s3/bucket:Bucket::public-assets",
         "Few buckets.\nbucket without versioning and no dependencies"),
    ]


def test_a_stock_pack_cannot_read_plan_secrets_and_the_gate_says_so(tmp_path):
    # Plans keep secrets encrypted; stock pulumi_policy wants the plaintext `value` the engine would
    # send. The byside pack reads ciphertext-only envelopes (policies/wire.py); a stock pack fails
    # loudly, naming the resource, instead of being fed a made-up value.
    [plan] = read_plan_file(PLANS / "stack-export.json")
    vpn = [r for r in plan.resources if r.type == "aws:ec2/vpnConnection:VpnConnection"]
    main = (TESTPACK / "__main__.py").read_text().splitlines()
    (tmp_path / "__main__.py").write_text("\n".join(line for line in main if "# STOCK" not in line))
    with Analyzer(tmp_path, "we2") as stock, pytest.raises(AnalyzerError) as e:
        stock.analyze(vpn)
    assert ("Analyze(urn:pulumi:we2::byside::aws:ec2/vpnConnection:VpnConnection::dc-lis-vpn) failed: UNKNOWN: "
            "Exception calling application: Invalid secret encountered when unmarshaling resource property") in str(e.value)
    assert "FAKE-CIPHERTEXT" not in str(e.value)


def test_a_pack_that_cannot_start_is_an_error_naming_it(tmp_path):
    (tmp_path / "__main__.py").write_text("raise SystemExit('broken pack: missing dependency')\n")
    with Analyzer(tmp_path, "we1") as a, pytest.raises(AnalyzerError) as e:
        a.info()
    assert f"policy pack {tmp_path} (stack we1) exited with code 1" in str(e.value)
    assert "broken pack: missing dependency" in str(e.value)


def test_not_a_pack_folder(tmp_path):
    with pytest.raises(AnalyzerError, match="not a policy pack"):
        Analyzer(tmp_path, "we1").start()


def test_a_hung_pack_is_an_error_not_a_hang(tmp_path):
    (tmp_path / "__main__.py").write_text(
        "import time\n"
        "from pulumi_policy import PolicyPack, ResourceValidationPolicy\n"
        "PolicyPack(name='slow', policies=[ResourceValidationPolicy(name='slow', description='d',\n"
        "           validate=lambda args, report: time.sleep(4))])\n")
    a = Analyzer(tmp_path, "we1", timeout=2).start()
    try:
        with pytest.raises(AnalyzerError, match=r"Analyze\(urn:pulumi:we1::byside::t:m:T::r\) failed: DEADLINE_EXCEEDED"):
            a.analyze([Resource("urn:pulumi:we1::byside::t:m:T::r", "t:m:T", {})])
    finally:
        a.close()
    assert a.proc.returncode is not None


def test_a_pack_printing_something_else_than_its_port(tmp_path):
    (tmp_path / "__main__.py").write_text("print('hello from a chatty pack')\n")
    with Analyzer(tmp_path, "we1") as a, pytest.raises(AnalyzerError, match="printed 'hello from a chatty pack' instead of a port"):
        a.info()


def test_resource_options_and_provider_reach_the_pack(tmp_path):
    # A pack that reports what the engine's AnalyzerResourceOptions / provider told it.
    (tmp_path / "__main__.py").write_text(
        "from pulumi_policy import PolicyPack, ResourceValidationPolicy\n"
        "def v(args, report):\n"
        "    o = args.opts\n"
        "    report(f'protect={o.protect} ignore={list(o.ignore_changes)} create={o.custom_timeouts.create_seconds} '\n"
        "           f'secret={list(o.additional_secret_outputs)} parent={o.parent} '\n"
        "           f'provider={args.provider.resource_type if args.provider else None}:{dict(sorted(args.provider.props.items())) if args.provider else None}')\n"
        "PolicyPack(name='opts', policies=[ResourceValidationPolicy(name='opts', description='d', validate=v)])\n")
    [plan] = read_plan_file(PLANS / "stack-export.json")
    audit = [r for r in plan.resources if r.name in ("audit-logs", "default_7_10_0")]
    with Analyzer(tmp_path, "we2") as a:
        msgs = {d.urn.rsplit("::", 1)[-1]: d.message for d in a.analyze(audit)}
    assert msgs["audit-logs"] == (
        "d\nprotect=True ignore=['tags'] create=600.0 secret=['arn'] "
        "parent=urn:pulumi:we2::byside::pulumi:pulumi:Stack::byside-we2 provider=pulumi:providers:aws:"
        "{'region': 'eu-west-1', 'skipCredentialsValidation': 'false', 'version': '7.10.0'}")
    assert msgs["default_7_10_0"] == "d\nprotect=False ignore=[] create=0 secret=[] parent=None provider=None:None"
