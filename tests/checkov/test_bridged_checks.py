"""Every bridged checkov check, and the project's CKV_BYS_ checks, on Pulumi fixtures: one
fixture makes the check fail, one passes it; all of them go through the converter and one run of
the real checkov (session fixture)."""

from __future__ import annotations

import pytest

from byside.checkov_bridge import GATED, runner

from . import fixtures
from .fixtures import FIXTURES

ISSUE_CHECKS = ["CKV_AWS_23", "CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277", "CKV_AWS_62",
                "CKV_AWS_63", "CKV_AWS_286", "CKV_AWS_287", "CKV_AWS_288", "CKV_AWS_289", "CKV_AWS_290",
                "CKV_AWS_355", "CKV2_AWS_11", "CKV_GCP_2", "CKV_GCP_3", "CKV_GCP_26", "CKV_GCP_74", "CKV2_GCP_12",
                "CKV_AWS_35", "CKV_AWS_36", "CKV_AWS_67"]  # the audit trail (issue 13)
OWN_CHECKS = ["CKV_BYS_1", "CKV_BYS_2", "CKV_BYS_3"]


def test_every_check_has_a_failing_and_a_passing_fixture():
    for check in ISSUE_CHECKS + OWN_CHECKS:
        assert {f.expect for f in FIXTURES if f.check == check} == {"fail", "pass"}, check
    assert set(GATED) == set(ISSUE_CHECKS + OWN_CHECKS)


def test_checkov_reads_every_converted_resource(fixture_run):
    assert fixture_run.parse_errors == []
    assert fixture_run.resources == len(FIXTURES) + len(fixtures.EXTRA)  # the stack and provider are not resources
    assert fixture_run.parsed == fixture_run.resources
    assert fixture_run.unmapped == [] and fixture_run.unmapped_resources == []
    assert fixture_run.checkov_version == "3.3.30"
    assert set(ISSUE_CHECKS + OWN_CHECKS) <= set(fixture_run.checks)


@pytest.mark.parametrize("fx", FIXTURES, ids=[f"{f.check}-{f.expect}-{f.name}" for f in FIXTURES])
def test_fixture(fixture_run, fx):
    failed = {(v["policy"], v["urn"]) for v in fixture_run.violations}
    passed = set(fixture_run.passed_results)
    if fx.expect == "fail":
        assert (fx.check, fx.urn) in failed
        assert (fx.check, fx.urn) not in passed
    else:
        assert (fx.check, fx.urn) in passed
        assert (fx.check, fx.urn) not in failed


def _one(run, check, name):
    found = [v for v in run.violations if v["policy"] == check and v["urn"].endswith("::" + name)]
    assert len(found) == 1, found
    return found[0]


def test_violation_is_reported_in_the_gate_format(fixture_run):
    assert _one(fixture_run, "CKV_AWS_24", "ssh-from-anywhere") == {
        "policy": "CKV_AWS_24", "source": "checkov", "severity": "critical", "enforcement": "mandatory",
        "zone": "fx", "urn": fixtures.urn(fixtures.SG_RULE, "ssh-from-anywhere"), "type": fixtures.SG_RULE,
        "message": "Ensure no security groups allow ingress from 0.0.0.0:0 to port 22",
    }


def test_own_checks_say_what_is_wrong(fixture_run):
    assert _one(fixture_run, "CKV_BYS_1", "vpn-ikev1")["message"] == (
        "Ensure every VPN tunnel pins IKEv2, AES-256, SHA2-384+ and DH group 20/21: tunnel2_ike_versions allows ikev1")
    assert _one(fixture_run, "CKV_BYS_1", "vpn-defaults")["message"].endswith(
        ": tunnel1_phase1_dh_group_numbers not set (AWS then accepts weak defaults)")
    # cipherSuite.phase1.integrities reaches checkov as cipher_suite[0].phase1[0].integrity
    assert _one(fixture_run, "CKV_BYS_1", "tunnel-sha1")["message"].endswith(
        ": cipher_suite.phase1.integrity allows HMAC-SHA1-96")
    assert _one(fixture_run, "CKV_BYS_1", "tunnel-gcm-with-integrity")["message"].endswith(
        ": cipher_suite.phase1.integrity set with AES-GCM only")
    assert _one(fixture_run, "CKV_BYS_1", "tunnel-no-suite")["message"].endswith(
        ": cipher_suite not set (GCP then proposes weak ciphers)")


def test_only_the_expected_checks_fail_on_compliant_fixtures(fixture_run):
    """A compliant fixture fails no gated check at all (not just the one it is about)."""
    compliant = {f.urn for f in FIXTURES if f.expect == "pass"} | {fixtures.FLOW_LOG_FX.urn}
    gated = [(v["policy"], v["urn"].rsplit("::", 1)[1]) for v in fixture_run.violations
             if v["urn"] in compliant and v["enforcement"] == "mandatory"]
    assert gated == []


def test_gated_check_is_mandatory_and_other_checks_advisory(fixture_run):
    v = _one(fixture_run, "CKV_AWS_355", "read-logs-anywhere")
    assert (v["severity"], v["enforcement"]) == ("medium", "mandatory")
    others = {v["policy"] for v in fixture_run.violations if v["policy"] not in GATED}
    assert others  # checkov's other checks run too ...
    assert {v["enforcement"] for v in fixture_run.violations if v["policy"] not in GATED} == {"advisory"}


def test_a_prefix_list_source_is_read_as_a_source_not_as_the_internet(fixture_run):
    # checkov reads aws_vpc_security_group_ingress_rule's prefix_list_id as no source at all (open);
    # the bridge also writes it under the names checkov reads (prefix_list_ids), so the check passes.
    from byside.checkov_bridge.convert import convert

    assert not [v for v in fixture_run.violations if v["urn"] == fixtures.PL_SSH_FX.urn]
    assert ("CKV_AWS_24", fixtures.PL_SSH_FX.urn) in set(fixture_run.passed_results)
    rule = next(r for r in convert([fixtures.PL_SSH_FX.resource()]).plan["planned_values"]["root_module"]["resources"])
    assert (rule["values"]["prefix_list_id"], rule["values"]["prefix_list_ids"]) == ("pl-0fixture", ["pl-0fixture"])
    # the same check on a rule open to the world stays mandatory
    assert _one(fixture_run, "CKV_AWS_25", "rdp-from-anywhere")["enforcement"] == "mandatory"


def test_unknowns_are_read_as_null(fixture_run):
    # the subnetwork with unknown CIDR and network is read (counted above) and judged
    assert ("CKV_GCP_26", fixtures.UNKNOWN_FX.urn) in set(fixture_run.passed_results)


def test_secrets_never_reach_the_plan_checkov_reads():
    from byside.checkov_bridge.convert import convert, dumps

    text = dumps(convert(fixtures.resources()).plan)
    assert fixtures.SECRET["ciphertext"] not in text
    assert '"tunnel1_preshared_key": "[secret]"' in text and '"shared_secret": "[secret]"' in text


def test_nothing_to_judge_does_not_start_checkov(checkov_bin):
    res = runner.run_checkov([{"urn": fixtures.urn("aws:sqs/queue:Queue", "q"), "type": "aws:sqs/queue:Queue",
                               "custom": True, "inputs": {}}], checkov_bin=checkov_bin)
    assert res.seconds < 1
    assert (res.resources, res.parsed, res.violations, res.parse_errors) == (0, 0, [], [])
    assert res.unmapped == ["aws:sqs/queue:Queue"]
    assert res.unmapped_resources == [fixtures.urn("aws:sqs/queue:Queue", "q")]


def test_missing_checkov_is_bad_input_naming_make_target(tmp_path):
    from byside.console import BadInput

    with pytest.raises(BadInput, match=r"make checkov-env"):
        runner.run_checkov(fixtures.resources(), checkov_bin=tmp_path / "nope" / "checkov")


def test_remediation_names_the_pulumi_properties_checkov_read(fixture_run):
    # evaluated Terraform keys mapped back through the bridge's tables (backup plan `rule` -> `rules`,
    # GCP firewall `allow` -> `allows`), a graph check's own attributes left out
    fix = fixture_run.remediation
    assert fix["CKV_GCP_2"] == ("Set `allows.ports`, `sourceRanges` of gcp:compute/firewall:Firewall so that: Ensure "
                                "Google compute firewall ingress does not allow unrestricted ssh access.")
    assert fix["CKV_AWS_36"] == ("Set `enableLogFileValidation` of aws:cloudtrail/trail:Trail so that: Ensure "
                                 "CloudTrail log file validation is enabled.")
    assert fix["CKV_BYS_3"].startswith("Set `rules` of aws:backup/plan:Plan; `snapshotSchedulePolicy` of "
                                       "gcp:compute/resourcePolicy:ResourcePolicy so that:")
    assert fix["CKV2_AWS_5"].endswith("(a graph check: it judges how the resource is connected to others, not one "
                                      "of its properties).")
    assert "resourceType" not in " ".join(fix.values()) and "`networking`" not in " ".join(fix.values())
