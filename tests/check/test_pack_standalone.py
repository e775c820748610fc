"""The pack on its own (issue 11): policies/ copied alone into an empty folder, with a virtualenv
built from its own requirements.txt only, judges the three zones exactly as the repository's pack.

The project is installed editable in .venv, so `zones` is importable from any folder there: the
copy's environment is a fresh venv holding requirements.txt and nothing else, in which `zones`
(and `byside`, `infra`) cannot be imported at all — so the copy cannot be using them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from byside.check import gate
from byside.check.plans import parse_document
from tests.policies.harness import load

from .conftest import POLICY_FIXTURES, ROOT

PACK = ROOT / "policies"
UV = ROOT / ".tools" / "bin" / "uv"


@pytest.fixture(scope="module")
def alone(tmp_path_factory):
    """The copy: a folder named as a published pack is installed, outside the repository."""
    if not UV.exists():
        pytest.skip("uv not installed (make setup)")
    copy = tmp_path_factory.mktemp("empty") / "byside-guardrails_v0.1.0"
    shutil.copytree(PACK, copy, ignore=shutil.ignore_patterns("venv", "__pycache__"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UV_PROJECT", "VIRTUAL_ENV"))}
    subprocess.run([str(UV), "venv", "--quiet", "--python", sys.executable, str(copy / "venv")], check=True, env=env)
    # Offline: every pin is what make setup installed from uv.lock, so uv's cache has it.
    subprocess.run([str(UV), "pip", "sync", "--quiet", "--offline", "--python", str(copy / "venv" / "bin" / "python"),
                    str(copy / "requirements.txt")], check=True, env=env, cwd=copy)
    return copy


def test_the_copys_environment_cannot_import_the_repository(alone):
    for module in ("zones", "byside", "infra"):
        r = subprocess.run([str(alone / "venv" / "bin" / "python"), "-c", f"import {module}"], cwd=alone,
                           capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
        assert r.returncode != 0 and f"No module named '{module}'" in r.stderr, (module, r.stderr)


def _verdicts(result) -> list[tuple]:
    return sorted((v.zone, v.policy, v.enforcement, v.severity, v.urn, v.message) for v in result.violations)


def test_the_copy_judges_the_three_zones_as_the_repository_pack_does(alone, monkeypatch):
    monkeypatch.delenv("BYSIDE_ZONES_DIR", raising=False)
    monkeypatch.delenv("BYSIDE_ZONE_FACTS", raising=False)
    plans = gate.default_plans()
    assert sorted(p.stack for p in plans) == ["sa1", "we1", "we2"]
    ours = gate.check(plans=plans, pack_dir=PACK, use_checkov=False)
    theirs = gate.check(plans=plans, pack_dir=alone, use_checkov=False)
    assert sorted(theirs.rules) == sorted(ours.rules)
    assert _verdicts(theirs) == _verdicts(ours)
    assert ours.exit_code == theirs.exit_code == 0


def test_the_copy_judges_every_policy_fixture_as_the_repository_pack_does(alone, monkeypatch):
    """The zones pass; the fixtures (zone-aware ones in the zones' stacks) show that the copy also
    fails what the repository's pack fails, with the same messages."""
    monkeypatch.delenv("BYSIDE_ZONES_DIR", raising=False)
    monkeypatch.delenv("BYSIDE_ZONE_FACTS", raising=False)
    plans = [p for pid in sorted(d.name for d in POLICY_FIXTURES.iterdir() if (d / "fail.json").is_file())
             for kind in ("fail", "pass")
             for p in parse_document({"version": 3, "deployment": {"resources": load(pid, kind)}}, f"{pid}/{kind}")]
    ours = gate.check(plans=plans, pack_dir=PACK, use_checkov=False)
    theirs = gate.check(plans=plans, pack_dir=alone, use_checkov=False)
    assert len(ours.violations) > 50
    assert _verdicts(theirs) == _verdicts(ours)
