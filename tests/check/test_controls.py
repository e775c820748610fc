"""The controls matrix: the mapping is complete and valid, and status per zone comes from the check."""

import csv
import io
import json

import pytest

from byside.check.gate import CheckResult
from byside.check.model import Rule
from byside.check.model import Violation
from byside.controls import CONTROLS, matrix, render_csv, render_md
from policies.metadata import METADATA

from .conftest import byside, fixture_plan, violations


def test_every_policy_enforces_a_promise_and_every_id_is_real():
    enforced = {p for c in CONTROLS if c.coverage == "enforced" for p in c.policies}
    assert enforced == set(METADATA)
    assert all(p in METADATA for c in CONTROLS for p in c.policies)
    assert len({c.id for c in CONTROLS}) == len(CONTROLS)


def test_every_gated_checkov_check_enforces_a_promise():
    from byside.checkov_bridge import GATED

    mapped = [c for ctl in CONTROLS for c in ctl.checks]
    assert sorted(mapped) == sorted(set(mapped)) and set(mapped) == set(GATED)


def test_what_configuration_cannot_show_is_listed_not_left_out():
    by_id = {c.id: c for c in CONTROLS}
    assert by_id["SD-DC-ACCESS"].coverage == "elsewhere"
    assert by_id["SD-DC-ACCESS"].elsewhere.startswith("byside audit dc-access")
    assert by_id["SD-PEN-TESTING"].coverage == "out-of-scope"
    for c in CONTROLS:
        if c.coverage == "enforced":
            assert c.policies, c.id
        else:
            assert not c.policies and not c.checks and (c.elsewhere or c.note), c.id


def _v(policy, zone, enforcement="mandatory"):
    return Violation(policy, "crossguard", "critical", enforcement, zone, f"urn:pulumi:{zone}::byside::t::r", "t", "m")


def test_status_per_zone_counts_checks_and_violations():
    rules = {p: Rule(p, "crossguard", p, "high", "mandatory", "", "") for p in METADATA}
    result = CheckResult(plans=[], rules=rules, zones=["sa1", "we1"],
                         violations=[_v("vpn-strong-crypto", "we1"), _v("vpn-strong-crypto", "we1"),
                                     _v("log-retention", "sa1", "advisory")])
    rows = {r["id"]: r for r in matrix(result)}
    assert rows["SD-VPN"]["zones"] == {
        "sa1": {"status": "pass", "checks_run": 2, "checks_passed": 2, "violations": 0, "failing": []},
        "we1": {"status": "fail", "checks_run": 2, "checks_passed": 1, "violations": 2, "failing": ["vpn-strong-crypto"]}}
    assert rows["SD-LOG-RETENTION"]["zones"]["sa1"]["status"] == "warn"
    assert rows["SD-DC-ACCESS"]["zones"]["we1"]["status"] == "n/a"
    # checkov did not run here: its checks are listed as not run, never counted as passed.
    assert rows["SD-SIEM-FLOW-LOGS"]["not_run"] == ["CKV2_AWS_11", "CKV_GCP_26"]
    assert rows["SD-SIEM-FLOW-LOGS"]["zones"]["we1"]["checks_run"] == 1
    table = list(csv.reader(io.StringIO(render_csv(list(rows.values()), result.zones))))
    assert len(table) == len(CONTROLS) + 1
    header = table[0]
    vpn = dict(zip(header, table[1 + list(rows).index("SD-VPN")]))
    assert (vpn["we1_status"], vpn["we1_violations"], vpn["sa1_status"]) == ("fail", "2", "pass")
    md = render_md(list(rows.values()), result.zones)
    assert "| SD-VPN | " in md and "fail (1/2): 2 violation(s) — vpn-strong-crypto" in md


def test_cli_status_from_a_plan(tmp_path):
    plan = fixture_plan(tmp_path, "vpn-strong-crypto", "fail")
    r = byside("controls", "--plan", str(plan), "--no-checkov", "--format", "json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["zones"] == ["we1"]
    rows = {c["id"]: c for c in doc["controls"]}
    check = violations(byside("check", "--plan", str(plan), "--no-checkov", "--format", "json").stdout)
    n = len([v for v in check if v["policy"] == "vpn-strong-crypto"])
    assert rows["SD-VPN"]["zones"]["we1"] == {"status": "fail", "checks_run": 2, "checks_passed": 1,
                                              "violations": n, "failing": ["vpn-strong-crypto"]}
    assert rows["SD-BACKUP-RETENTION"]["zones"]["we1"]["status"] == "pass"


@pytest.mark.parametrize("args, message", [
    (("--format", "pdf"), "Invalid value for '--format': Value error, 'pdf' is not one of 'md', 'csv', 'json'."),
])
def test_cli_bad_usage_exits_2(args, message):
    r = byside("controls", *args)
    assert r.returncode == 2 and message in " ".join(r.stderr.replace("│", " ").split())
