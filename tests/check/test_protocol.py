"""byside/check/protocol.py: pulumi's Analyzer stubs without the `pulumi` package — the same classes
the package gives, in either import order, and a whole gate run never imports `pulumi`."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_SAME = """
import sys
{first}
{second}
from byside.check import protocol
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc
assert protocol.analyzer_pb2.AnalyzeRequest is analyzer_pb2.AnalyzeRequest
assert protocol.analyzer_pb2.AnalyzerResource is analyzer_pb2.AnalyzerResource
assert protocol.analyzer_pb2.DESCRIPTOR is analyzer_pb2.DESCRIPTOR
r = protocol.analyzer_pb2.AnalyzeRequest(type="aws:s3/bucket:Bucket", urn="urn:x")
assert analyzer_pb2.AnalyzeRequest.FromString(r.SerializeToString()) == r
print(protocol.analyzer_pb2.__name__, protocol.analyzer_pb2_grpc.AnalyzerStub.__module__)
"""


def test_the_stubs_are_pulumis_own_classes_in_either_import_order():
    for first, second in (("from byside.check import protocol", "import pulumi.runtime.proto"),
                          ("import pulumi.runtime.proto", "from byside.check import protocol")):
        out = subprocess.run([sys.executable, "-c", _SAME.format(first=first, second=second)], cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        assert out.stdout.split() == ["byside.check.protocol_stubs.analyzer_pb2",
                                      "byside.check.protocol_stubs.analyzer_pb2_grpc"]


def test_a_gate_run_never_imports_the_pulumi_sdk(tmp_path):
    from byside.preview.cache import preview_documents

    plan = tmp_path / "we1.json"
    plan.write_text(json.dumps(preview_documents(["we1"], True)["we1"]), encoding="utf-8")
    probe = f"""
import sys, pathlib
from byside.check import gate
result = gate.check([pathlib.Path({str(plan)!r})], use_checkov=False)
print(result.exit_code, len(result.violations), "pulumi" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["0", "0", "False"]
