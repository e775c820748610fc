"""`byside conformance`: exit 0 when the plans conform, 1 with the findings, 2 on bad input."""

from __future__ import annotations

import json

from tests.cli import run


def test_the_offline_previews_conform(zone_docs):
    code, out = run("conformance", "--zone", "we2")
    assert code == 0, out
    assert out.startswith("0 finding(s); ")
    assert " resources of " in out and " types in we2: " in out


def test_a_plan_with_a_refused_retention_exits_1(zone_docs, tmp_path):
    doc = json.loads(json.dumps(zone_docs["sa1"]))
    group = next(r for r in doc["deployment"]["resources"] if r["type"] == "aws:cloudwatch/logGroup:LogGroup")
    group["inputs"]["retentionInDays"] = 100
    plan = tmp_path / "sa1.json"
    plan.write_text(json.dumps(doc))
    code, out = run("conformance", "--plan", plan, "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["format"] == "byside-conformance/1" and report["zones"] == ["sa1"]
    assert report["findings"] == [{
        "zone": "sa1", "urn": group["urn"], "type": "aws:cloudwatch/logGroup:LogGroup", "path": "retentionInDays",
        "rule": "logs.retention", "message": "100 days is not a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, "
                                            "60, 90, 120, 150, 180, 365, 400, ... days): use 90 or 120"}]


def test_bad_input_exits_2(tmp_path):
    bad = tmp_path / "plan.json"
    bad.write_text("{not json")
    code, message = run("conformance", "--plan", bad)
    assert code == 2 and str(bad) in message
    assert run("conformance", "--format", "xml")[0] == 2
    assert run("conformance", "--zone", "we1", "--plan", bad)[0] == 2


def test_rules_are_listed_with_their_sources():
    code, out = run("conformance", "--rules")
    assert code == 0
    assert "logs.retention (aws:cloudwatch/logGroup:LogGroup)\n  terraform-provider-aws internal/service/logs/group.go" in out
