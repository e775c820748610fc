"""The runner's reading of checkov's report and its parameters, without starting checkov."""

from __future__ import annotations

import ast
from pathlib import Path

import zones
from byside.checkov_bridge import runner
from byside.checkov_bridge.convert import convert

from .fixtures import urn

CHECKS = Path(runner.CHECKS_DIR)


def _conv():
    return convert([
        {"urn": urn("aws:ec2/vpc:Vpc", "a"), "type": "aws:ec2/vpc:Vpc", "custom": True,
         "inputs": {"tags": {"zone": "we2"}}},
        {"urn": urn("gcp:compute/network:Network", "b"), "type": "gcp:compute/network:Network", "custom": True,
         "inputs": {"name": "b"}},
    ])


def test_report_mapped_back_to_urns_with_zone_and_type():
    conv = _conv()
    by_urn = {u: {"urn": u, "type": u.split("::")[2], "inputs": {"tags": {"zone": "we2"}} if "Vpc" in u else {}}
              for u in conv.addresses.values()}
    report = {"results": {
        "failed_checks": [{"check_id": "CKV2_AWS_11", "check_name": "Ensure VPC flow logging is enabled in all VPCs",
                           "resource": "aws_vpc.a"},
                          {"check_id": "CKV_XYZ_1", "check_name": "something else",
                           "resource": "google_compute_network.b"}],
        "passed_checks": [{"check_id": "CKV_GCP_1", "check_name": "n", "resource": "google_compute_network.b"}]},
        "summary": {"resource_count": 2, "parsing_errors": 0, "checkov_version": "3.3.30"}}
    res = runner._read(report, conv, by_urn, runner.default_zone_of)
    assert res.violations == [
        {"policy": "CKV_XYZ_1", "source": "checkov", "severity": "low", "enforcement": "advisory", "zone": "fx",
         "urn": urn("gcp:compute/network:Network", "b"), "type": "gcp:compute/network:Network",
         "message": "something else"},
        {"policy": "CKV2_AWS_11", "source": "checkov", "severity": "medium", "enforcement": "mandatory",
         "zone": "we2",
         "urn": urn("aws:ec2/vpc:Vpc", "a"), "type": "aws:ec2/vpc:Vpc",
         "message": "Ensure VPC flow logging is enabled in all VPCs"},
    ]
    assert res.passed_results == [("CKV_GCP_1", urn("gcp:compute/network:Network", "b"))]
    assert (res.passed, res.failed, res.parsed, res.resources, res.parse_errors) == (1, 2, 2, 2, [])


def test_partial_read_and_parse_errors_are_reported():
    conv = _conv()
    res = runner._read({"results": {"parsing_errors": ["/tmp/x/pulumi-plan.json"]},
                        "summary": {"resource_count": 1, "parsing_errors": 1}}, conv, {}, runner.default_zone_of)
    assert res.parse_errors == ["checkov could not parse /tmp/x/pulumi-plan.json",
                                "checkov reports 1 parsing error(s)", "checkov read 1 of the 2 resources in the plan"]


def test_default_zone_is_tag_then_label_then_stack():
    u = "urn:pulumi:we1::byside::t::n"
    assert runner.default_zone_of({"urn": u, "inputs": {"tags": {"zone": "sa1"}}}) == "sa1"
    assert runner.default_zone_of({"urn": u, "inputs": {"labels": {"zone": "we2"}}}) == "we2"
    assert runner.default_zone_of({"urn": u, "inputs": {}}) == "we1"


def test_parameters_come_from_the_model_and_the_pack():
    from policies import vpn

    p = runner.checkov_params()
    platform = zones.load_platform().platform
    b = platform.service_description.backup
    assert p["prefix_list"] == {"max_entries": platform.quotas.aws_prefix_list_max_entries}
    assert [(x["period_days"], x["retention_days"]) for x in p["backup"]] == [
        (1, b.daily), (7, 7 * b.weekly), (31, 28 * b.monthly)] == [(1, 5), (7, 28), (31, 84)]
    assert p["vpn"]["aws"]["phase1_dh_group_numbers"] == sorted(vpn.AWS_ALLOWED["Phase1DhGroupNumbers"][0])
    assert p["vpn"]["gcp"]["phase1"]["prf"] == sorted(vpn.GCP_PRF)


def test_custom_checks_import_nothing_from_the_project():
    files = sorted(CHECKS.glob("*.py"))
    assert [f.name for f in files] == ["BackupRetention.py", "ManagedPrefixListSize.py", "VpnTunnelCrypto.py",
                                       "__init__.py"]
    for f in files:
        for node in ast.walk(ast.parse(f.read_text())):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                mods = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                for m in mods:
                    assert m.split(".")[0] in {"__future__", "json", "os", "re", "typing", "checkov"}, (f.name, m)
