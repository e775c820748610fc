"""The gate starts the packs before it loads grpc, the protocol or the zone model: they boot
while the client imports (the order is what makes a PR's check fast; docs/performance.md)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_packs_start_before_the_grpc_client_and_the_zone_model_are_imported(tmp_path):
    # Record, at the moment each pack process is spawned, which heavy modules the gate has loaded.
    probe = f"""
import subprocess, sys
seen = []
real = subprocess.Popen.__init__
def spy(self, args, *a, **k):
    if "pulumi.policy" in args:
        seen.append(sorted(m for m in ("grpc", "pulumi", "zones.model", "pydantic") if m in sys.modules))
    real(self, args, *a, **k)
subprocess.Popen.__init__ = spy
plan = {str(tmp_path / 'we1.json')!r}
import json, pathlib
from byside.check import gate
result = gate.check([pathlib.Path(plan)], use_checkov=False)
print(json.dumps(seen), result.exit_code)
"""
    # a plan of WE1 from the offline preview cache, written as a file
    from byside.preview.cache import preview_documents

    (tmp_path / "we1.json").write_text(json.dumps(preview_documents(["we1"], True)["we1"]), encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    seen, code = out.stdout.split()
    assert json.loads(seen) == [[]]  # one stack, its pack spawned before any of them was imported
    assert code == "0"
