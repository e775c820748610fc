"""`byside check --baseline FILE` (fail only on new mandatory violations, count the existing ones)
and the quiet text report (mandatory in full with location and fix, advisories as counts)."""

from __future__ import annotations

import json

from .conftest import PLANS, TESTPACK, byside

BOTH = ("--plan", str(PLANS / "preview.json"), "--plan", str(PLANS / "stack-export.json"))
PACK = ("--policy-pack", str(TESTPACK), "--no-checkov")


def _report(tmp_path, *extra):
    out = tmp_path / "report.json"
    r = byside("check", *BOTH, *PACK, "--format", "json", "--out", str(out), *extra)
    return r, json.loads(out.read_text())


def test_a_baseline_holding_the_mandatory_violation_passes_and_says_it_remains(tmp_path):
    r, doc = _report(tmp_path)
    assert r.returncode == 1 and doc["summary"]["mandatory"] == 1
    base = tmp_path / "base.json"
    base.write_text(json.dumps(doc))
    again = byside("check", *BOTH, *PACK, "--baseline", str(base))
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"baseline {base}: 0 new mandatory violation(s) (these fail the gate), 1 existing remain" in again.stdout
    r2, doc2 = _report(tmp_path, "--baseline", str(base))
    assert r2.returncode == 0
    assert doc2["summary"]["baseline"] == {"source": "base.json", "new_mandatory": 0, "existing_mandatory": 1}
    assert doc2["exit_code"] == 0


def test_a_baseline_without_it_fails_on_the_new_one(tmp_path):
    _, doc = _report(tmp_path)
    doc["violations"] = [v for v in doc["violations"] if v["enforcement"] != "mandatory"]
    base = tmp_path / "base.json"
    base.write_text(json.dumps(doc))
    r = byside("check", *BOTH, *PACK, "--baseline", str(base))
    assert r.returncode == 1
    assert "1 new mandatory violation(s) (these fail the gate), 0 existing remain" in r.stdout


def test_a_baseline_that_is_not_a_report_is_bad_input(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "byside-diff/1"}')
    r = byside("check", *BOTH, *PACK, "--baseline", str(bad))
    assert r.returncode == 2
    assert r.stderr == (f"error: {bad}: --baseline: format: expected a `byside check --format json` report "
                        "(byside-check/1), got 'byside-diff/1'\n")
    bad.write_text('{"format": "byside-check/1", "violations": [{"policy": "x", "urn": 3}]}')
    r = byside("check", *BOTH, *PACK, "--baseline", str(bad))
    assert (r.returncode, r.stderr) == (2, f"error: {bad}: --baseline: violations[0].urn: expected a string\n")


def test_text_shows_mandatory_in_full_and_advisories_as_counts(tmp_path):
    r = byside("check", *BOTH, *PACK)
    assert r.returncode == 1
    out = r.stdout
    assert "mandatory test-no-public-bucket (crossguard) public-assets aws:s3/bucket:Bucket" in out
    assert "      acl is public-read\n" in out and "      fix: Set acl to private.\n" in out
    assert "      at zones/we2.yaml:" in out
    # the two advisory findings: one count line, not listed
    assert "advisory (2; --verbose lists each)\n     2  test-bucket-budget (crossguard, low) Few buckets. [sa1, we2]\n" \
        in out
    assert "bucket without versioning" not in out
    verbose = byside("check", *BOTH, *PACK, "--verbose").stdout
    assert verbose.count("bucket without versioning and no dependencies") == 2
