import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
TESTPACK = HERE / "testpack"
PLANS = HERE / "plans"
POLICY_FIXTURES = ROOT / "tests" / "policies" / "fixtures"


def byside(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run the real CLI in a subprocess: exit codes and stdout/stderr exactly as a user sees them."""
    return subprocess.run([sys.executable, "-m", "byside.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def violations(stdout: str) -> list[dict]:
    """The violations of a `byside check --format json` report (docs/contracts.md `byside-check/1`)."""
    doc = json.loads(stdout)
    assert doc["format"] == "byside-check/1", doc
    return doc["violations"]


def fixture_plan(tmp_path: Path, policy_id: str, kind: str) -> Path:
    """A policy fixture (a list of resources) wrapped as a `pulumi stack export` document."""
    resources = json.loads((POLICY_FIXTURES / policy_id / f"{kind}.json").read_text())
    path = tmp_path / f"{policy_id}-{kind}.json"
    path.write_text(json.dumps({"version": 3, "deployment": {"manifest": {}, "resources": resources}}))
    return path


@pytest.fixture
def write(tmp_path):
    def _write(name: str, text: str) -> Path:
        p = tmp_path / name
        p.write_text(text)
        return p
    return _write
