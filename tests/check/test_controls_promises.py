"""The controls matrix maps issue 13's promises: restores within the RTO, monitoring, the audit
trail, maintenance notices; and keeps listing what stays out of scope, with the reason."""

import csv
import io
import json
from pathlib import Path

from byside.check.gate import CheckResult
from byside.check.model import Rule, Violation
from byside.controls import CONTROLS, matrix, render_csv, render_json, render_md
from policies.metadata import METADATA

SD = Path("/work/shared/seed/000_4b5ba48a47789814.txt")
BY_ID = {c.id: c for c in CONTROLS}


def test_each_promise_maps_to_its_policies_checks_and_commands():
    assert BY_ID["SD-RTO"].coverage == "enforced"
    assert BY_ID["SD-RTO"].policies == ("backup-restore-tested", "backup-evidence")
    assert "GCP offers no managed restore testing" in BY_ID["SD-RTO"].elsewhere  # what stays manual on GCP
    assert BY_ID["SD-VPN-MONITORING"].policies == ("vpn-redundant", "monitoring-coverage")
    assert BY_ID["SD-BACKUP-MONITORING"].policies == ("monitoring-coverage",)
    assert BY_ID["SD-CERTIFICATE-EXPIRY"].policies == ("monitoring-coverage",)
    assert "certificate expiration" in BY_ID["SD-CERTIFICATE-EXPIRY"].clause
    audit = BY_ID["SD-SIEM-AUDIT-TRAIL"]
    assert (audit.policies, audit.checks) == (("logging-audit-trail",), ("CKV_AWS_35", "CKV_AWS_36", "CKV_AWS_67"))
    notice, emergency = BY_ID["SD-MAINTENANCE-NOTICE"], BY_ID["SD-EMERGENCY-MAINTENANCE"]
    assert (notice.coverage, notice.commands) == ("elsewhere", ("byside maintenance plan",))
    assert (emergency.coverage, emergency.commands) == ("elsewhere", ("byside maintenance plan --emergency",))
    assert "3 business days notice" in notice.clause and "24 hours" in emergency.clause
    for out in ("SD-PEN-TESTING", "SD-VULNERABILITY-MONITORING", "SD-REQUEST-MANAGEMENT"):
        assert BY_ID[out].coverage == "out-of-scope" and BY_ID[out].note, out


def test_new_clauses_are_verbatim():
    if not SD.exists():
        return
    text = SD.read_text()
    for cid in ("SD-RTO", "SD-BACKUP-MONITORING", "SD-CERTIFICATE-EXPIRY", "SD-SIEM-AUDIT-TRAIL",
                "SD-MAINTENANCE-NOTICE", "SD-EMERGENCY-MAINTENANCE", "SD-REQUEST-MANAGEMENT"):
        assert BY_ID[cid].clause in text, cid
        assert BY_ID[cid].section.split(" / ")[0] in text, cid


def test_status_and_shape_keep_their_keys_and_add_commands():
    rules = {p: Rule(p, "crossguard", p, "high", "mandatory", "", "") for p in METADATA}
    v = Violation("monitoring-coverage", "crossguard", "high", "mandatory", "we1",
                  "urn:pulumi:we1::byside::t::r", "t", "m")
    result = CheckResult(plans=[], rules=rules, zones=["we1"], violations=[v])
    rows = {r["id"]: r for r in matrix(result)}
    assert rows["SD-CERTIFICATE-EXPIRY"]["zones"]["we1"] == {"status": "fail", "checks_run": 1, "checks_passed": 0,
                                                             "violations": 1, "failing": ["monitoring-coverage"]}
    assert rows["SD-RTO"]["zones"]["we1"]["status"] == "pass"
    assert rows["SD-MAINTENANCE-NOTICE"]["zones"]["we1"]["status"] == "n/a"
    # JSON keeps every key it had and adds `commands`
    doc = json.loads(render_json(list(rows.values()), ["we1"]))
    assert set(doc["controls"][0]) == {"id", "promise", "section", "clause", "coverage", "policies", "checks",
                                       "elsewhere", "note", "commands", "not_run", "zones"}
    table = list(csv.reader(io.StringIO(render_csv(list(rows.values()), ["we1"]))))
    assert table[0][-2:] == ["clause", "commands"]
    notice = dict(zip(table[0], table[1 + list(rows).index("SD-MAINTENANCE-NOTICE")]))
    assert notice["commands"] == "byside maintenance plan"
    assert "commands: `byside maintenance plan --emergency`" in render_md(list(rows.values()), ["we1"])
