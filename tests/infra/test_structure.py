"""Shape of every preview: URNs, type tokens, parents, providers, tags, and the export format."""

from __future__ import annotations

import importlib
import json
import inspect

import pytest
from pulumi.type_token import get_type_token

PACKAGES = {"aws": "pulumi_aws", "gcp": "pulumi_gcp", "random": "pulumi_random", "vsphere": "pulumi_vsphere"}
ZONE_TAG_KEYS = {"zone", "owner", "data-classification"}


def sdk_class(token: str):
    """The SDK class for a type token, found by its module and class name (not by the token)."""
    pkg, mod, cls = token.split(":")
    module = PACKAGES[pkg] if mod.startswith("index/") else f"{PACKAGES[pkg]}.{mod.split('/')[0]}"
    return getattr(importlib.import_module(module), cls)


@pytest.mark.parametrize("zone", ["we1", "we2", "sa1"])
def test_every_type_token_is_its_classes_token(stacks, zone):
    types = {r["type"] for r in stacks[zone].resources if r["custom"] and not r["type"].startswith("pulumi:")}
    assert "gcp:compute/vPNTunnel:VPNTunnel" in types and "gcp:projects/iAMMember:IAMMember" in types
    for token in sorted(types):
        assert get_type_token(sdk_class(token)) == token


@pytest.mark.parametrize("zone", ["we1", "we2", "sa1"])
def test_urns_parents_and_providers(stacks, zone):
    s = stacks[zone]
    stack_urn = f"urn:pulumi:{zone}::byside::pulumi:pulumi:Stack::byside-{zone}"
    assert s.resources[0]["urn"] == stack_urn
    seen = set()
    for r in s.resources:
        # dependency order: parent, provider and dependencies come first
        for dep in [r.get("parent"), (r.get("provider") or "").rsplit("::", 1)[0], *r["dependencies"]]:
            if dep:
                assert dep in seen, (r["urn"], dep)
        seen.add(r["urn"])
        assert r["urn"].startswith(f"urn:pulumi:{zone}::byside::")
        if r["type"] == "pulumi:pulumi:Stack" or "parent" not in r:
            assert r["type"] == "pulumi:pulumi:Stack" or r["urn"].split("::")[-1].startswith("default_"), r["urn"]
            continue
        parent = s.by_urn[r["parent"]]
        # the URN's qualified type is the parent's type chain plus its own type
        assert r["urn"].split("::")[2].rsplit("$", 1)[-1] == r["type"]
        if r["type"] == "byside:zone:ZoneStack":
            assert parent["type"] == "pulumi:pulumi:Stack"
        elif r["custom"] and not r["type"].startswith("pulumi:providers:"):
            assert parent["type"].startswith("byside:"), r["urn"]  # every child is parent=self of a component
            provider = r["provider"].rsplit("::", 1)[0]
            pkg = r["type"].split(":")[0]
            assert s.by_urn[provider]["type"] == f"pulumi:providers:{pkg}"
            if pkg in ("aws", "gcp"):  # explicit providers per region / project
                assert not provider.split("::")[-1].startswith("default"), r["urn"]
    aws_p = [r for r in s.resources if r["type"] == "pulumi:providers:aws"]
    assert [(p["inputs"]["region"], json.loads(p["inputs"]["allowedAccountIds"])) for p in aws_p] == [
        ({"we1": "eu-west-1", "we2": "eu-central-1", "sa1": "sa-east-1"}[zone],
         [{"we1": "210987654321", "we2": "321098765432", "sa1": "432109876543"}[zone]])]


@pytest.mark.parametrize("zone", ["we1", "we2", "sa1"])
def test_every_taggable_resource_carries_the_zone_tags(stacks, zone):
    checked = 0
    for r in stacks[zone].resources:
        pkg = r["type"].split(":")[0]
        if not r["custom"] or pkg not in ("aws", "gcp"):
            continue
        params = inspect.signature(sdk_class(r["type"])._internal_init).parameters
        key = "tags" if pkg == "aws" else "labels"
        if pkg == "gcp" and "user_labels" in params \
                and "effective_labels" not in inspect.signature(sdk_class(r["type"]).get).parameters:
            key = "user_labels"  # Cloud Monitoring: resource labels are user_labels
        if key not in params:
            continue
        tags = r["inputs"].get("userLabels" if key == "user_labels" else key) or {}
        assert ZONE_TAG_KEYS <= set(tags), r["urn"]
        assert (tags["zone"], tags["owner"], tags["data-classification"]) == (zone, "platform-sre", "confidential")
        checked += 1
    assert checked > 60


def test_export_shape(docs):
    for zone, doc in docs.items():
        assert doc["version"] == 3
        assert doc["deployment"]["manifest"]["time"] == "2000-01-01T00:00:00Z"
        for r in doc["deployment"]["resources"]:
            assert {"urn", "type", "custom", "inputs", "outputs", "dependencies", "propertyDependencies"} <= set(r)
            if r["custom"] and not r["type"].startswith("pulumi:providers:"):
                assert "provider" in r and "id" in r


def test_property_dependencies_point_at_the_resources_used(stacks):
    s = stacks["we1"]
    subnet = s.named("aws:ec2/subnet:Subnet")["we1-edge-eu-west-1a"]
    vpc = s.one("aws:ec2/vpc:Vpc")
    assert subnet["propertyDependencies"]["vpcId"] == [vpc["urn"]]
    assert vpc["urn"] in subnet["dependencies"]
