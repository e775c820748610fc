"""SARIF as GitHub code scanning takes it (issue 12): the SARIF 2.1.0 schema, GitHub's documented
upload limits and required fields, locations that exist relative to the repository root,
fingerprints stable across runs and unrelated edits, and calibrated levels and severities."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from tests.cli import invoke

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((Path(__file__).resolve().parent / "sarif-schema-2.1.0.json").read_text())

# docs.github.com, "SARIF support for code scanning" — limits of one upload.
GITHUB = {"runs": 20, "results_per_run": 25_000, "rules_per_run": 25_000, "tags_per_rule": 20,
          "locations_per_result": 1_000, "related_per_result": 1_000}


def github_problems(doc: dict, root: Path) -> list[str]:
    """What GitHub would reject or mis-show in this SARIF file."""
    out = []
    if len(doc["runs"]) > GITHUB["runs"]:
        out.append("too many runs")
    for run in doc["runs"]:
        rules = run["tool"]["driver"].get("rules", [])
        ids = [r["id"] for r in rules]
        if len(rules) > GITHUB["rules_per_run"] or len(run["results"]) > GITHUB["results_per_run"]:
            out.append("too many rules or results")
        for r in rules:
            if len(r.get("properties", {}).get("tags", [])) > GITHUB["tags_per_rule"]:
                out.append(f"{r['id']}: too many tags")
            sev = r.get("properties", {}).get("security-severity")
            if sev is not None and not 0.0 <= float(sev) <= 10.0:
                out.append(f"{r['id']}: security-severity {sev}")
        for res in run["results"]:
            if not res.get("message", {}).get("text") or not res.get("ruleId"):
                out.append("result without message.text or ruleId")
            if ids[res["ruleIndex"]] != res["ruleId"]:
                out.append(f"{res['ruleId']}: ruleIndex points elsewhere")
            if len(res["locations"]) > GITHUB["locations_per_result"] or \
                    len(res.get("relatedLocations", [])) > GITHUB["related_per_result"]:
                out.append("too many locations")
            for loc in res["locations"] + res.get("relatedLocations", []):
                phys = loc["physicalLocation"]
                uri = phys["artifactLocation"]["uri"]
                if uri.startswith("/") or "://" in uri or ".." in uri.split("/") or not (root / uri).is_file():
                    out.append(f"{res['ruleId']}: {uri} is not an existing file relative to the repository root")
                line = phys.get("region", {}).get("startLine", 0)
                if not 1 <= line <= len((root / uri).read_text().splitlines()):
                    out.append(f"{res['ruleId']}: {uri}:{line} is not a line of the file")
            if not res.get("partialFingerprints"):
                out.append(f"{res['ruleId']}: no partialFingerprints")
    return out


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("repo")
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for d in ("infra", "zones"):
        shutil.copytree(REPO / d, root / d, ignore=skip)
    for f in REPO.glob("Pulumi*.yaml"):
        shutil.copy(f, root / f.name)
    return root


def _sarif(root: Path, out: Path, *extra: str) -> dict:
    empty = out.parent / "no-suppressions.yaml"
    empty.write_text("suppressions: []\n")
    r = invoke("check", "--project", root, "--zone", "we1", "--suppressions", empty, "--format", "sarif",
               "--out", out, *extra)
    assert r.exit_code == 0, r.output
    return json.loads(out.read_text())


@pytest.fixture(scope="module")
def two_runs(scratch, tmp_path_factory):
    out = tmp_path_factory.mktemp("sarif")
    first = _sarif(scratch, out / "a.sarif")
    again = _sarif(scratch, out / "b.sarif")
    # an unrelated edit: a comment line at the top of the zone file and of a program module
    for rel in ("zones/we1.yaml", "infra/aws/iam.py"):
        p = scratch / rel
        p.write_text("# an unrelated comment\n" + p.read_text())
    edited = _sarif(scratch, out / "c.sarif")
    return first, again, edited, (out / "a.sarif").read_bytes(), (out / "b.sarif").read_bytes()


def test_sarif_of_the_zones_validates_and_fits_github(two_runs, scratch):
    first, *_ = two_runs
    jsonschema.Draft4Validator(SCHEMA).validate(first)
    results = first["runs"][0]["results"]
    assert len(results) > 10  # the advisories of we1 without the project's suppressions
    # the unrelated edit came after: the first run is judged against the files as they were
    assert github_problems(first, REPO) == []


def test_same_inputs_same_bytes_and_stable_fingerprints(two_runs):
    first, again, edited, a, b = two_runs
    assert a == b

    def prints(doc):
        return sorted(r["partialFingerprints"]["bysideViolation/v1"] for r in doc["runs"][0]["results"])

    assert prints(first) == prints(edited)
    assert len(set(prints(first))) == len(prints(first))  # one per finding
    # locations in the edited files moved with the edit; the fingerprints did not
    before = {r["partialFingerprints"]["bysideViolation/v1"]: r["locations"][0]["physicalLocation"]
              for r in first["runs"][0]["results"]}
    moved = 0
    for r in edited["runs"][0]["results"]:
        old, new = before[r["partialFingerprints"]["bysideViolation/v1"]], r["locations"][0]["physicalLocation"]
        assert old["artifactLocation"] == new["artifactLocation"]
        shift = 1 if old["artifactLocation"]["uri"] in ("zones/we1.yaml", "infra/aws/iam.py") else 0
        moved += shift
        assert new["region"]["startLine"] == old["region"]["startLine"] + shift
    assert moved > 0


def test_levels_and_security_severity_are_calibrated(two_runs):
    first, *_ = two_runs
    run = first["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    for res in run["results"]:
        rule = rules[res["ruleId"]]
        enforcement = res["properties"]["enforcement"]
        assert rule["properties"]["enforcement"] == enforcement
        assert rule["defaultConfiguration"]["level"] == res["level"]
        if enforcement == "advisory":
            assert res["level"] in ("warning", "note")
            assert float(rule["properties"]["security-severity"]) < 7.0  # never a high or critical alert
        else:
            assert res["level"] == "error"


def test_security_severity_table():
    from byside.check.report import level, security_severity

    assert [security_severity(s, "mandatory") for s in ("critical", "high", "medium", "low")] == \
        ["9.5", "8.0", "5.5", "3.0"]
    assert max(float(security_severity(s, "advisory")) for s in ("critical", "high", "medium", "low")) < 7.0
    assert (level("critical", "advisory"), level("low", "advisory"), level("low", "mandatory")) == \
        ("warning", "note", "error")
