"""The pack's generated files (byside/pack_build.py) are current, and its zone facts read like the
zone model: the pack judges with zones/ without importing it."""

from __future__ import annotations

import json

import pytest

import zones
from byside import pack_build
from policies import facts
from policies.common import platform, taggable, zone_model
from zones import pack_facts


def test_every_generated_file_of_the_pack_is_current():
    assert pack_build.stale() == [], "run `python -m byside.pack_build` (make pack)"


def test_the_windows_copy_is_zones_windows_verbatim():
    copy = pack_facts.WINDOWS_COPY.read_text(encoding="utf-8")
    header, _, body = copy.partition("Do not edit here; edit zones/windows.py.\n")
    assert header and body == pack_facts.WINDOWS_SOURCE.read_text(encoding="utf-8")


def test_zone_facts_match_the_zone_model():
    model = zones.load_platform()
    assert sorted(platform().zones) == sorted(model.zones)
    assert platform().platform.operations_email == model.platform.operations_email
    assert platform().platform.service_description.log_retention_days.max == \
        model.platform.service_description.log_retention_days.max
    assert platform().platform.audit_trail.siem.sink_destination == model.platform.audit_trail.siem.sink_destination()
    for zid, z in model.zones.items():
        f = zone_model(zid)
        assert f.id == z.id and f.timezone == z.timezone and f.owner == z.owner
        assert (f.maintenance_window.start, f.maintenance_window.end) == (z.maintenance_window.start,
                                                                          z.maintenance_window.end)
        assert [s.name for s in f.segments] == [s.name for s in z.segments]
        assert {k: p.cidr for s in f.segments for k, p in s.sites.items()} == \
            {k: p.cidr for s in z.segments for k, p in s.sites.items()}
        assert [(r.from_, r.to) for r in f.segment_policy] == [(r.from_, r.to) for r in z.segment_policy]
        assert dict(f.log_retention) == z.log_retention and f.log_retention.get("vpn") == z.log_retention.get("vpn")
        assert (f.backup.selection_tag.key, f.backup.selection_tag.value) == (z.backup.selection_tag.key,
                                                                              z.backup.selection_tag.value)
        assert [(a.service, list(a.aggregated)) for a in f.allowlist] == \
            [(a.service, list(a.aggregated)) for a in zones.allowlist.compile_zone(model, zid)]
        assert [(r.source, r.cloud, r.name, r.world) for r in f.egress_rules] == \
            [(r.source, r.cloud, r.name, r.world) for r in zones.egress.egress_rules(z)]


def test_facts_are_read_only_mappings_with_attribute_access():
    node = facts.wrap({"a": {"b": [1, {"c": 2}]}, "m": {"x": 1}})
    assert node.a.b[1].c == 2 and node["a"]["b"][0] == 1 and node.m.get("x") == 1 and node.m.get("y") is None
    assert isinstance(node.a.b, tuple)
    with pytest.raises(AttributeError):
        node.a = 1
    with pytest.raises(AttributeError):
        node.nope


def test_another_facts_file_by_environment_and_a_clear_error_for_a_bad_one(tmp_path, monkeypatch):
    alt = tmp_path / "facts.json"
    data = json.loads(pack_facts.FACTS.read_text())
    data["zones"] = {"zz1": data["zones"]["we1"]}
    alt.write_text(json.dumps(data))
    monkeypatch.setenv("BYSIDE_ZONE_FACTS", str(alt))
    assert sorted(facts.load().zones) == ["zz1"]
    alt.write_text("{}")
    with pytest.raises(facts.FactsError, match="not format 1"):
        facts.load()
    monkeypatch.setenv("BYSIDE_ZONE_FACTS", str(tmp_path / "missing.json"))
    with pytest.raises(facts.FactsError, match="missing.json"):
        facts.load()


def test_taggable_types_come_from_the_generated_table():
    table = json.loads((pack_facts.PACK / "tag_properties.json").read_text())["types"]
    assert len(table) > 1000
    assert taggable("aws:lambda/function:Function") == "tags"  # lambda_ module: found too
    assert taggable("aws:ec2/securityGroupRule:SecurityGroupRule") is None


def test_requirements_are_the_lock_closure_of_the_pack_dependencies():
    text = pack_build.requirements()
    pins = dict(line.split(" ;")[0].split("==") for line in text.splitlines() if line and not line.startswith("#"))
    for dep in pack_build.PACK_DEPENDENCIES:
        assert dep in pins
    assert {"pulumi", "protobuf", "grpcio", "boto3"} <= set(pins)
    assert not {"pulumi-aws", "pulumi-gcp", "pydantic", "byside"} & set(pins)  # no SDK, nothing of the repo
