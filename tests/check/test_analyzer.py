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


# ------------------------------------------------------------------ as the language host starts it

REPORTER = '''
import json, os
from pulumi_policy import PolicyPack, StackValidationPolicy
def v(args, report):
    argv = open("/proc/self/cmdline", "rb").read().split(b"\\0")[:-1]
    env = {k: os.environ.get(k) for k in ("PULUMI_ORGANIZATION", "PULUMI_PROJECT", "PULUMI_STACK", "PULUMI_DRY_RUN",
                                          "PULUMI_CONFIG", "VIRTUAL_ENV", "PYTHONHOME")}
    report(json.dumps({"argv": [a.decode() for a in argv], "cwd": os.getcwd(), "env": env,
                       "path0": os.environ["PATH"].split(os.pathsep)[0]}))
PolicyPack(name="reporter", policies=[StackValidationPolicy(name="reporter", description="d", validate=v)])
'''


def test_the_pack_process_gets_the_argv_cwd_and_environment_the_engine_gives(tmp_path, monkeypatch):
    import json
    import sys
    from pathlib import Path

    from byside.check import gate
    from byside.check.model import Plan

    venv = Path(sys.executable).parent.parent  # the project's .venv, named by the pack's PulumiPolicy.yaml
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "__main__.py").write_text(REPORTER)
    (pack / "PulumiPolicy.yaml").write_text(f"runtime:\n  name: python\n  options:\n    virtualenv: {venv}\n")
    monkeypatch.setenv("PULUMI_STACK", "not-this-one")  # the caller's own values never leak through
    monkeypatch.setenv("PYTHONHOME", "/nowhere")
    plan = Plan("p.json", "we1", [Resource(U + "b1", BUCKET, {})], project="byside",
                config={"aws:region": "eu-west-1", "byside:zone": "we1"})
    with gate.new_analyzer(pack, plan) as a:
        a.configure_stack()
        [d] = a.analyze(plan.resources)
    seen = json.loads(d.message.split("\n", 1)[1])
    assert seen["argv"] == [str(venv / "bin" / "python"), "-u", "-m", "pulumi.policy", "127.0.0.1:0", str(pack)]
    assert seen["cwd"] == str(pack)
    assert seen["env"] == {"PULUMI_ORGANIZATION": "organization", "PULUMI_PROJECT": "byside", "PULUMI_STACK": "we1",
                           "PULUMI_DRY_RUN": "true", "PULUMI_CONFIG": '{"aws:region": "eu-west-1", "byside:zone": "we1"}',
                           "VIRTUAL_ENV": str(venv), "PYTHONHOME": None}
    assert seen["path0"] == str(venv / "bin")


def test_this_projects_stacks_get_their_config_from_the_stack_file():
    from byside.check import gate
    from byside.check.model import Plan

    assert gate.stack_config_values(Plan("p", "we1", [], project="byside")) == ({"byside:zone": "we1"}, [])
    assert gate.stack_config_values(Plan("p", "dev", [], project="shop")) == ({}, [])
    assert gate.stack_config_values(Plan("p", "we1", [], config={"app:key": "[secret]", "aws:region": "x"})) == (
        {"app:key": "[secret]", "aws:region": "x"}, ["app:key"])


# ------------------------------------------------------------------ bounded in flight, per-call deadlines

COUNTER = '''
import threading, time
from pulumi_policy import PolicyPack, ResourceValidationPolicy, StackValidationPolicy
lock, now, peak = threading.Lock(), [0], [0]
def slow(args, report):
    with lock:
        now[0] += 1
        peak[0] = max(peak[0], now[0])
    time.sleep(0.02)
    with lock:
        now[0] -= 1
def stack(args, report):
    report(f"peak {peak[0]} of {len(args.resources)}")
PolicyPack(name="counter", policies=[ResourceValidationPolicy(name="slow", description="d", validate=slow),
                                     StackValidationPolicy(name="peak", description="d", validate=stack)])
'''


def test_analyze_calls_in_flight_are_bounded(tmp_path):
    # The pack's server has 4 threads: with every call in flight at once it would run 4 at a time.
    (tmp_path / "__main__.py").write_text(COUNTER)
    resources = [Resource(f"{U}b{i}", BUCKET, {}) for i in range(40)]
    peaks = {}
    for bound in (2, 8):
        with Analyzer(tmp_path, "we1", in_flight=bound) as a:
            [d] = [d for d in a.analyze(resources) if d.policy == "peak"]
        peaks[bound] = d.message.split("\n")[-1]
    assert peaks[2] == "peak 2 of 40"
    assert peaks[8] == "peak 4 of 40"  # the bound, not the client, limited it before


def test_each_call_has_its_own_deadline_not_the_batch(tmp_path):
    # 30 calls of 0.02 s each in a row take longer than one call's deadline (0.4 s): fine, each
    # call gets its own; a batch deadline would have cancelled the later ones (the old CANCELLED).
    (tmp_path / "__main__.py").write_text(COUNTER)
    resources = [Resource(f"{U}b{i}", BUCKET, {}) for i in range(30)]
    with Analyzer(tmp_path, "we1", timeout=0.4, in_flight=1) as a:
        a.info()
        diags = a.analyze(resources)
    assert [d.message.split("\n")[-1] for d in diags] == ["peak 1 of 30"]


# ------------------------------------------------------------------ what Analyze and AnalyzeStack receive

ECHO = '''
import json, sys
sys.path.insert(0, {repo!r})
from policies import wire  # plan secrets are ciphertext-only envelopes, as for the byside pack
wire.install()
from pulumi_policy import PolicyPack, ResourceValidationPolicy, StackValidationPolicy
def res(args, report):
    if args.urn.endswith("::we1-admin") or args.urn.endswith("::we1-vpc"):
        report("analyze " + json.dumps(sorted(k for k in args.props)))
def stack(args, report):
    for r in args.resources:
        if r.urn.endswith("::we1-admin") or r.urn.endswith("::we1-vpc"):
            report("stack " + json.dumps(sorted(k for k in r.props)), r.urn)
    report("urns " + json.dumps(sorted(r.name for r in args.resources)))
PolicyPack(name="echo", policies=[ResourceValidationPolicy(name="res", description="d", validate=res),
                                  StackValidationPolicy(name="stack", description="d", validate=stack)])
'''


def test_analyze_gets_inputs_and_analyze_stack_outputs_where_the_plan_has_them(tmp_path):
    import json

    from .test_formats import FIX

    from .conftest import ROOT

    (tmp_path / "__main__.py").write_text(ECHO.replace("{repo!r}", repr(str(ROOT))))
    seen = {}
    for name in ("stack-export-v3.json", "preview-replace.json", "events-replace.jsonl"):
        [plan] = read_plan_file(FIX / name)
        with Analyzer(tmp_path, "we1") as a:
            for d in a.analyze(plan.resources):
                kind, _, body = d.message.split("\n")[-1].partition(" ")
                seen[(name, kind, d.urn.rsplit("::", 1)[-1])] = json.loads(body)
    # Analyze: the inputs after Check (no output-only `arn`), in every format.
    for name in ("stack-export-v3.json", "preview-replace.json", "events-replace.jsonl"):
        assert "arn" not in seen[(name, "analyze", "we1-admin")] and "arn" not in seen[(name, "analyze", "we1-vpc")]
    # AnalyzeStack: the outputs — recorded in the state, old outputs for a `same` step, the preview's
    # outputs in the streamed form; a replaced resource in a digest has none recorded: its inputs.
    assert "arn" in seen[("stack-export-v3.json", "stack", "we1-admin")]
    assert "arn" in seen[("preview-replace.json", "stack", "we1-vpc")]
    assert "arn" not in seen[("preview-replace.json", "stack", "we1-admin")]
    assert "arn" in seen[("events-replace.jsonl", "stack", "we1-admin")]
    # Reads are not in the engine's new state: no policy sees them.
    urns = seen[("events-replace.jsonl", "urns", "")]
    assert "shared-services-vpc" not in urns and "we1-admin" in urns


def test_the_stack_request_is_built_one_resource_at_a_time_and_reads_back_whole():
    from byside.check.analyzer import _struct
    from pulumi.runtime.proto import analyzer_pb2 as pb

    resources = [Resource(f"{U}b{i}", BUCKET, {"acl": "x" * (i * 70), "n": i}, dependencies=[f"{U}b0"] * (i % 2))
                 for i in range(5)]
    body = Analyzer._stack_request_bytes(resources, lambda r: None)
    req = pb.AnalyzeStackRequest.FromString(body)
    assert [(x.urn, x.properties, list(x.dependencies)) for x in req.resources] == [
        (r.urn, _struct(r.inputs), r.dependencies) for r in resources]
