"""The project's own three zones through the bridge: every type mapped, every resource parsed by
checkov, no mandatory finding, and the bridged controls pass on the resources they are about."""

from __future__ import annotations

import pytest

import zones
from byside.preview.cache import preview_documents
from byside.checkov_bridge import run_checkov


@pytest.fixture(scope="module")
def zone_run(checkov_bin):
    ids = sorted(zones.load_platform().zones)
    docs = preview_documents(ids)  # the gate's cached offline preview
    resources = [r for z in ids for r in docs[z]["deployment"]["resources"]]
    return resources, run_checkov(resources, checkov_bin=checkov_bin)


def urns(resources, *types):
    return {r["urn"] for r in resources if r["type"] in types}


def test_every_program_type_is_mapped_and_parsed(zone_run):
    resources, run = zone_run
    assert run.unmapped == []
    assert run.parse_errors == []
    custom = [r for r in resources if r.get("custom") and not r["type"].startswith("pulumi:")]
    assert run.resources == run.parsed == len(custom)


def test_no_mandatory_finding(zone_run):
    _, run = zone_run
    assert [v for v in run.violations if v["enforcement"] == "mandatory"] == []


@pytest.mark.parametrize("check, types", [
    ("CKV_BYS_1", ("aws:ec2/vpnConnection:VpnConnection", "gcp:compute/vPNTunnel:VPNTunnel")),
    ("CKV_BYS_2", ("aws:ec2/managedPrefixList:ManagedPrefixList",)),
    ("CKV_BYS_3", ("aws:backup/plan:Plan", "gcp:compute/resourcePolicy:ResourcePolicy")),
    ("CKV2_AWS_11", ("aws:ec2/vpc:Vpc",)),
    ("CKV_GCP_26", ("gcp:compute/subnetwork:Subnetwork",)),
    ("CKV_GCP_74", ("gcp:compute/subnetwork:Subnetwork",)),
    ("CKV2_GCP_12", ("gcp:compute/firewall:Firewall",)),
    ("CKV_AWS_62", ("aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy")),
    ("CKV_AWS_35", ("aws:cloudtrail/trail:Trail",)),
    ("CKV_AWS_36", ("aws:cloudtrail/trail:Trail",)),
    ("CKV_AWS_67", ("aws:cloudtrail/trail:Trail",)),
    ("CKV_AWS_145", ("aws:s3/bucket:Bucket",)),  # KMS, through the encryption resource (graph)
    ("CKV2_AWS_6", ("aws:s3/bucket:Bucket",)),  # public access blocked (graph)
    ("CKV_AWS_21", ("aws:s3/bucket:Bucket",)),  # versioned (through BucketVersioning)
])
def test_control_passes_on_every_resource_it_covers(zone_run, check, types):
    resources, run = zone_run
    expected = urns(resources, *types)
    assert expected
    assert {u for c, u in run.passed_results if c == check} == expected
