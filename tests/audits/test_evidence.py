"""`byside evidence`: the auditor's pack built from real producers' output — the gate run on the offline
preview, the sample DC reviews signed with a throwaway key, a cloud access review read from moto."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from audits.evidence.frameworks import CONTROLS
from audits.evidence.sources import EvidenceInputError, GateOutput, gate_items, read_check_report, run_gate
from audits.examples.generate import SAMPLE_SITES
from tests.cli import run

from .test_dc_access_outputs import sample_args
from .test_dc_access_sign import keys  # noqa: F401  (the throwaway key fixture)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "audits" / "examples"
ZONES = ["sa1", "we1", "we2"]


@pytest.fixture(scope="module")
def gate_files(tmp_path_factory):
    """One real run of the gate (pack only), saved as `byside check`/`byside controls` would write it."""
    d = tmp_path_factory.mktemp("gate")
    g = run_gate(no_checkov=True)
    (d / "check.json").write_text(g.report)
    (d / "check.sarif").write_text(g.sarif)
    (d / "controls.json").write_text(g.controls)
    return d


def _gate_args(d: Path) -> list[str]:
    return ["--check-report", str(d / "check.json"), "--controls", str(d / "controls.json"),
            "--check-sarif", str(d / "check.sarif")]


@pytest.fixture(scope="module")
def signed(tmp_path_factory, keys):  # noqa: F811
    """Both sample reviews exported, decided (the sample decisions.csv) and signed."""
    base = tmp_path_factory.mktemp("reviews")
    for dc in SAMPLE_SITES:
        code, out = run("audit", "dc-access", *sample_args(dc, base / "audit" / dc), "--today", "2026-03-01")
        assert code == 0, out
        code, out = run("audit", "dc-access", "sign", str(base / "audit" / dc), "--decisions",
                        str(EXAMPLES / dc / "decisions.csv"), "--reviewer", "Head of Security", "--date", "2026-01-20",
                        "--key", str(keys / "reviewer"), "--out", str(base / "signed" / dc), "--today", "2026-03-01")
        assert code == 0, out
    return base


def _access_review(tmp: Path, as_of: str, zone: str = "we1") -> Path:
    out = tmp / f"access-{zone}-{as_of}"
    code, output = run("audit", "access", "--zone", zone, "--as-of", as_of, "--out", str(out))
    assert code == 0, output
    return out


def test_a_complete_pack_links_every_control_to_its_evidence(aws, gate_files, signed, keys, tmp_path):  # noqa: F811
    _access_review(signed / "audit", "2025-06-30")
    latest = _access_review(signed / "audit", "2025-12-31")
    _access_review(signed / "audit", "2024-12-31")  # another year: seen, not included
    out = tmp_path / "pack"
    code, output = run("evidence", "--year", "2025", "--out", str(out), *_gate_args(gate_files), "--search",
                       str(signed), "--allowed-signers", str(keys / "allowed_signers"))
    assert code == 0, output
    assert f"evidence 2025: {len(CONTROLS)} of {len(CONTROLS)} controls fully evidenced; 0 item(s) missing" in output
    doc = json.loads((out / "evidence.json").read_text())
    assert doc["missing"] == []
    assert [(r["framework"], r["id"], r["status"]) for r in doc["controls"]] == [
        (c.framework, c.id, "evidenced") for c in CONTROLS]
    assert {c.id for c in CONTROLS} >= {"A.5.15", "A.5.18", "A.7.2", "A.8.15", "CC6.1", "CC6.2", "CC6.3", "CC7.2"}
    # every file sits under one manifest, and sha256sum agrees
    r = subprocess.run(["sha256sum", "--strict", "-c", "manifest.sha256"], cwd=out, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    listed = {line.split("  ", 1)[1] for line in (out / "manifest.sha256").read_text().splitlines()}
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {"manifest.sha256"}
    assert listed == on_disk
    assert (out / "gate" / "check.json").read_bytes() == (gate_files / "check.json").read_bytes()
    assert (out / "controls" / "controls.json").read_bytes() == (gate_files / "controls.json").read_bytes()
    assert (out / "keys" / "allowed_signers").read_bytes() == (keys / "allowed_signers").read_bytes()
    # the latest access review of the year, as written by `byside audit access`
    ac = next(i for i in doc["evidence"] if i["kind"] == "access-review")
    assert (ac["key"], ac["file"], ac["meta"]["as_of"]) == ("we1", "access-reviews/we1/access-review.html", "2025-12-31")
    assert (out / "access-reviews" / "we1" / "access-review.json").read_bytes() == (latest / "access-review.json").read_bytes()
    statuses = sorted((s["kind"], s["status"]) for s in doc["also_seen"])
    assert statuses == [("access-review", "other year"), ("access-review", "superseded")]
    # each signed DC review is copied as signed, and still verifies where it now lies
    for dc in SAMPLE_SITES:
        code, output = run("audit", "dc-access", "verify", str(out / "dc-reviews" / dc), "--allowed-signers",
                           str(out / "keys" / "allowed_signers"))
        assert code == 0, output
    # the index links each control to each of its files
    page = (out / "index.html").read_text()
    for r in doc["controls"]:
        row = page[page.index(f"<b>{r['id']}</b>"):]
        row = row[:row.index("</tr>")]
        for e in r["evidence"]:
            assert f'<a href="{e["file"]}">' in row, (r["id"], e["file"])
    assert 'href="dc-reviews/dc-lis/signed-review.html"' in page and "MISSING" not in page
    a72 = next(r for r in doc["controls"] if r["id"] == "A.7.2")
    assert [(e["kind"], e["key"]) for e in a72["evidence"]] == [("dc-review", "dc-lis"), ("dc-review", "dc-mad")]
    assert a72["matrix_rows"][0]["id"] == "SD-DC-ACCESS"
    # same inputs, byte-identical pack
    code, _ = run("evidence", "--year", "2025", "--out", str(tmp_path / "again"), *_gate_args(gate_files), "--search",
                  str(signed), "--allowed-signers", str(keys / "allowed_signers"))
    assert code == 0
    assert (tmp_path / "again" / "manifest.sha256").read_bytes() == (out / "manifest.sha256").read_bytes()


def test_missing_evidence_is_listed_as_missing_and_the_exit_code_is_1(gate_files, signed, tmp_path):
    out = tmp_path / "pack"
    code, output = run("evidence", "--year", "2025", "--out", str(out), *_gate_args(gate_files),
                       "--dc-review", str(signed / "signed" / "dc-lis"), "--search", str(tmp_path / "empty"))
    assert code == 1, output
    doc = json.loads((out / "evidence.json").read_text())
    assert [(m["kind"], m["key"], m["status"], m["detail"]) for m in doc["missing"]] == [
        ("dc-review", "dc-mad", "missing", f"no signed review of dc-mad for 2025 (given: {signed / 'signed' / 'dc-lis'})"),
        ("access-review", "", "missing", f"no cloud access review as of 2025 (searched {tmp_path / 'empty'})")]
    status = {r["id"]: r["status"] for r in doc["controls"]}
    assert status["A.7.2"] == "incomplete" and status["CC6.1"] == "incomplete"
    dc = next(i for i in doc["evidence"] if i["kind"] == "dc-review" and i["key"] == "dc-lis")
    assert dc["status"] == "ok" and dc["detail"].endswith("signature present, not verified (no --allowed-signers)")
    page = (out / "index.html").read_text()
    head = page[:page.index("</thead>")]
    assert "INCOMPLETE — 2 evidence item(s) missing or not verifying" in head
    assert "<li><b>MISSING</b> Signed annual DC access review (byside audit dc-access sign) — dc-mad: no signed review" in page


def test_a_review_that_does_not_verify_is_invalid_and_not_included(gate_files, signed, keys, tmp_path):  # noqa: F811
    bad = tmp_path / "bad"
    shutil.copytree(signed / "signed" / "dc-mad", bad)
    (bad / "changes.csv").write_text("person_id\n")
    out = tmp_path / "pack"
    code, _ = run("evidence", "--year", "2025", "--out", str(out), *_gate_args(gate_files), "--dc-review",
                  str(signed / "signed" / "dc-lis"), "--dc-review", str(bad), "--allowed-signers", str(keys / "other_signers"))
    assert code == 1
    doc = json.loads((out / "evidence.json").read_text())
    got = {(m["kind"], m["key"]): m for m in doc["missing"]}
    assert got[("dc-review", "dc-mad")]["status"] == "invalid"
    assert "changes.csv: changed since it was written" in got[("dc-review", "dc-mad")]["detail"]
    assert got[("dc-review", "dc-lis")]["status"] == "invalid"  # signed by a key the signers file does not trust
    assert "manifest.sha256.sig: the signing key is not in" in got[("dc-review", "dc-lis")]["detail"]
    assert not (out / "dc-reviews").exists()


def test_the_latest_signed_review_of_a_site_is_included(gate_files, signed, keys, tmp_path):  # noqa: F811
    later = tmp_path / "later"
    code, output = run("audit", "dc-access", "sign", str(signed / "audit" / "dc-lis"), "--decisions",
                       str(EXAMPLES / "dc-lis" / "decisions.csv"), "--reviewer", "Deputy", "--date", "2026-02-02",
                       "--out", str(later), "--today", "2026-03-01")
    assert code == 0, output
    out = tmp_path / "pack"
    run("evidence", "--year", "2025", "--out", str(out), *_gate_args(gate_files), "--dc-review",
        str(signed / "signed" / "dc-lis"), "--dc-review", str(later))
    doc = json.loads((out / "evidence.json").read_text())
    dc = next(i for i in doc["evidence"] if i["kind"] == "dc-review" and i["key"] == "dc-lis")
    assert (dc["source"], dc["meta"]["signed_on"]) == (str(later), "2026-02-02")
    assert [(s["status"], s["source"]) for s in doc["also_seen"]] == [("superseded", str(signed / "signed" / "dc-lis"))]


# ------------------------------------------------------------------------------------------ the gate's report


def test_both_shapes_of_the_gate_report_are_read(gate_files):
    old = (gate_files / "check.json").read_text()
    violations = json.loads(old) if isinstance(json.loads(old), list) else json.loads(old)["violations"]
    listed = json.dumps(violations)
    v = {"policy": "log-retention", "source": "crossguard", "severity": "medium", "enforcement": "mandatory",
         "zone": "we1", "urn": "urn:pulumi:we1::byside::x::y", "type": "aws:cloudwatch/logGroup:LogGroup", "message": "m"}
    new = json.dumps({"format": "byside-check/1", "exit_code": 1, "summary": {"violations": 1}, "notes": [],
                      "not_judged": ["a"], "violations": [v]})
    a, b = read_check_report(listed, "old"), read_check_report(new, "new")
    assert (a["shape"], a["exit_code"], a["exit_code_from"]) == ("list of violations (before byside-check/1)",
                                                                 1 if any(x["enforcement"] == "mandatory" for x in violations) else 0,
                                                                 "its violations")
    assert (b["shape"], b["violations"], b["mandatory"], b["exit_code"], b["exit_code_from"], b["by_zone"], b["not_judged"]) == (
        "byside-check/1", 1, 1, 1, "the report", {"we1": 1}, 1)
    derived = read_check_report(json.dumps([v]), "old")
    assert (derived["exit_code"], derived["by_zone"]) == (1, {"we1": 1})


@pytest.mark.parametrize("text, message", [
    ('{"violations": 3}', "not a `byside check --format json` report"),
    ('[{"zone": "we1"}]', "violations[0] is not a violation"),
    ("[1", "r:1:3: not valid JSON"),
    ("[" * 100_000 + "]" * 100_000, "r: nested deeper than 128 levels (BYSIDE_MAX_JSON_DEPTH)"),
])
def test_a_report_that_is_not_the_gates_is_bad_input(text, message):
    with pytest.raises(EvidenceInputError, match=re.escape(message)):
        read_check_report(text, "r")


def test_a_gate_report_that_misses_a_zone_is_missing_evidence(gate_files):
    controls = json.loads((gate_files / "controls.json").read_text())
    controls["zones"] = ["we1", "we2"]
    g = GateOutput((gate_files / "check.json").read_text(), None, json.dumps(controls), "test")
    items, _ = gate_items(g, ZONES)
    assert [(i.kind, i.key, i.status, i.detail) for i in items if i.status != "ok"] == [
        ("gate-report", "sa1", "missing", "the gate's report does not cover zone sa1")]
    assert "no SARIF given" in next(i for i in items if i.kind == "gate-report").detail


def test_report_options_go_together(tmp_path, gate_files):
    code, msg = run("evidence", "--year", "2025", "--out", str(tmp_path / "p"), "--check-report",
                    str(gate_files / "check.json"))
    assert code == 2 and msg.startswith("--check-report and --controls go together")
    code, msg = run("evidence", "--year", "2025", "--out", str(tmp_path / "p"), "--check-report",
                    str(tmp_path / "none.json"), "--controls", str(gate_files / "controls.json"))
    assert code == 2 and msg.startswith(f"--check-report {tmp_path / 'none.json'}: no such file")
    assert not (tmp_path / "p").exists()


def test_without_a_report_the_gate_runs_now(gate_files, tmp_path):
    out = tmp_path / "pack"
    code, output = run("evidence", "--year", "2025", "--out", str(out), "--no-checkov", "--search", str(tmp_path / "none"))
    assert code == 1, output  # no reviews in an empty search folder
    assert (out / "gate" / "check.json").read_bytes() == (gate_files / "check.json").read_bytes()
    assert (out / "controls" / "controls.md").read_text().startswith("# Controls matrix")
    doc = json.loads((out / "evidence.json").read_text())
    assert doc["gate"]["source"].startswith("byside check --no-checkov on the offline preview of every zone")
    assert doc["gate"]["zones"] == ZONES
