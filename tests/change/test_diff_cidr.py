"""Issue 12's acceptance test: one subscriber CIDR changed in a scratch copy of the repository.
`byside diff` lists exactly the resources that change, and the violation the change brings is
placed (JSON, markdown, SARIF) on that CIDR's line of the zone file, with the program line as the
related location."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

from tests.cli import invoke

REPO = Path(__file__).resolve().parents[2]
PACK = Path(__file__).resolve().parent / "deniedpack"
SCHEMA = REPO / "tests" / "check" / "sarif-schema-2.1.0.json"
OLD, NEW = "203.0.113.32/27", "185.40.32.0/20"  # sub-lusomarket's second range in zones/we1.yaml (api, sftp)
URN = "urn:pulumi:we1::byside::"


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.email=t@example.org", "-c", "user.name=t", *args],
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> tuple[Path, int]:
    root = tmp_path_factory.mktemp("repo")
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for d in ("infra", "zones"):
        shutil.copytree(REPO / d, root / d, ignore=skip)
    for f in REPO.glob("Pulumi*.yaml"):
        shutil.copy(f, root / f.name)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    zone = root / "zones" / "we1.yaml"
    text = zone.read_text()
    assert text.count(OLD) == 1
    line = text[:text.index(OLD)].count("\n") + 1
    zone.write_text(text.replace(OLD, NEW))
    return root, line


@pytest.fixture(scope="module")
def diffed(scratch, tmp_path_factory):
    root, _ = scratch
    out = tmp_path_factory.mktemp("out")
    r = invoke("diff", "--project", root, "--policy-pack", PACK, "--no-checkov", "--format", "json",
               "--out", out / "diff.json")
    md = invoke("diff", "--project", root, "--policy-pack", PACK, "--no-checkov", "--format", "markdown")
    sarif = invoke("check", "--project", root, "--policy-pack", PACK, "--no-checkov", "--zone", "we1",
                   "--format", "sarif", "--out", out / "check.sarif")
    return r, json.loads((out / "diff.json").read_text()), md, sarif, json.loads((out / "check.sarif").read_text())


def test_diff_lists_exactly_the_resources_the_cidr_change_touches(diffed, scratch):
    r, doc, *_ = diffed
    assert r.exit_code == 1, r.output  # a new mandatory violation
    assert doc["format"] == "byside-diff/1"
    assert doc["base"]["ref"] == "merge-base(HEAD, main)"
    # Base: 203.0.113.0/27 and .32/27 aggregate into 203.0.113.0/26 (api, sftp). Head: the new range
    # stands apart, so each list gains it and keeps 203.0.113.0/27 alone; a prefix list's
    # maxEntries follows its entries. Nothing else in any zone changes.
    pl, fw = URN + "byside:aws:Allowlists$aws:ec2/managedPrefixList:ManagedPrefixList::", \
        URN + "byside:gcp:Firewall$gcp:compute/firewall:Firewall::"
    assert [(c["zone"], c["action"], c["urn"], [x for x in c["changes"]], c["replacement"])
            for c in doc["resources"]] == [
        ("we1", "update", pl + "we1-api-v4-1", [
            {"path": "entries[0]", "after": {"cidr": NEW, "description": "api subscribers"}},
            {"path": "entries[3].cidr", "before": "203.0.113.0/26", "after": "203.0.113.0/27"},
            {"path": "maxEntries", "before": 3, "after": 4}], "may replace"),
        ("we1", "update", pl + "we1-sftp-v4-1", [
            {"path": "entries[0].cidr", "before": "203.0.113.0/26", "after": NEW},
            {"path": "entries[1]", "after": {"cidr": "203.0.113.0/27", "description": "sftp subscribers"}},
            {"path": "maxEntries", "before": 1, "after": 2}], "may replace"),
        ("we1", "update", fw + "we1-api-allow-v4-1", [
            {"path": "sourceRanges[0]", "after": NEW},
            {"path": "sourceRanges[3]", "before": "203.0.113.0/26", "after": "203.0.113.0/27"}], "may replace"),
        ("we1", "update", fw + "we1-sftp-allow-v4-1", [
            {"path": "sourceRanges[0]", "before": "203.0.113.0/26", "after": NEW},
            {"path": "sourceRanges[1]", "after": "203.0.113.0/27"}], "may replace"),
    ]
    assert doc["summary"]["zones"] == ["we1"]
    assert (doc["summary"]["create"], doc["summary"]["update"], doc["summary"]["replace"],
            doc["summary"]["delete"]) == (0, 4, 0, 0)
    # the temporary worktree of the base is gone
    root, _ = scratch
    assert _git(root, "worktree", "list").count("\n") == 1


def test_the_new_violation_is_on_the_cidr_line_and_the_program_line_is_related(diffed, scratch):
    _, doc, *_ = diffed
    _, line = scratch
    new = doc["findings"]["new"]
    assert [(f["policy"], f["urn"].rsplit("::", 1)[-1], f["enforcement"]) for f in new] == [
        ("test-no-denied-source", "we1-api-v4-1", "mandatory"),
        ("test-no-denied-source", "we1-sftp-v4-1", "mandatory"),
        ("test-no-denied-source", "we1-api-allow-v4-1", "mandatory"),
        ("test-no-denied-source", "we1-sftp-allow-v4-1", "mandatory"),
    ]
    assert {(f["location"]["uri"], f["location"]["line"], f["location"]["what"]) for f in new} == {
        ("zones/we1.yaml", line, f"allowlists[0].cidrs[1] ({NEW})")}
    related = {(x["uri"], x["what"]) for f in new for x in f["related"]}
    assert ("infra/aws/allowlists.py", "program: where the resource is registered") in related
    assert ("infra/gcp/firewall.py", "program: where the resource is registered") in related
    # the subscriber the range belongs to, in zones/subscribers.yaml
    assert ("zones/subscribers.yaml", "subscribers[0] (sub-lusomarket)") in related
    assert doc["findings"]["fixed"] == [] and doc["findings"]["unchanged"] == []


def test_sarif_places_the_violation_on_the_cidr_line(diffed, scratch):
    *_, sarif_run, sarif = diffed
    root, line = scratch
    assert sarif_run.exit_code == 1
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text())).validate(sarif)
    results = sarif["runs"][0]["results"]
    assert len(results) == 4
    for res in results:
        loc = res["locations"][0]["physicalLocation"]
        assert (loc["artifactLocation"]["uri"], loc["region"]["startLine"]) == ("zones/we1.yaml", line)
        assert (root / loc["artifactLocation"]["uri"]).is_file()
        assert (root / "zones/we1.yaml").read_text().splitlines()[line - 1].count(NEW) == 1
        rel = [r["physicalLocation"] for r in res["relatedLocations"]]
        assert any(r["artifactLocation"]["uri"].startswith("infra/") for r in rel)
        assert all((root / r["artifactLocation"]["uri"]).is_file() for r in rel)
        assert res["level"] == "error"


def test_the_markdown_comment_leads_with_the_new_finding(diffed, scratch):
    md = diffed[2]
    _, line = scratch
    assert md.exit_code == 1
    text = md.stdout
    assert text.startswith("<!-- byside-diff -->\n### byside diff — ❌ new mandatory findings\n")
    assert "**1** zone(s) touched; **0** created, **4** updated, **0** replaced, **0** deleted; findings **4** new" \
        in text
    assert "| `we1` | 0 | 4 | 0 | 0 | 4 | 0 |" in text
    assert text.index("#### New findings (4)") < text.index("<details><summary>Resources changed (4)")
    assert f"`zones/we1.yaml:{line}`" in text
    assert len(text) < 65_536
