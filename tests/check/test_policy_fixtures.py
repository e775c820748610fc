"""Every policy of the real pack through the gate: its failing fixture, as a plan file, makes
`byside check --plan` exit 1 naming that policy; its passing fixtures pass the gate."""

import json

import pytest
from typer.testing import CliRunner

from byside.cli import app
from policies.metadata import METADATA

from .conftest import POLICY_FIXTURES, byside, fixture_plan

POLICIES = sorted(p.name for p in POLICY_FIXTURES.iterdir() if (p / "fail.json").is_file())


def test_every_policy_has_fixtures():
    assert POLICIES == sorted(METADATA)


@pytest.mark.parametrize("policy_id", POLICIES)
def test_failing_fixture_fails_the_gate_naming_the_policy(tmp_path, policy_id):
    # In-process (CliRunner) to spare a Python start per policy; the pack still runs as its own process.
    r = CliRunner().invoke(app, ["check", "--plan", str(fixture_plan(tmp_path, policy_id, "fail")), "--no-checkov",
                                 "--format", "json"])
    assert r.exit_code == 1, r.output
    found = [v for v in json.loads(r.stdout) if v["policy"] == policy_id]
    assert found and {(v["source"], v["severity"], v["enforcement"]) for v in found} == {
        ("crossguard", METADATA[policy_id].severity, "mandatory")}
    resources = {res["urn"] for res in json.loads((POLICY_FIXTURES / policy_id / "fail.json").read_text())}
    assert {v["urn"] for v in found} <= resources


def test_passing_fixtures_pass_the_gate(tmp_path):
    plans = [a for p in POLICIES for a in ("--plan", str(fixture_plan(tmp_path, p, "pass")))]
    r = byside("check", *plans, "--no-checkov", "--format", "json")
    assert (r.returncode, json.loads(r.stdout)) == (0, []), r.stderr
