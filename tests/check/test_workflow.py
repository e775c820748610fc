"""The PR workflow: valid against GitHub's workflow schema (as shipped by check-jsonschema, so no
download), runs the gate with SARIF and uploads it, and previews every zone's stack with the pack."""

import subprocess
import sys

from ruamel.yaml import YAML

import zones

from .conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pr.yml"


def _steps(job):
    return {s.get("name", s.get("uses", "")): s for s in job["steps"]}


def test_workflow_is_valid_for_github_actions():
    r = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                        str(WORKFLOW)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_gate_job_uploads_sarif_and_fails_on_mandatory_violations():
    wf = YAML(typ="safe").load(WORKFLOW.read_text())
    assert list(wf["on"]) == ["pull_request"]
    job = wf["jobs"]["check"]
    assert job["permissions"]["security-events"] == "write"
    steps = _steps(job)
    assert steps["actions/setup-python@v5"]["with"]["python-version"] == "3.11"
    assert ".venv/bin/byside check --format sarif --out build/check.sarif" in steps["Policy gate (SARIF)"]["run"]
    upload = steps["Upload SARIF to code scanning"]
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "build/check.sarif"
    assert "exit 1" in steps["Gate"]["run"]


def test_preview_job_runs_the_pack_under_the_real_cli_for_every_zone():
    wf = YAML(typ="safe").load(WORKFLOW.read_text())
    job = wf["jobs"]["pulumi-preview"]
    assert sorted(job["strategy"]["matrix"]["stack"]) == sorted(zones.load_platform().zones)
    assert "secrets.PULUMI_ACCESS_TOKEN != ''" in job["env"]["HAS_CREDENTIALS"]
    run = _steps(job)["pulumi preview --policy-pack policies (${{ matrix.stack }})"]
    assert run["if"] == "env.HAS_CREDENTIALS == 'true'"
    assert 'pulumi preview --stack "${{ matrix.stack }}" --policy-pack policies' in run["run"]


def test_check_job_posts_one_diff_comment_and_writes_the_job_summary():
    wf = YAML(typ="safe").load(WORKFLOW.read_text())
    job = wf["jobs"]["check"]
    assert job["permissions"] == {"contents": "read", "security-events": "write", "actions": "read",
                                  "pull-requests": "write"}
    steps = _steps(job)
    assert steps["actions/checkout@v4"]["with"]["fetch-depth"] == 0  # the base commit is there for the worktree
    diff = steps["Change view (byside diff)"]["run"]
    assert '.venv/bin/byside diff --base "origin/${{ github.base_ref }}" --format markdown --out build/diff.md' in diff
    assert "--base-report build/base-check.json" in diff
    assert 'cat build/diff.md >> "$GITHUB_STEP_SUMMARY"' in diff
    comment = steps["Comment on the pull request (one comment, updated)"]
    assert comment["uses"] == "actions/github-script@v7" and comment["continue-on-error"] is True
    from byside.change.render import MARKER

    assert MARKER in comment["with"]["script"] and "updateComment" in comment["with"]["script"]
    assert "--baseline build/base-check.json" in steps["Policy gate (SARIF)"]["run"]
    names = list(steps)
    assert names.index("Change view (byside diff)") < names.index("Policy gate (SARIF)") < \
        names.index("Upload SARIF to code scanning")
