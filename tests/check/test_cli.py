"""`byside check` end to end through the CLI (subprocess): exit codes, the exact JSON, SARIF valid
against the SARIF 2.1.0 schema, JUnit, text, determinism, pack config, suppressions."""

import json
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from .conftest import HERE, PLANS, TESTPACK, byside, violations

BOTH = ("--plan", str(PLANS / "preview.json"), "--plan", str(PLANS / "stack-export.json"))
PACK = ("--policy-pack", str(TESTPACK), "--no-checkov")
UPLOADS = "urn:pulumi:sa1::byside::aws:s3/bucket:Bucket::customer-uploads"
PUBLIC = "urn:pulumi:we2::byside::aws:s3/bucket:Bucket::public-assets"
BUCKET = "aws:s3/bucket:Bucket"


def _v(policy, severity, enforcement, zone, urn, type_, message):
    return {"policy": policy, "source": "crossguard", "severity": severity, "enforcement": enforcement, "zone": zone,
            "urn": urn, "type": type_, "message": message}


EXPECTED = [
    _v("test-bucket-budget", "low", "advisory", "sa1", UPLOADS, BUCKET, "bucket without versioning and no dependencies"),
    _v("test-no-public-bucket", "high", "mandatory", "we2", PUBLIC, BUCKET, "acl is public-read"),
    _v("test-bucket-budget", "low", "advisory", "we2", PUBLIC, BUCKET, "bucket without versioning and no dependencies"),
]


def test_json_lists_exact_violations_sorted_and_exits_1_on_a_mandatory_one():
    r = byside("check", *BOTH, *PACK, "--format", "json")
    assert r.returncode == 1, r.stderr
    assert violations(r.stdout) == EXPECTED
    assert all(list(v) == ["policy", "source", "severity", "enforcement", "zone", "urn", "type", "message"]
               for v in violations(r.stdout))
    # What was not judged is said, never dropped in silence.
    assert "not judged (" + str(PLANS / "stack-export.json") + "): " + \
        "urn:pulumi:we2::byside::aws:s3/bucket:Bucket::old-public-assets (pending deletion)" in r.stderr


def test_advisory_only_exits_0():
    r = byside("check", "--plan", str(PLANS / "preview.json"), *PACK, "--format", "json")
    assert r.returncode == 0, r.stderr
    assert violations(r.stdout) == EXPECTED[:1]


def test_stack_policy_finding_without_urn_is_attached_to_the_stack(tmp_path):
    res = [{"urn": f"urn:pulumi:we1::byside::aws:s3/bucket:Bucket::b{i}", "type": BUCKET,
            "inputs": {"acl": "private", "versioning": {"enabled": True}}} for i in range(3)]
    plan = tmp_path / "three.json"
    plan.write_text(json.dumps({"version": 3, "deployment": {"resources": res}}))
    r = byside("check", "--plan", str(plan), *PACK, "--format", "json")
    assert (r.returncode, violations(r.stdout)) == (0, [
        _v("test-bucket-budget", "low", "advisory", "we1", "urn:pulumi:we1::byside::pulumi:pulumi:Stack::byside-we1",
           "pulumi:pulumi:Stack", "3 buckets (limit 2)")])


def test_policy_config_sets_levels_and_properties_for_every_stack(write):
    cfg = write("cfg.json", json.dumps({"test-no-public-bucket": {"bannedAcls": ["public-read-write"]},
                                        "test-bucket-budget": "disabled"}))
    r = byside("check", *BOTH, *PACK, "--format", "json", "--policy-config", str(cfg))
    assert (r.returncode, violations(r.stdout)) == (1, [
        _v("test-no-public-bucket", "high", "mandatory", "sa1", UPLOADS, BUCKET, "acl is public-read-write")])
    cfg = write("all.json", json.dumps({"all": "advisory"}))
    r = byside("check", *BOTH, *PACK, "--format", "json", "--policy-config", str(cfg))
    assert r.returncode == 0 and {v["enforcement"] for v in violations(r.stdout)} == {"advisory"}


@pytest.mark.parametrize("config, message", [
    ({"test-no-public-bucket": {"bannedAcls": "public-read"}}, "test-no-public-bucket.bannedAcls: 'public-read' is not of type 'array'"),
    ({"no-such-policy": "advisory"}, "'no-such-policy' is not a policy of the pack (known: test-bucket-budget, test-no-public-bucket)"),
    ({"test-bucket-budget": "sometimes"}, "test-bucket-budget.enforcementLevel: 'sometimes' is not one of ['advisory', 'mandatory', 'remediate', 'disabled']"),
])
def test_bad_policy_config_exits_2_naming_file_and_field(write, config, message):
    cfg = write("cfg.json", json.dumps(config))
    r = byside("check", *BOTH, *PACK, "--policy-config", str(cfg))
    assert (r.returncode, r.stderr.strip()) == (2, f"error: {cfg}: {message}")


def test_sarif_validates_against_the_sarif_2_1_0_schema_and_carries_rules(tmp_path):
    out = tmp_path / "build" / "check.sarif"
    r = byside("check", *BOTH, *PACK, "--format", "sarif", "--out", str(out))
    assert r.returncode == 1
    doc = json.loads(out.read_text())
    schema = json.loads((HERE / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(doc)
    run = doc["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert sorted(rules) == ["test-bucket-budget", "test-no-public-bucket"]
    assert rules["test-no-public-bucket"]["help"]["text"] == "Set acl to private."
    assert rules["test-no-public-bucket"]["defaultConfiguration"] == {"level": "error"}
    assert rules["test-no-public-bucket"]["properties"]["security-severity"] == "8.0"
    assert [(x["ruleId"], x["level"], x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             x["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]) for x in run["results"]] == [
        ("test-bucket-budget", "warning", "zones/sa1.yaml", UPLOADS),
        ("test-no-public-bucket", "error", "zones/we2.yaml", PUBLIC),
        ("test-bucket-budget", "warning", "zones/we2.yaml", PUBLIC)]
    assert run["results"][1]["message"]["text"] == "public-assets (aws:s3/bucket:Bucket): acl is public-read"


def test_sarif_schema_rejects_a_broken_log():
    # The validation above would prove nothing if the schema accepted anything.
    schema = json.loads((HERE / "sarif-schema-2.1.0.json").read_text())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"version": "2.1.0", "runs": [{"results": [{"ruleId": "x"}]}]}, schema)


def test_reports_are_byte_identical_across_runs(tmp_path):
    for fmt in ("sarif", "junit", "json"):
        a, b = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
        byside("check", *BOTH, *PACK, "--format", fmt, "--out", str(a))
        byside("check", *BOTH[2:], *BOTH[:2], *PACK, "--format", fmt, "--out", str(b))
        assert a.read_bytes() == b.read_bytes(), fmt


def test_junit_has_a_suite_per_zone_and_a_case_per_policy(tmp_path):
    out = tmp_path / "check.xml"
    r = byside("check", *BOTH, *PACK, "--format", "junit", "--out", str(out))
    assert r.returncode == 1
    root = ET.parse(out).getroot()
    assert (root.tag, root.get("tests"), root.get("failures")) == ("testsuites", "4", "1")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert sorted(suites) == ["sa1", "we2"]
    we2 = {c.get("name"): c for c in suites["we2"].findall("testcase")}
    fail = we2["test-no-public-bucket"].find("failure")
    assert (fail.get("message"), fail.text) == ("1 mandatory violation(s) of test-no-public-bucket",
                                                f"{PUBLIC}: acl is public-read")
    assert we2["test-bucket-budget"].find("failure") is None
    assert we2["test-bucket-budget"].find("system-out").text == \
        f"advisory: {PUBLIC}: bucket without versioning and no dependencies"
    assert suites["sa1"].get("failures") == "0"


def test_text_groups_by_zone_and_severity_with_remediation():
    r = byside("check", *BOTH, *PACK)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert lines[1:4] == ["zone sa1", "  low (1)",
                          "    advisory test-bucket-budget (crossguard) customer-uploads aws:s3/bucket:Bucket"]
    we2 = lines.index("zone we2")
    assert lines[we2 + 1:we2 + 5] == ["  high (1)",
                                      "    mandatory test-no-public-bucket (crossguard) public-assets aws:s3/bucket:Bucket",
                                      "      acl is public-read", "      fix: Set acl to private."]
    assert lines[-1].startswith("FAIL: 1 mandatory, 2 advisory violation(s) in 2 zone(s) (sa1, we2), "
                                "8 resources judged; 0 suppressed")


# ------------------------------------------------------------------ suppressions

def _supp(write, entries: str):
    return write("suppressions.yaml", "suppressions:\n" + entries)


ACTIVE = """  - policy: test-no-public-bucket
    urn: "urn:pulumi:we2::byside::*::public-*"
    reason: "public website assets, reviewed in SEC-123"
    expires: 2027-01-31
"""


def test_active_suppression_hides_the_violation_and_the_gate_passes(write):
    s = _supp(write, ACTIVE)
    r = byside("check", *BOTH, *PACK, "--format", "json", "--suppressions", str(s), "--today", "2027-01-31")
    assert (r.returncode, violations(r.stdout)) == (0, [EXPECTED[0], EXPECTED[2]])
    assert "suppression" not in r.stderr


def test_expired_suppression_is_reported_and_fails_the_gate(write):
    s = _supp(write, ACTIVE)
    r = byside("check", *BOTH, *PACK, "--format", "json", "--suppressions", str(s), "--today", "2027-02-01")
    assert (r.returncode, violations(r.stdout)) == (1, EXPECTED)
    assert (f"expired suppression {s}:2: test-no-public-bucket urn:pulumi:we2::byside::*::public-* expired "
            "2027-01-31 (public website assets, reviewed in SEC-123)") in " ".join(r.stderr.split())


def test_unused_suppression_is_a_warning_only(write):
    s = _supp(write, ACTIVE + """  - policy: test-bucket-budget
    urn: "urn:pulumi:we1::*"
    reason: "legacy"
    expires: 2027-06-30
""")
    r = byside("check", *BOTH, *PACK, "--format", "json", "--suppressions", str(s), "--today", "2026-12-01")
    assert r.returncode == 0
    assert f"unused suppression {s}:6: test-bucket-budget urn:pulumi:we1::* matches no violation" in \
        " ".join(r.stderr.split())


@pytest.mark.parametrize("text, message", [
    ("suppressions:\n  - policy: x\n    urn: '*'\n    reason: r\n", ":2: suppressions[0].expires: required"),
    ("suppressions:\n  - policy: x\n    urn: '*'\n    reason: r\n    expires: soon\n",
     ":5: suppressions[0].expires: 'soon' is not a date (YYYY-MM-DD)"),
    ("suppressions:\n  - policy: x\n    urn: '*'\n    reason: r\n    expires: 2027-01-01\n    owner: me\n",
     ":6: suppressions[0].owner: unknown field (allowed: policy, urn, reason, expires, scope)"),
    ("suppressions:\n  - policy: x\n    urn: [a]\n    reason: r\n    expires: 2027-01-01\n",
     ":3: suppressions[0].urn: expected a non-empty string"),
    ("suppressions:\n  - policy: x\n   urn: '*'\n", ":3:4: not valid YAML: expected <block end>, but found '<block mapping start>'"),
    ("- policy: x\n", ":1: expected a mapping with `suppressions` (a list of entries) and, optionally, "
                      "`max_lifetime_days`"),
])
def test_bad_suppressions_file_exits_2_naming_file_and_line(write, text, message):
    s = write("suppressions.yaml", text)
    r = byside("check", *BOTH, *PACK, "--suppressions", str(s))
    assert (r.returncode, r.stderr.strip()) == (2, f"error: {s}{message}")


def test_one_analyzer_judging_several_stacks_carries_no_config_over(tmp_path):
    # Per-stack config: we2 disables the budget policy; sa1 has no file (defaults). With a single
    # pooled analyzer, we2 (the larger stack) is judged first: its setting must not leak into sa1.
    from byside.check import gate
    from byside.check.plans import read_plan_file

    (tmp_path / "we2.json").write_text(json.dumps({"test-bucket-budget": "disabled"}))
    plans = read_plan_file(PLANS / "preview.json") + read_plan_file(PLANS / "stack-export.json")
    for workers in (1, 2):
        result = gate.check(plans=plans, pack_dir=TESTPACK, config_dir=tmp_path, use_checkov=False, workers=workers)
        assert [v.as_dict() for v in result.violations] == [EXPECTED[0], EXPECTED[1]], workers


def test_json_report_is_one_object_with_summary_notes_and_what_was_not_judged():
    r = byside("check", *BOTH, *PACK, "--format", "json")
    doc = json.loads(r.stdout)
    assert list(doc) == ["format", "exit_code", "summary", "projects", "foreign", "plans", "notes", "disabled", "rules",
                         "suppressed", "expired_suppressions", "unused_suppressions", "not_judged", "violations"]
    assert (doc["format"], doc["exit_code"], doc["violations"]) == ("byside-check/1", 1, EXPECTED)
    assert doc["summary"] == {"resources": 8, "zones": ["sa1", "we2"], "stacks": 2, "mandatory": 1, "advisory": 2,
                              "suppressed": 0, "expired_suppressions": 0, "unused_suppressions": 0, "not_judged": 2,
                              "checkov": "skipped (--no-checkov)"}
    assert doc["not_judged"] == [
        {"source": "tests/check/plans/preview.json", "urn": "urn:pulumi:sa1::byside::aws:s3/bucket:Bucket::legacy-public",
         "reason": "delete"},
        {"source": "tests/check/plans/stack-export.json",
         "urn": "urn:pulumi:we2::byside::aws:s3/bucket:Bucket::old-public-assets", "reason": "pending deletion"}]
    assert [p["format"] for p in doc["plans"]] == ["pulumi preview --json", "pulumi stack export v3"]
    assert [x["id"] for x in doc["rules"]] == ["test-bucket-budget", "test-no-public-bucket"]
    assert (doc["projects"], doc["foreign"], doc["notes"]) == (["byside"], [], [])
